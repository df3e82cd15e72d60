// Builds the ePUAP "Pismo ogólne do podmiotu publicznego" (wzór 4566) for a
// processed submission, checks it against the project's XSD and renders the
// HTML view. Signing is in epuap_sign.cpp.
#include "formproc/output/epuap.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/DigestEngine.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "formproc/util/openssl.hpp"
#include "formproc/util/text.hpp"
#include "formproc/validation/checks.hpp"

namespace formproc::output {

namespace {

constexpr const char* kWnioNs = "http://crd.gov.pl/wzor/2017/10/24/4566/";
constexpr const char* kMetaNs = "http://crd.gov.pl/xml/schematy/meta/2009/11/16/";
constexpr const char* kStrNs = "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/";
constexpr const char* kInstNs = "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/";
// The adres schema is dated 11/09, unlike the others (a known trap).
constexpr const char* kAdrNs = "http://crd.gov.pl/xml/schematy/adres/2009/11/09/";
constexpr const char* kOsoNs = "http://crd.gov.pl/xml/schematy/osoba/2009/11/16/";
constexpr const char* kStylesheetPi = "type=\"text/xsl\" href=\"http://crd.gov.pl/wzor/2017/10/24/4566/styl.xsl\"";

const xmlChar* xc(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// ---------------------------------------------------------------- text ---

bool isXmlChar(std::uint32_t cp) {
    return cp == 0x9 || cp == 0xA || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

using XmlDocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

// libxml2 and libxslt set up their globals on first use; doing it once,
// before any thread races to it, is what their documentation asks.
void initXml() {
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xsltInit();
    });
}

// Text read from PDFs and OCR can hold control characters and broken UTF-8;
// libxml2 would write them as character references that no XML 1.0 parser
// accepts, so they are dropped (controls) or replaced by U+FFFD (bad bytes).
// Line ends become \n.
std::string xmlText(std::string_view in) {
    using sdk::support::decodeUtf8At;
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        if (in[i] == '\r') {
            out += '\n';
            i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        const auto d = decodeUtf8At(in, i);
        if (d.cp == sdk::support::kInvalidCodePoint)
            util::appendUtf8(out, sdk::support::kReplacementCharacter);
        else if (isXmlChar(d.cp))
            out.append(in.substr(i, d.size));
        i += d.size;
    }
    return out;
}

std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                                std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        if (rest == 2) n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// Collects libxml2's structured errors as "line N: message".
void collectXmlError(void* ctx, xmlErrorPtr error) {
    auto* into = static_cast<std::vector<std::string>*>(ctx);
    if (!error || into->size() >= 20) return;
    std::string message = error->message ? error->message : "invalid";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    into->push_back(error->line > 0 ? "line " + std::to_string(error->line) + ": " + message : message);
}

XmlDocPtr parseXml(const std::string& xml, std::vector<std::string>& errors) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) throw std::bad_alloc();
    // The handler is per thread in libxml2; it is reset before returning.
    xmlSetStructuredErrorFunc(&errors, &collectXmlError);
    // No network, no entity expansion, no DTD loading: the input may come
    // from outside (an ePUAP document received), and huge base64 text
    // nodes are normal for attachments.
    XmlDocPtr doc(xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_HUGE),
                  &xmlFreeDoc);
    xmlFreeParserCtxt(ctxt);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    if (!doc && errors.empty()) errors.push_back("not well-formed XML");
    return doc;
}

std::string serialize(xmlDocPtr doc, bool indent) {
    xmlChar* mem = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", indent ? 1 : 0);
    if (!mem) throw std::bad_alloc();
    std::string out(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
    xmlFree(mem);
    return out;
}

// The compiled schema of `xsdPath`, compiled once per process and again
// only when the file changes (size or modification time): compiling took
// about a quarter of the time of writing a document. A compiled schema is
// only read while validating, so threads share it, each with its own
// validation context. nullptr with `errors` set when it cannot be read.
std::shared_ptr<xmlSchema> compiledSchema(const std::string& xsdPath, std::vector<std::string>& errors) {
    std::error_code ec;
    // libxml2 reports a missing file on stderr before any handler applies.
    if (!std::filesystem::is_regular_file(xsdPath, ec)) {
        errors.push_back("the schema " + xsdPath + " does not exist");
        return nullptr;
    }
    const long long stamp =
        static_cast<long long>(std::filesystem::last_write_time(xsdPath, ec).time_since_epoch().count());
    const std::uintmax_t size = std::filesystem::file_size(xsdPath, ec);
    struct Entry {
        long long stamp;
        std::uintmax_t size;
        std::shared_ptr<xmlSchema> schema;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(xsdPath); it != cache.end() && it->second.stamp == stamp && it->second.size == size)
        return it->second.schema;
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(xsdPath.c_str());
    if (!parser) {
        errors.push_back("cannot read the schema " + xsdPath);
        return nullptr;
    }
    xmlSchemaSetParserStructuredErrors(parser, &collectXmlError, &errors);
    std::shared_ptr<xmlSchema> schema(xmlSchemaParse(parser), &xmlSchemaFree);
    xmlSchemaFreeParserCtxt(parser);
    if (!schema) {
        errors.insert(errors.begin(), "cannot read the schema " + xsdPath);
        return nullptr;
    }
    cache[xsdPath] = Entry{stamp, size, schema};
    return schema;
}

std::vector<std::string> validateDoc(xmlDocPtr doc, const std::string& xsdPath) {
    std::vector<std::string> errors;
    const std::shared_ptr<xmlSchema> compiled = compiledSchema(xsdPath, errors);
    if (!compiled) return errors;
    xmlSchemaPtr schema = compiled.get();
    xmlSchemaValidCtxtPtr valid = xmlSchemaNewValidCtxt(schema);
    if (!valid) throw std::bad_alloc();
    xmlSchemaSetValidStructuredErrors(valid, &collectXmlError, &errors);
    const int rc = xmlSchemaValidateDoc(valid, doc);
    xmlSchemaFreeValidCtxt(valid);
    if (rc != 0 && errors.empty())
        errors.push_back("does not match the schema (libxml2 code " + std::to_string(rc) + ")");
    return errors;
}

std::string joinErrors(const std::vector<std::string>& errors) {
    std::string out;
    for (const auto& e : errors) {
        if (!out.empty()) out += "; ";
        out += e;
    }
    return out;
}

// ------------------------------------------------------------ parties ---

std::string fieldText(const Result& result, std::string_view id) {
    const FieldValue* f = result.field(id);
    if (!f) return {};
    if (const auto* s = std::get_if<std::string>(&f->value)) return util::collapseSpace(*s);
    if (const auto* i = std::get_if<std::int64_t>(&f->value)) return std::to_string(*i);
    return {};
}

bool allDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

struct StreetParts {
    std::string street, building, flat;
};

// "ul. 3 Maja 12A/4", "Al. Racławickie 14 lok. 3", "Rynek 1": the last
// number is the building, what follows a slash or "lok."/"m." the flat.
StreetParts splitStreet(std::string_view text) {
    std::vector<std::string> tokens;
    const std::string collapsed = util::collapseSpace(text);
    std::size_t start = 0;
    while (start < collapsed.size()) {
        std::size_t end = collapsed.find(' ', start);
        if (end == std::string::npos) end = collapsed.size();
        tokens.push_back(collapsed.substr(start, end - start));
        start = end + 1;
    }
    StreetParts parts;
    auto startsWithDigit = [](const std::string& t) { return !t.empty() && t[0] >= '0' && t[0] <= '9'; };
    if (tokens.size() >= 3) {
        const std::string marker = util::toLowerPl(tokens[tokens.size() - 2]);
        if ((marker == "m." || marker == "m" || marker == "lok." || marker == "lok" || marker == "lokal") &&
            startsWithDigit(tokens.back()) && startsWithDigit(tokens[tokens.size() - 3])) {
            parts.flat = tokens.back();
            tokens.resize(tokens.size() - 2);
        }
    }
    std::size_t at = tokens.size();
    for (std::size_t i = tokens.size(); i-- > 0;) {
        if (startsWithDigit(tokens[i])) {
            at = i;
            break;
        }
    }
    // A number that is the whole text, or the first word ("3 Maja"), is
    // not taken for a building number unless nothing else is left.
    if (at == tokens.size() || (at == 0 && tokens.size() > 1)) {
        parts.street = collapsed;
        return parts;
    }
    std::string number = tokens[at];
    for (std::size_t i = at + 1; i < tokens.size(); ++i) number += " " + tokens[i];
    if (auto slash = number.find('/'); slash != std::string::npos && parts.flat.empty()) {
        parts.flat = std::string(util::trim(number.substr(slash + 1)));
        number = std::string(util::trim(number.substr(0, slash)));
    }
    parts.building = number;
    for (std::size_t i = 0; i < at; ++i) {
        if (!parts.street.empty()) parts.street += ' ';
        parts.street += tokens[i];
    }
    return parts;
}

bool isPostalCode(std::string_view s) {
    return s.size() == 6 && allDigits(s.substr(0, 2)) && s[2] == '-' && allDigits(s.substr(3));
}

std::string capitalised(std::string text) {
    if (text.empty()) return text;
    // The first code point, in upper case; Polish capitals are two bytes.
    std::size_t len = 1;
    const auto b = static_cast<unsigned char>(text[0]);
    if ((b & 0xE0) == 0xC0)
        len = 2;
    else if ((b & 0xF0) == 0xE0)
        len = 3;
    else if ((b & 0xF8) == 0xF0)
        len = 4;
    len = std::min(len, text.size());
    return util::toUpperPl(text.substr(0, len)) + text.substr(len);
}

// The unit of the card in TERYT, when the card identifies one for sure.
const validation::TerytUnit* resolveUnit(const Result& result, const validation::TerytRegister& teryt) {
    const std::string form = result.form.value_or("");
    const auto* voivodeship = teryt.voivodeshipByName(fieldText(result, "wojewodztwo"));
    const std::string voivodeshipCode = voivodeship ? voivodeship->code : std::string();
    if (form == "karta-powiatu") {
        const std::string code = fieldText(result, "teryt_powiatu");
        if (code.size() == 4 && allDigits(code))
            if (const auto* unit = teryt.byCode(code)) return unit;
        auto found = teryt.powiatyByName(fieldText(result, "nazwa_powiatu"), voivodeshipCode);
        return found.size() == 1 ? found.front() : nullptr;
    }
    if (form == "karta-gminy") {
        const std::string code = fieldText(result, "teryt_gminy");
        if (code.size() == 7 && allDigits(code))
            if (const auto* unit = teryt.byCode(code)) return unit;
        std::string prefix = voivodeshipCode;
        auto powiaty = teryt.powiatyByName(fieldText(result, "nazwa_powiatu"), voivodeshipCode);
        if (powiaty.size() == 1) prefix = powiaty.front()->code;
        auto found = teryt.gminyByName(fieldText(result, "nazwa_gminy"), prefix);
        return found.size() == 1 ? found.front() : nullptr;
    }
    if (form == "karta-diagnozy") {
        const std::string gmina = fieldText(result, "gmina");
        if (gmina.size() == 7 && allDigits(gmina)) return teryt.byCode(gmina);
        auto found = teryt.gminyByName(gmina);
        return found.size() == 1 ? found.front() : nullptr;
    }
    return nullptr;
}

std::string unitName(const validation::TerytUnit& unit) {
    if (unit.code.size() == 4)
        return util::startsWith(unit.kindName, "miasto") ? "Miasto " + unit.name : "Powiat " + unit.name;
    if (unit.code.size() == 7) return "Gmina " + unit.name;
    return "Województwo " + unit.name;
}

bool isIsoDate(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!allDigits(s.substr(0, 4)) || !allDigits(s.substr(5, 2)) || !allDigits(s.substr(8, 2))) return false;
    return validation::isValidDate(std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2)));
}

std::string today() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::array<char, 16> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%d", &local);
    return buf.data();
}

// A file name without directories, never empty.
std::string fileName(std::string_view name, std::string_view fallback) {
    std::string clean = xmlText(name);
    if (auto slash = clean.find_last_of("/\\"); slash != std::string::npos) clean.erase(0, slash + 1);
    clean = util::collapseSpace(clean);
    return clean.empty() ? std::string(fallback) : clean;
}

std::string sha256Hex(std::string_view bytes) {
    util::holdOpenSsl();  // Poco 1.11 races without it (formproc/util/openssl.hpp)
    Poco::Crypto::DigestEngine sha("SHA256");
    sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(sha.digest());
}

// Paragraphs are separated by blank lines; single line breaks stay inside
// a paragraph (the wzór shows Informacja with white space preserved).
std::vector<std::string> paragraphs(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    std::size_t start = 0;
    auto flush = [&] {
        while (!current.empty() && current.back() == '\n') current.pop_back();
        if (!util::trim(current).empty()) out.push_back(current);
        current.clear();
    };
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (util::trim(line).empty())
            flush();
        else
            current += line + "\n";
        start = end + 1;
    }
    flush();
    return out;
}

// ---------------------------------------------------------- XML build ---

struct Namespaces {
    xmlNsPtr wnio, meta, str, inst, adr, oso;
};

xmlNodePtr child(xmlNodePtr parent, xmlNsPtr ns, const char* name) {
    xmlNodePtr node = xmlNewChild(parent, ns, xc(name), nullptr);
    if (!node) throw std::bad_alloc();
    return node;
}

// xmlNewTextChild stores the text as is and escapes it when writing.
xmlNodePtr textChild(xmlNodePtr parent, xmlNsPtr ns, const char* name, const std::string& text) {
    const std::string clean = xmlText(text);
    xmlNodePtr node = xmlNewTextChild(parent, ns, xc(name), xc(clean.c_str()));
    if (!node) throw std::bad_alloc();
    return node;
}

void optionalChild(xmlNodePtr parent, xmlNsPtr ns, const char* name, const std::string& text) {
    if (!util::trim(text).empty()) textChild(parent, ns, name, std::string(util::trim(text)));
}

void attribute(xmlNodePtr node, const char* name, const std::string& value) {
    const std::string clean = xmlText(value);
    if (!xmlNewProp(node, xc(name), xc(clean.c_str()))) throw std::bad_alloc();
}

void writeDate(xmlNodePtr parent, const Namespaces& ns, const std::string& date) {
    xmlNodePtr data = child(parent, ns.meta, "Data");
    attribute(data, "typDaty", "stworzony");
    textChild(data, ns.meta, "Czas", date);
}

void writeParty(xmlNodePtr list, const Namespaces& ns, const EpuapParty& party) {
    xmlNodePtr podmiot = child(list, ns.meta, "Podmiot");
    xmlNodePtr inst = child(podmiot, ns.inst, "Instytucja");
    textChild(inst, ns.inst, "NazwaInstytucji", party.name);
    if (!util::trim(party.unit).empty()) {
        xmlNodePtr unit = child(inst, ns.inst, "Jednostka");
        textChild(unit, ns.inst, "NazwaInstytucji", std::string(util::trim(party.unit)));
    }
    const std::array<std::pair<const char*, const std::string*>, 8> address = {{
        {"KodPocztowy", &party.postalCode},
        {"Miejscowosc", &party.city},
        {"Ulica", &party.street},
        {"Budynek", &party.building},
        {"Lokal", &party.flat},
        {"Wojewodztwo", &party.voivodeship},
        {"Powiat", &party.powiat},
        {"Gmina", &party.gmina},
    }};
    bool hasAddress = false;
    for (const auto& [name, value] : address) hasAddress = hasAddress || !util::trim(*value).empty();
    if (hasAddress) {
        xmlNodePtr adres = child(inst, ns.adr, "Adres");
        for (const auto& [name, value] : address) optionalChild(adres, ns.adr, name, *value);
    }
    if (!party.nip.empty() || !party.regon.empty() || !party.teryt.empty()) {
        xmlNodePtr id = child(inst, ns.inst, "IdInstytucji");
        optionalChild(id, ns.inst, "NIP", party.nip);
        optionalChild(id, ns.inst, "REGON", party.regon);
        if (!party.teryt.empty()) {
            xmlNodePtr other = child(id, ns.inst, "InnyIdentyfikator");
            textChild(other, ns.inst, "TypIdentyfikatora", "TERYT");
            textChild(other, ns.inst, "WartoscIdentyfikatora", party.teryt);
        }
    }
    if (!util::trim(party.phone).empty() || !util::trim(party.email).empty()) {
        xmlNodePtr contact = child(inst, ns.adr, "Kontakt");
        optionalChild(contact, ns.adr, "Telefon", party.phone);
        optionalChild(contact, ns.adr, "Email", party.email);
    }
}

void writeAttachment(xmlNodePtr list, const Namespaces& ns, const std::string& bytes, const std::string& name,
                     const std::string& mediaType, const std::string& description) {
    xmlNodePtr att = child(list, ns.str, "Zalacznik");
    attribute(att, "format", mediaType);
    attribute(att, "kodowanie", "base64");
    attribute(att, "nazwaPliku", name);
    // One line, no wrapping: the base64 text is data, not prose.
    const std::string encoded = base64(bytes);
    xmlNodePtr data = xmlNewChild(att, ns.str, xc("DaneZalacznika"), nullptr);
    if (!data) throw std::bad_alloc();
    xmlNodePtr text = xmlNewTextLen(xc(encoded.c_str()), static_cast<int>(encoded.size()));
    if (!text || !xmlAddChild(data, text)) throw std::bad_alloc();
    // The wzór has no hash attribute; the description is where ePUAP puts
    // "wartość skrótu" (styl.xsl of wzór 1410), so the hash goes there,
    // with its algorithm named.
    textChild(att, ns.str, "OpisZalacznika", description + ", SHA-256: " + sha256Hex(bytes));
}

// wnio:Podpis: „Anna Maria Nowak” -> Imie Anna, ImieDrugie Maria, Nazwisko
// Nowak; the function as Stanowisko. Nothing without a name.
void writeSignature(xmlNodePtr tresc, const Namespaces& ns, const EpuapInput& input) {
    const std::string name = util::collapseSpace(input.signerName);
    if (name.empty()) return;
    std::vector<std::string> parts;
    for (std::size_t start = 0; start < name.size();) {
        const std::size_t space = std::min(name.find(' ', start), name.size());
        parts.push_back(name.substr(start, space - start));
        start = space + 1;
    }
    xmlNodePtr podpis = child(tresc, ns.wnio, "Podpis");
    if (parts.size() > 1) textChild(podpis, ns.oso, "Imie", parts.front());
    if (parts.size() > 2) textChild(podpis, ns.oso, "ImieDrugie", parts[1]);
    textChild(podpis, ns.oso, "Nazwisko", parts.back());
    optionalChild(podpis, ns.wnio, "Stanowisko", util::collapseSpace(input.signerFunction));
}

}  // namespace

// ------------------------------------------------------------- public ---

void setStreetLine(EpuapParty& party, const std::string& line) {
    const StreetParts parts = splitStreet(line);
    party.street = parts.street;
    party.building = parts.building;
    party.flat = parts.flat;
}

EpuapParty epuapSender(const validation::Campaign& campaign) {
    EpuapParty party;
    party.name = util::collapseSpace(campaign.office.name);
    party.email = util::collapseSpace(campaign.office.email);
    // "ul. Diamentowa 2, 20-447 Lublin": the part with the postal code gives
    // the code and the town, the rest is street and number.
    std::string streetText;
    std::string address = util::collapseSpace(campaign.office.address);
    std::size_t start = 0;
    while (start <= address.size()) {
        std::size_t end = address.find(',', start);
        if (end == std::string::npos) end = address.size();
        const std::string part(util::trim(std::string_view(address).substr(start, end - start)));
        if (party.postalCode.empty() && part.size() >= 6 && isPostalCode(part.substr(0, 6))) {
            party.postalCode = part.substr(0, 6);
            party.city = std::string(util::trim(part.substr(6)));
        } else if (!part.empty()) {
            if (!streetText.empty()) streetText += ", ";
            streetText += part;
        }
        start = end + 1;
    }
    if (party.postalCode.empty()) {
        party.city = address;  // not in the usual shape: keep it whole
    } else if (!streetText.empty()) {
        auto parts = splitStreet(streetText);
        party.street = parts.street;
        party.building = parts.building;
        party.flat = parts.flat;
    }
    return party;
}

std::optional<EpuapParty> epuapAddressee(const Result& result, const validation::TerytRegister* teryt) {
    EpuapParty party;
    const std::string form = result.form.value_or("");
    const validation::TerytUnit* unit = teryt ? resolveUnit(result, *teryt) : nullptr;
    if (unit) {
        party.name = unitName(*unit);
        party.teryt = unit->code;
        if (const auto* w = teryt->byCode(unit->code.substr(0, 2))) party.voivodeship = w->name;
        if (unit->code.size() >= 4)
            if (const auto* p = teryt->byCode(unit->code.substr(0, 4))) party.powiat = p->name;
        if (unit->code.size() == 7) party.gmina = unit->name;
    } else {
        // Not in TERYT (or no register): the names as the card gives them.
        party.voivodeship = fieldText(result, "wojewodztwo");
        party.powiat = fieldText(result, "nazwa_powiatu");
        if (form == "karta-powiatu" && !party.powiat.empty()) party.name = "Powiat " + party.powiat;
        std::string gmina = fieldText(result, form == "karta-diagnozy" ? "gmina" : "nazwa_gminy");
        if (allDigits(gmina)) gmina.clear();
        if (!gmina.empty()) {
            party.gmina = gmina;
            party.name = "Gmina " + gmina;
        }
    }
    party.unit = fieldText(result, "jednostka_nazwa");
    if (party.name.empty()) std::swap(party.name, party.unit);
    if (util::equalsFolded(party.name, party.unit)) party.unit.clear();
    if (party.name.empty()) return std::nullopt;

    party.postalCode = fieldText(result, "adres_kod_pocztowy");
    party.city = fieldText(result, "adres_miejscowosc");
    auto street = splitStreet(fieldText(result, "adres_ulica"));
    party.street = street.street;
    party.building = street.building;
    party.flat = street.flat;
    party.nip = fieldText(result, "nip");
    party.regon = fieldText(result, "regon");
    party.email = fieldText(result, "email");
    party.phone = fieldText(result, "telefon");
    return party;
}

std::vector<std::string> validateEpuapXml(const std::string& xml, const std::string& xsdPath) {
    initXml();
    std::vector<std::string> errors;
    auto doc = parseXml(xml, errors);
    if (!doc) return errors;
    return validateDoc(doc.get(), xsdPath);
}

// TrescDokumentu: the place, title and kind of the letter, its paragraphs,
// the signature and the attachments (the letter, the original).
void writeContent(xmlNodePtr root, const Namespaces& ns, const EpuapInput& input, const EpuapParty& sender,
                  const std::string& title, const std::string& kind, const std::vector<std::string>& texts) {
    const Result& result = input.result;
    xmlNodePtr tresc = child(root, ns.wnio, "TrescDokumentu");
    attribute(tresc, "format", "text/xml");
    attribute(tresc, "kodowanie", "XML");
    optionalChild(tresc, ns.wnio, "MiejscowoscDokumentu", sender.city);
    textChild(tresc, ns.wnio, "Tytul", title);
    // "inne pismo" with the kind in jakiInny (not "jakisInny"): the XSL then
    // prints the kind as the heading. The list of other rodzaj values is
    // unknown, so no other is used.
    xmlNodePtr rodzaj = child(tresc, ns.wnio, "RodzajWnioskuRozszerzony");
    attribute(rodzaj, "rodzaj", "inne pismo");
    attribute(rodzaj, "jakiInny", kind);
    xmlNodePtr informacje = child(tresc, ns.wnio, "Informacje");
    for (const auto& p : texts) textChild(informacje, ns.wnio, "Informacja", p);
    writeSignature(tresc, ns, input);

    if (!input.letterPdf.empty() || !input.originalBytes.empty()) {
        xmlNodePtr list = child(tresc, ns.str, "Zalaczniki");
        if (!input.letterPdf.empty())
            writeAttachment(list, ns, input.letterPdf, fileName(input.letterName, "pismo.pdf"), "application/pdf",
                            input.letterDescription.empty() ? "Pismo" : input.letterDescription);
        if (!input.originalBytes.empty()) {
            std::string name = input.originalName.empty() ? result.source : input.originalName;
            std::string mediaType = input.originalMediaType.empty() ? result.mediaType : input.originalMediaType;
            if (util::trim(mediaType).empty()) mediaType = "application/octet-stream";
            writeAttachment(list, ns, input.originalBytes, fileName(name, "zgloszenie"), xmlText(mediaType),
                            input.originalDescription.empty() ? "Zgłoszenie" : input.originalDescription);
        }
    }
}

EpuapDocument renderEpuapDocument(const EpuapInput& input, const EpuapConfig& config) {
    initXml();
    const Result& result = input.result;

    std::optional<EpuapParty> addressee = input.addressee ? input.addressee : epuapAddressee(result, input.teryt);
    if (!addressee || util::trim(addressee->name).empty())
        return {{}, "no addressee: the result names no powiat or gmina and none was given"};
    const EpuapParty sender = epuapSender(input.campaign);
    if (sender.name.empty()) return {{}, "no sender: the campaign names no office"};

    const std::string date = input.date.empty() ? today() : input.date;
    if (!isIsoDate(date)) return {{}, "the date is not YYYY-MM-DD: '" + input.date + "'"};
    if (input.letterPdf.size() + input.originalBytes.size() > config.maxAttachmentBytes)
        return {{},
                "attachments of " + std::to_string(input.letterPdf.size() + input.originalBytes.size()) +
                    " bytes exceed the limit of " + std::to_string(config.maxAttachmentBytes)};

    // The kind of letter names what it is; a caller that does not say gets the generic one.
    const std::string kind = util::collapseSpace(input.kind).empty() ? "informacja" : util::collapseSpace(input.kind);
    const std::string title =
        util::collapseSpace(input.title).empty() ? capitalised(kind) : util::collapseSpace(input.title);
    auto texts = paragraphs(xmlText(input.letterText));
    if (texts.empty()) texts.push_back("Pismo w załączeniu.");

    XmlDocPtr doc(xmlNewDoc(xc("1.0")), &xmlFreeDoc);
    if (!doc) throw std::bad_alloc();
    xmlNodePtr root = xmlNewDocNode(doc.get(), nullptr, xc("Dokument"), nullptr);
    if (!root) throw std::bad_alloc();
    xmlDocSetRootElement(doc.get(), root);
    // Prefixed namespaces, all declared on the root, as in the reconstructed
    // skeleton; ePUAP's own output uses default namespaces, which is the
    // same XML.
    Namespaces ns{xmlNewNs(root, xc(kWnioNs), xc("wnio")), xmlNewNs(root, xc(kMetaNs), xc("meta")),
                  xmlNewNs(root, xc(kStrNs), xc("str")),   xmlNewNs(root, xc(kInstNs), xc("inst")),
                  xmlNewNs(root, xc(kAdrNs), xc("adr")),   xmlNewNs(root, xc(kOsoNs), xc("oso"))};
    if (!ns.wnio || !ns.meta || !ns.str || !ns.inst || !ns.adr || !ns.oso) throw std::bad_alloc();
    xmlSetNs(root, ns.wnio);
    xmlNodePtr pi = xmlNewDocPI(doc.get(), xc("xml-stylesheet"), xc(kStylesheetPi));
    if (!pi || !xmlAddPrevSibling(root, pi)) throw std::bad_alloc();

    xmlNodePtr opis = child(root, ns.wnio, "OpisDokumentu");
    writeDate(opis, ns, date);
    attribute(child(opis, ns.meta, "Jezyk"), "kodJezyka", "pol");
    textChild(opis, ns.meta, "OpisDokumentu", title);

    xmlNodePtr dane = child(root, ns.wnio, "DaneDokumentu");
    if (!util::trim(input.caseSign).empty() || !util::trim(input.documentName).empty()) {
        xmlNodePtr naglowek = child(dane, ns.str, "Naglowek");
        optionalChild(naglowek, ns.str, "NazwaDokumentu", util::collapseSpace(input.documentName));
        if (!util::trim(input.caseSign).empty()) {
            xmlNodePtr id = child(naglowek, ns.meta, "Identyfikator");
            attribute(id, "typIdentyfikatora", "znak sprawy");
            textChild(id, ns.meta, "Wartosc", std::string(util::trim(input.caseSign)));
        }
    }
    writeDate(dane, ns, date);
    writeParty(child(dane, ns.str, "Adresaci"), ns, *addressee);
    writeParty(child(dane, ns.str, "Nadawcy"), ns, sender);

    writeContent(root, ns, input, sender, title, kind, texts);

    // Indented for people who open the file; the signature, if any, is made
    // over these exact bytes once parsed back (signing re-indented output
    // would not verify).
    std::string xml = serialize(doc.get(), true);
    doc.reset();
    if (!config.pkcs12Path.empty()) return signEpuapDocument(xml, config);

    std::vector<std::string> errors;
    auto check = parseXml(xml, errors);
    if (!check) return {{}, "the generated XML does not parse: " + joinErrors(errors)};
    errors = validateDoc(check.get(), config.xsdPath);
    if (!errors.empty()) return {{}, "the document does not match " + config.xsdPath + ": " + joinErrors(errors)};
    return {std::move(xml), {}};
}

std::string renderEpuapHtml(const std::string& xml, const std::string& xslPath) {
    initXml();
    std::vector<std::string> errors;
    auto doc = parseXml(xml, errors);
    if (!doc) throw std::runtime_error("the ePUAP document does not parse: " + joinErrors(errors));
    std::unique_ptr<xsltStylesheet, decltype(&xsltFreeStylesheet)> style(xsltParseStylesheetFile(xc(xslPath.c_str())),
                                                                         &xsltFreeStylesheet);
    if (!style) throw std::runtime_error("cannot read the stylesheet " + xslPath);

    std::unique_ptr<xsltTransformContext, decltype(&xsltFreeTransformContext)> ctxt(
        xsltNewTransformContext(style.get(), doc.get()), &xsltFreeTransformContext);
    std::unique_ptr<xsltSecurityPrefs, decltype(&xsltFreeSecurityPrefs)> prefs(xsltNewSecurityPrefs(),
                                                                               &xsltFreeSecurityPrefs);
    if (!ctxt || !prefs) throw std::bad_alloc();
    // The view only reads the document: no files written, nothing fetched.
    for (auto option : {XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK,
                        XSLT_SECPREF_WRITE_NETWORK})
        xsltSetSecurityPrefs(prefs.get(), option, xsltSecurityForbid);
    if (xsltSetCtxtSecurityPrefs(prefs.get(), ctxt.get()) != 0) throw std::runtime_error("XSLT security setup failed");

    XmlDocPtr html(xsltApplyStylesheetUser(style.get(), doc.get(), nullptr, nullptr, nullptr, ctxt.get()), &xmlFreeDoc);
    if (!html || ctxt->state != XSLT_STATE_OK) throw std::runtime_error("the stylesheet " + xslPath + " failed");
    xmlChar* mem = nullptr;
    int size = 0;
    if (xsltSaveResultToString(&mem, &size, html.get(), style.get()) != 0)
        throw std::runtime_error("cannot write the HTML");
    std::string out =
        mem ? std::string(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size)) : std::string();
    xmlFree(mem);
    return out;
}

}  // namespace formproc::output
