// The ePUAP answer document: structure against the project's XSD (libxml2
// and the xmllint CLI), attachments that decode to the same bytes with a
// matching hash, Polish letters, the real ePUAP sample, the XAdES signature
// as the xmlsec1 CLI sees it, and the HTML view.
#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <Poco/Base64Decoder.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "formproc/output/epuap.hpp"
#include "test_support.hpp"

using namespace formproc;
using formproc::output::EpuapConfig;
using formproc::output::EpuapInput;
using formproc::test::TempDir;

namespace {

const std::string kXsd = test::sourcePath("templates/epuap/pismo-ogolne.xsd");
const std::string kView = test::sourcePath("templates/epuap/view.xsl");
const std::string kSample = test::dataPath("epuap/pismo_ogolne_wzor4566_sample1.xml");
const std::string kXadesId = "http://uri.etsi.org/01903/v1.3.2#:SignedProperties";

struct Run {
    int status;
    std::string out;
};

Run run(const std::string& command) {
    FILE* pipe = ::popen(("(" + command + ") 2>&1").c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string shellQuoted(const std::string& path) { return "'" + path + "'"; }

FieldValue text(const std::string& value) { return FieldValue{value, 1.0, 1, "acroform"}; }

// A powiat card from Łęczna with every address field, decided "incomplete".
Result powiatResult() {
    Result r;
    r.source = "inbox/karta-łęczyński.pdf";
    r.sha256 = "00";
    r.mediaType = "application/pdf";
    r.form = "karta-powiatu";
    r.fields = {
        {"wojewodztwo", text("lubelskie")},
        {"nazwa_powiatu", text("łęczyński")},
        {"teryt_powiatu", text("0610")},
        {"jednostka_nazwa", text("Starostwo Powiatowe w Łęcznej")},
        {"adres_ulica", text("al. Jana Pawła II 95A/3")},
        {"adres_kod_pocztowy", text("21-010")},
        {"adres_miejscowosc", text("Łęczna")},
        {"nip", text("5050017561")},
        {"regon", text("431019514")},
        {"telefon", text("815315200")},
        {"email", text("starostwo@powiatleczynski.example")},
    };
    r.decision = Decision::Incomplete;
    return r;
}

const std::string kLetterText =
    "Szanowni Państwo,\n\nw zgłoszeniu brakuje podpisu osoby upoważnionej.\nProsimy o uzupełnienie braków "
    "w terminie 7 dni (art. 64 § 2 KPA).\n\nZażółć gęślą jaźń – ŻÓŁW, „cudzysłów” & <znaki>.";

// Every byte value, so that base64 round trips are really tested.
std::string binaryBytes(const std::string& head, int repeat) {
    std::string out = head;
    for (int k = 0; k < repeat; ++k)
        for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
    return out;
}

struct Fixture {
    Result result = powiatResult();
    std::string letterPdf = binaryBytes("%PDF-1.7\n", 3) + "x";
    std::string original = binaryBytes("%PDF-1.4\n", 2);
    EpuapInput input() const {
        EpuapInput in(result, *test::projectCampaign());
        in.teryt = test::projectTeryt().get();
        in.title = "Wezwanie do uzupełnienia braków w zgłoszeniu";
        in.kind = "wezwanie do uzupełnienia braków";
        in.letterText = kLetterText;
        in.letterPdf = letterPdf;
        in.letterName = "wezwanie-łęczyński.pdf";
        in.originalBytes = original;
        in.originalName = "karta-łęczyński.pdf";
        in.originalMediaType = "application/pdf";
        in.date = "2018-06-25";
        in.caseSign = "ROPS-LK.524.1.17.2018";
        return in;
    }
};

EpuapConfig config() {
    EpuapConfig c;
    c.xsdPath = kXsd;
    return c;
}

// Parsed document with the ePUAP prefixes registered for XPath.
class Xml {
public:
    explicit Xml(const std::string& xml)
        : _doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                             XML_PARSE_NONET | XML_PARSE_HUGE),
               &xmlFreeDoc),
          _ctx(nullptr, &xmlXPathFreeContext) {
        REQUIRE(_doc);
        _ctx.reset(xmlXPathNewContext(_doc.get()));
        const std::map<std::string, std::string> ns = {
            {"wnio", "http://crd.gov.pl/wzor/2017/10/24/4566/"},
            {"meta", "http://crd.gov.pl/xml/schematy/meta/2009/11/16/"},
            {"str", "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/"},
            {"inst", "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/"},
            {"adr", "http://crd.gov.pl/xml/schematy/adres/2009/11/09/"},
            {"ds", "http://www.w3.org/2000/09/xmldsig#"},
            {"xades", "http://uri.etsi.org/01903/v1.3.2#"},
        };
        for (const auto& [prefix, uri] : ns)
            xmlXPathRegisterNs(_ctx.get(), reinterpret_cast<const xmlChar*>(prefix.c_str()),
                               reinterpret_cast<const xmlChar*>(uri.c_str()));
    }

    std::vector<xmlNodePtr> nodes(const std::string& xpath) const {
        std::vector<xmlNodePtr> out;
        xmlXPathObjectPtr obj = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), _ctx.get());
        REQUIRE(obj);
        if (obj->nodesetval)
            for (int i = 0; i < obj->nodesetval->nodeNr; ++i) out.push_back(obj->nodesetval->nodeTab[i]);
        xmlXPathFreeObject(obj);
        return out;
    }

    std::string text(const std::string& xpath) const {
        auto found = nodes(xpath);
        if (found.empty()) return "<absent>";
        return content(found.front());
    }

    static std::string content(xmlNodePtr node) {
        xmlChar* c = xmlNodeGetContent(node);
        std::string out = c ? reinterpret_cast<const char*>(c) : "";
        xmlFree(c);
        return out;
    }

    static std::string attr(xmlNodePtr node, const char* name) {
        xmlChar* c = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
        std::string out = c ? reinterpret_cast<const char*>(c) : "<absent>";
        xmlFree(c);
        return out;
    }

private:
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> _doc;
    std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> _ctx;
};

std::string decodeBase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::ostringstream out;
    out << decoder.rdbuf();
    return out.str();
}

std::string sha256Cli(const TempDir& dir, const std::string& bytes) {
    auto r = run("sha256sum " + shellQuoted(dir.file("hash-me.bin", bytes)));
    REQUIRE(r.status == 0);
    return r.out.substr(0, 64);
}

// A throwaway CA and a signer certificate issued by it, in PKCS#12, made
// with the openssl CLI so that the signing code is checked against keys it
// did not make itself.
struct Pki {
    TempDir dir;
    std::string ca, p12;
    const std::string password = "hasło-testowe";
    Pki() {
        const std::string d = shellQuoted(dir.path());
        const std::string script =
            "cd " + d +
            " && "
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3 -utf8 "
            "-subj '/C=PL/O=Testowe Centrum Certyfikacji/CN=Test CA Łódź' "
            "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign && "
            "openssl req -newkey rsa:2048 -nodes -keyout signer.key -out signer.csr -utf8 "
            "-subj '/C=PL/O=Regionalny Ośrodek Polityki Społecznej w Lublinie/CN=Jan Żółkiewski' && "
            "openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -set_serial 0x1F2E3D4C5B6A7980 "
            "-days 2 -out signer.pem && "
            "openssl pkcs12 -export -inkey signer.key -in signer.pem -certfile ca.pem -out signer.p12 "
            "-passout 'pass:" +
            password + "'";
        auto r = run(script);
        INFO(r.out);
        REQUIRE(r.status == 0);
        ca = dir.path() + "/ca.pem";
        p12 = dir.path() + "/signer.p12";
    }
};

Run verify(const Pki& pki, const std::string& file) {
    return run("xmlsec1 --verify --trusted-pem " + shellQuoted(pki.ca) + " --id-attr:Id '" + kXadesId + "' " +
               shellQuoted(file));
}

// The 64 lower-case hex digits after "SHA-256: ", or "" (no std::regex: GCC 12
// warns inside <regex> under the sanitizers).
std::string hashIn(const std::string& description) {
    const std::string marker = "SHA-256: ";
    const auto at = description.find(marker);
    if (at == std::string::npos || description.size() < at + marker.size() + 64) return {};
    std::string hex = description.substr(at + marker.size(), 64);
    for (char c : hex)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
    return hex;
}

// YYYY-MM-DDThh:mm:ssZ
bool isUtcDateTime(const std::string& s) {
    static const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
    if (s.size() != shape.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return false;
    return true;
}

std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("ePUAP document of a processed card passes the XSD, also per xmllint", "[output][epuap]") {
    Fixture f;
    auto doc = output::renderEpuapDocument(f.input(), config());
    INFO(doc.error);
    REQUIRE(doc);
    CHECK(output::validateEpuapXml(doc.xml, kXsd).empty());

    TempDir dir;
    const std::string file = dir.file("epuap.xml", doc.xml);
    auto r = run("xmllint --noout --schema " + shellQuoted(kXsd) + " " + shellQuoted(file));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("validates") != std::string::npos);

    // UTF-8 without BOM, the wzór's stylesheet PI, prefixed namespaces.
    CHECK(doc.xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0) == 0);
    CHECK(
        doc.xml.find("<?xml-stylesheet type=\"text/xsl\" href=\"http://crd.gov.pl/wzor/2017/10/24/4566/styl.xsl\"?>") !=
        std::string::npos);
    Xml xml(doc.xml);
    CHECK(xml.nodes("/wnio:Dokument/wnio:OpisDokumentu/meta:Data[@typDaty='stworzony']/meta:Czas").size() == 1);
    CHECK(xml.text("/wnio:Dokument/wnio:DaneDokumentu/meta:Data[@typDaty='stworzony']/meta:Czas") == "2018-06-25");
    CHECK(xml.text("//str:Naglowek/meta:Identyfikator/meta:Wartosc") == "ROPS-LK.524.1.17.2018");
    CHECK(xml.text("//wnio:TrescDokumentu/wnio:Tytul") == "Wezwanie do uzupełnienia braków w zgłoszeniu");
    CHECK(xml.text("//wnio:TrescDokumentu/wnio:MiejscowoscDokumentu") == "Lublin");
    auto rodzaj = xml.nodes("//wnio:RodzajWnioskuRozszerzony");
    REQUIRE(rodzaj.size() == 1);
    CHECK(Xml::attr(rodzaj[0], "rodzaj") == "inne pismo");
    CHECK(Xml::attr(rodzaj[0], "jakiInny") == "wezwanie do uzupełnienia braków");
    CHECK(Xml::attr(rodzaj[0], "jakisInny") == "<absent>");
    auto tresc = xml.nodes("//wnio:TrescDokumentu");
    REQUIRE(tresc.size() == 1);
    CHECK(Xml::attr(tresc[0], "format") == "text/xml");
    CHECK(Xml::attr(tresc[0], "kodowanie") == "XML");
}

TEST_CASE("ePUAP sender is the campaign office, addressee the powiat from TERYT and the card", "[output][epuap]") {
    Fixture f;
    auto doc = output::renderEpuapDocument(f.input(), config());
    REQUIRE(doc);
    Xml xml(doc.xml);
    const std::string to = "//str:Adresaci/meta:Podmiot/inst:Instytucja";
    CHECK(xml.text(to + "/inst:NazwaInstytucji") == "Powiat łęczyński");
    CHECK(xml.text(to + "/inst:Jednostka/inst:NazwaInstytucji") == "Starostwo Powiatowe w Łęcznej");
    CHECK(xml.text(to + "/adr:Adres/adr:KodPocztowy") == "21-010");
    CHECK(xml.text(to + "/adr:Adres/adr:Miejscowosc") == "Łęczna");
    CHECK(xml.text(to + "/adr:Adres/adr:Ulica") == "al. Jana Pawła II");
    CHECK(xml.text(to + "/adr:Adres/adr:Budynek") == "95A");
    CHECK(xml.text(to + "/adr:Adres/adr:Lokal") == "3");
    CHECK(xml.text(to + "/adr:Adres/adr:Wojewodztwo") == "lubelskie");
    CHECK(xml.text(to + "/adr:Adres/adr:Powiat") == "łęczyński");
    CHECK(xml.text(to + "/inst:IdInstytucji/inst:NIP") == "5050017561");
    CHECK(xml.text(to + "/inst:IdInstytucji/inst:REGON") == "431019514");
    CHECK(xml.text(
              to +
              "/inst:IdInstytucji/inst:InnyIdentyfikator[inst:TypIdentyfikatora='TERYT']/inst:WartoscIdentyfikatora") ==
          "0610");
    CHECK(xml.text(to + "/adr:Kontakt/adr:Email") == "starostwo@powiatleczynski.example");

    const std::string from = "//str:Nadawcy/meta:Podmiot/inst:Instytucja";
    CHECK(xml.text(from + "/inst:NazwaInstytucji") == "Regionalny Ośrodek Polityki Społecznej w Lublinie");
    CHECK(xml.text(from + "/adr:Adres/adr:Ulica") == "ul. Diamentowa");
    CHECK(xml.text(from + "/adr:Adres/adr:Budynek") == "2");
    CHECK(xml.text(from + "/adr:Adres/adr:KodPocztowy") == "20-447");
    CHECK(xml.text(from + "/adr:Adres/adr:Miejscowosc") == "Lublin");
    CHECK(xml.text(from + "/adr:Kontakt/adr:Email") == "rops@rops.lublin.example");
}

TEST_CASE("ePUAP addressee of gmina and diagnosis cards, and without TERYT", "[output][epuap]") {
    Result gmina;
    gmina.form = "karta-gminy";
    gmina.fields = {{"wojewodztwo", text("lubelskie")},       {"nazwa_powiatu", text("łęczyński")},
                    {"nazwa_gminy", text("Cyców")},           {"jednostka_nazwa", text("Urząd Gminy Cyców")},
                    {"adres_ulica", text("ul. Garbarska 3")}, {"adres_kod_pocztowy", text("21-070")},
                    {"adres_miejscowosc", text("Cyców")}};
    auto party = output::epuapAddressee(gmina, test::projectTeryt().get());
    REQUIRE(party);
    CHECK(party->name == "Gmina Cyców");
    CHECK(party->unit == "Urząd Gminy Cyców");
    CHECK(party->teryt == "0610012");
    CHECK(party->powiat == "łęczyński");
    CHECK(party->gmina == "Cyców");
    CHECK(party->street == "ul. Garbarska");
    CHECK(party->building == "3");

    Result diagnosis;
    diagnosis.form = "karta-diagnozy";
    diagnosis.fields = {{"gmina", text("0609142")}};
    party = output::epuapAddressee(diagnosis, test::projectTeryt().get());
    REQUIRE(party);
    CHECK(party->name == "Gmina Wólka");
    CHECK(party->teryt == "0609142");
    CHECK(party->voivodeship == "lubelskie");

    // Without the register the card's own words are used, and no code.
    party = output::epuapAddressee(gmina, nullptr);
    REQUIRE(party);
    CHECK(party->name == "Gmina Cyców");
    CHECK(party->teryt.empty());

    Result nothing;
    nothing.decision = Decision::Rejected;
    CHECK_FALSE(output::epuapAddressee(nothing, test::projectTeryt().get()));
    Fixture f;
    EpuapInput input(nothing, *test::projectCampaign());
    auto doc = output::renderEpuapDocument(input, config());
    CHECK_FALSE(doc);
    CHECK(doc.error.find("addressee") != std::string::npos);

    // A caller that knows the addressee (an e-mail sender) can still answer.
    output::EpuapParty who;
    who.name = "Gminny Ośrodek Pomocy Społecznej w Wólce";
    who.email = "gops@wolka.example";
    input.addressee = who;
    input.letterText = "Przesłany plik nie jest kartą zgłoszeniową.";
    doc = output::renderEpuapDocument(input, config());
    INFO(doc.error);
    REQUIRE(doc);
    CHECK(Xml(doc.xml).text("//str:Adresaci//inst:NazwaInstytucji") == "Gminny Ośrodek Pomocy Społecznej w Wólce");
    CHECK(Xml(doc.xml).text("//wnio:RodzajWnioskuRozszerzony/@jakiInny") == "informacja");
}

TEST_CASE("ePUAP attachments decode back to the same bytes and carry their SHA-256", "[output][epuap]") {
    Fixture f;
    auto doc = output::renderEpuapDocument(f.input(), config());
    REQUIRE(doc);
    Xml xml(doc.xml);
    auto attachments = xml.nodes("/wnio:Dokument/wnio:TrescDokumentu/str:Zalaczniki/str:Zalacznik");
    REQUIRE(attachments.size() == 2);

    TempDir dir;
    struct Expected {
        std::string name, bytes;
    };
    const std::array<Expected, 2> expected = {
        {{"wezwanie-łęczyński.pdf", f.letterPdf}, {"karta-łęczyński.pdf", f.original}}};
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        INFO("attachment " << i);
        CHECK(Xml::attr(attachments[i], "nazwaPliku") == expected[i].name);
        CHECK(Xml::attr(attachments[i], "format") == "application/pdf");
        CHECK(Xml::attr(attachments[i], "kodowanie") == "base64");
        std::string data, description;
        for (xmlNodePtr c = attachments[i]->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) continue;
            const std::string name = reinterpret_cast<const char*>(c->name);
            if (name == "DaneZalacznika") data = Xml::content(c);
            if (name == "OpisZalacznika") description = Xml::content(c);
        }
        const std::string decoded = decodeBase64(data);
        CHECK(decoded.size() == expected[i].bytes.size());
        CHECK(decoded == expected[i].bytes);
        INFO(description);
        CHECK(hashIn(description) == sha256Cli(dir, expected[i].bytes));
    }
}

TEST_CASE("ePUAP document keeps Polish letters and copes with dirty text", "[output][epuap]") {
    Fixture f;
    auto input = f.input();
    // A form feed, a NUL and a stray byte, as text layers of PDFs give them.
    input.letterText = kLetterText + "\n\nKoniec\x0C strony\xFF i\x01 tyle.";
    auto doc = output::renderEpuapDocument(input, config());
    INFO(doc.error);
    REQUIRE(doc);
    CHECK(doc.xml.find("Zażółć gęślą jaźń – ŻÓŁW, „cudzysłów” &amp; &lt;znaki&gt;.") != std::string::npos);
    Xml xml(doc.xml);
    auto paragraphs = xml.nodes("//wnio:Informacje/wnio:Informacja");
    REQUIRE(paragraphs.size() == 4);
    CHECK(Xml::content(paragraphs[0]) == "Szanowni Państwo,");
    CHECK(Xml::content(paragraphs[1]) ==
          "w zgłoszeniu brakuje podpisu osoby upoważnionej.\nProsimy o uzupełnienie braków w terminie 7 dni (art. 64 § "
          "2 KPA).");
    CHECK(Xml::content(paragraphs[2]) == "Zażółć gęślą jaźń – ŻÓŁW, „cudzysłów” & <znaki>.");
    CHECK(Xml::content(paragraphs[3]) == "Koniec strony\xEF\xBF\xBD i tyle.");
    CHECK(xml.text("//str:Adresaci//adr:Miejscowosc") == "Łęczna");
}

TEST_CASE("ePUAP refusals come back as values", "[output][epuap]") {
    Fixture f;
    auto input = f.input();
    auto c = config();
    c.maxAttachmentBytes = 1000;
    auto doc = output::renderEpuapDocument(input, c);
    CHECK_FALSE(doc);
    CHECK(doc.error.find("exceed") != std::string::npos);

    input.date = "25.06.2018";
    doc = output::renderEpuapDocument(input, config());
    CHECK_FALSE(doc);
    CHECK(doc.error.find("date") != std::string::npos);

    c = config();
    c.xsdPath = test::sourcePath("templates/epuap/no-such.xsd");
    doc = output::renderEpuapDocument(f.input(), c);
    CHECK_FALSE(doc);
    CHECK(doc.xml.empty());

    c = config();
    c.pkcs12Path = test::sourcePath("templates/epuap/no-such.p12");
    doc = output::renderEpuapDocument(f.input(), c);
    CHECK_FALSE(doc);
    CHECK(doc.error.find("certificate") != std::string::npos);
}

TEST_CASE("The real ePUAP sample validates against the project's XSD; known traps do not", "[output][epuap]") {
    const std::string sample = test::readFile(kSample);
    REQUIRE_FALSE(sample.empty());
    auto errors = output::validateEpuapXml(sample, kXsd);
    INFO((errors.empty() ? "" : errors.front()));
    CHECK(errors.empty());
    auto r = run("xmllint --noout --schema " + shellQuoted(kXsd) + " " + shellQuoted(kSample));
    INFO(r.out);
    CHECK(r.status == 0);

    // OldMusicBox's "jakisInny", the adres namespace dated like the others,
    // an attachment with no file name, an unknown encoding.
    CHECK_FALSE(output::validateEpuapXml(replaceOnce(sample, "jakiInny=", "jakisInny="), kXsd).empty());
    std::string wrongNs = sample;
    for (auto at = wrongNs.find("adres/2009/11/09/"); at != std::string::npos; at = wrongNs.find("adres/2009/11/09/"))
        wrongNs.replace(at, 17, "adres/2009/11/16/");
    CHECK_FALSE(output::validateEpuapXml(wrongNs, kXsd).empty());
    CHECK_FALSE(
        output::validateEpuapXml(replaceOnce(sample, " nazwaPliku=\"Pismo ogolne (ePUAP).html\"", ""), kXsd).empty());
    CHECK_FALSE(output::validateEpuapXml(replaceOnce(sample, "kodowanie=\"URI\"", "kodowanie=\"hex\""), kXsd).empty());
    CHECK_FALSE(output::validateEpuapXml("<Dokument", kXsd).empty());
}

TEST_CASE("Signed ePUAP document verifies with xmlsec1; tampering breaks it", "[output][epuap]") {
    Pki pki;
    Fixture f;
    auto c = config();
    c.pkcs12Path = pki.p12;
    c.pkcs12Password = pki.password;
    auto doc = output::renderEpuapDocument(f.input(), c);
    INFO(doc.error);
    REQUIRE(doc);

    Xml xml(doc.xml);
    // Enveloped: the signature is the last element child of the root.
    auto last = xml.nodes("/wnio:Dokument/*[last()]");
    REQUIRE(last.size() == 1);
    CHECK(std::string(reinterpret_cast<const char*>(last[0]->name)) == "Signature");
    auto refs = xml.nodes("/wnio:Dokument/ds:Signature/ds:SignedInfo/ds:Reference");
    REQUIRE(refs.size() == 2);
    CHECK(Xml::attr(refs[0], "URI").empty());
    CHECK(Xml::attr(refs[1], "Type") == "http://uri.etsi.org/01903#SignedProperties");
    CHECK(xml.nodes("//ds:Reference[@URI='']/ds:Transforms/ds:Transform[@Algorithm='http://www.w3.org/2000/09/"
                    "xmldsig#enveloped-signature']")
              .size() == 1);
    CHECK(xml.text("//ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm") ==
          "http://www.w3.org/2001/10/xml-exc-c14n#");
    const std::string props = "/wnio:Dokument/ds:Signature/ds:Object/xades:QualifyingProperties/xades:SignedProperties";
    REQUIRE(xml.nodes(props).size() == 1);
    CHECK(Xml::attr(refs[1], "URI") == "#" + xml.text(props + "/@Id"));
    CHECK(isUtcDateTime(xml.text(props + "//xades:SigningTime")));
    const std::string cert = props + "/xades:SignedSignatureProperties/xades:SigningCertificate/xades:Cert";
    CHECK(xml.text(cert + "/xades:IssuerSerial/ds:X509SerialNumber") == "2246800662264969600");  // 0x1F2E3D4C5B6A7980
    CHECK(xml.text(cert + "/xades:IssuerSerial/ds:X509IssuerName") ==
          "CN=Test CA Łódź,O=Testowe Centrum Certyfikacji,C=PL");
    // The certificate digest is over the DER of the signer's certificate.
    auto der = run("openssl x509 -in " + shellQuoted(pki.dir.path() + "/signer.pem") +
                   " -outform DER | openssl dgst -sha256 -binary | base64");
    REQUIRE(der.status == 0);
    CHECK(xml.text(cert + "/xades:CertDigest/ds:DigestValue") + "\n" == der.out);

    // KeyInfo carries the chain, the signer's certificate first.
    auto certs = xml.nodes("/wnio:Dokument/ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate");
    REQUIRE(certs.size() == 2);
    std::string first = Xml::content(certs[0]);
    std::erase_if(first, [](char ch) { return ch == '\n' || ch == '\r'; });
    auto signerDer =
        run("openssl x509 -in " + shellQuoted(pki.dir.path() + "/signer.pem") + " -outform DER | base64 -w0");
    REQUIRE(signerDer.status == 0);
    CHECK(first == signerDer.out);

    const std::string file = pki.dir.file("signed.xml", doc.xml);
    auto ok = verify(pki, file);
    INFO(ok.out);
    CHECK(ok.status == 0);
    CHECK(ok.out.find("OK") != std::string::npos);
    // Both references, the document and the XAdES properties, were checked.
    CHECK(ok.out.find("SignedInfo References (ok/all): 2/2") != std::string::npos);
    // xmlsec registers the Id attributes inside ds:Signature itself, so the
    // plain command verifies both references too.
    auto plain = run("xmlsec1 --verify --trusted-pem " + shellQuoted(pki.ca) + " " + shellQuoted(file));
    INFO(plain.out);
    CHECK(plain.status == 0);
    CHECK(plain.out.find("SignedInfo References (ok/all): 2/2") != std::string::npos);

    // Still valid against the schema, signature included.
    auto lint = run("xmllint --noout --schema " + shellQuoted(kXsd) + " " + shellQuoted(file));
    INFO(lint.out);
    CHECK(lint.status == 0);

    SECTION("one character of the letter changed") {
        const std::string tampered =
            pki.dir.file("tampered.xml", replaceOnce(doc.xml, "brakuje podpisu", "brakuje podpisy"));
        auto r = verify(pki, tampered);
        INFO(r.out);
        CHECK(r.status != 0);
    }
    SECTION("the signing time changed") {
        const std::string time = xml.text(props + "//xades:SigningTime");
        const std::string tampered = pki.dir.file("tampered.xml", replaceOnce(doc.xml, time, "1999" + time.substr(4)));
        auto r = verify(pki, tampered);
        INFO(r.out);
        CHECK(r.status != 0);
    }
    SECTION("an attachment byte changed") {
        const std::string data = xml.text("(//str:DaneZalacznika)[2]");
        std::string changed = data;
        changed[10] = changed[10] == 'A' ? 'B' : 'A';
        const std::string tampered = pki.dir.file("tampered.xml", replaceOnce(doc.xml, data, changed));
        auto r = verify(pki, tampered);
        INFO(r.out);
        CHECK(r.status != 0);
    }
    SECTION("a CA that did not issue the certificate") {
        Pki other;
        auto r = run("xmlsec1 --verify --trusted-pem " + shellQuoted(other.ca) + " --id-attr:Id '" + kXadesId + "' " +
                     shellQuoted(file));
        INFO(r.out);
        CHECK(r.status != 0);
    }
    SECTION("a PKCS#12 with legacy (RC2) encryption still signs") {
        const std::string d = shellQuoted(pki.dir.path());
        auto made = run("cd " + d +
                        " && openssl pkcs12 -export -legacy -inkey signer.key -in signer.pem -certfile ca.pem "
                        "-out legacy.p12 -passout 'pass:" +
                        pki.password + "'");
        INFO(made.out);
        REQUIRE(made.status == 0);
        c.pkcs12Path = pki.dir.path() + "/legacy.p12";
        auto legacy = output::renderEpuapDocument(f.input(), c);
        INFO(legacy.error);
        REQUIRE(legacy);
        auto r = verify(pki, pki.dir.file("legacy.xml", legacy.xml));
        INFO(r.out);
        CHECK(r.status == 0);
    }
    SECTION("a wrong PKCS#12 password is an error value") {
        c.pkcs12Password = "nie to hasło";
        auto bad = output::renderEpuapDocument(f.input(), c);
        CHECK_FALSE(bad);
        CHECK(bad.error.find("PKCS#12") != std::string::npos);
    }
}

TEST_CASE("ePUAP HTML view shows sender, addressee and the letter in Polish", "[output][epuap]") {
    Fixture f;
    auto doc = output::renderEpuapDocument(f.input(), config());
    REQUIRE(doc);
    const std::string html = output::renderEpuapHtml(doc.xml, kView);
    CHECK(html.find("<html lang=\"pl\">") != std::string::npos);
    CHECK(html.find("Regionalny Ośrodek Polityki Społecznej w Lublinie") != std::string::npos);
    CHECK(html.find("Powiat łęczyński") != std::string::npos);
    CHECK(html.find("Starostwo Powiatowe w Łęcznej") != std::string::npos);
    CHECK(html.find("Zażółć gęślą jaźń – ŻÓŁW, „cudzysłów” &amp; &lt;znaki&gt;.") != std::string::npos);
    CHECK(html.find("Wezwanie do uzupełnienia braków w zgłoszeniu") != std::string::npos);
    CHECK(html.find("ROPS-LK.524.1.17.2018") != std::string::npos);
    CHECK(html.find("karta-łęczyński.pdf") != std::string::npos);
    CHECK(html.find("Dokument nie zawiera podpisu") != std::string::npos);

    // The ePUAP sample (default namespaces) renders through the same view.
    const std::string sample = output::renderEpuapHtml(test::readFile(kSample), kView);
    CHECK(sample.find("Nazwa Instytucji Nadawcy 1") != std::string::npos);
    CHECK(sample.find("Tytuł Dokumentu 1") != std::string::npos);
    CHECK(sample.find("Miejscowość") != std::string::npos);

    CHECK_THROWS_AS(output::renderEpuapHtml("<nie-xml", kView), std::runtime_error);
}

TEST_CASE("Signed ePUAP HTML view names the signing time", "[output][epuap]") {
    Pki pki;
    Fixture f;
    auto c = config();
    c.pkcs12Path = pki.p12;
    c.pkcs12Password = pki.password;
    c.signingTime = "2018-06-25T08:30:00Z";
    auto doc = output::renderEpuapDocument(f.input(), c);
    INFO(doc.error);
    REQUIRE(doc);
    const std::string html = output::renderEpuapHtml(doc.xml, kView);
    CHECK(html.find("Data złożenia podpisu: 2018-06-25T08:30:00Z") != std::string::npos);
    CHECK(html.find("Test CA Łódź") != std::string::npos);
}

TEST_CASE("process --sign signs every epuap.xml; a certificate that cannot sign stops the run",
          "[output][epuap][process]") {
    Pki pki;
    test::TempDir dir;
    const std::string out = dir.path() + "/wyniki";
    const std::string bin = std::string(FORMPROC_BUILD_DIR) + "/formproc process ";
    const std::string inputs = shellQuoted(test::dataPath("acroform/002-powiat-rzeszowski.pdf")) + " " +
                               shellQuoted(test::dataPath("pdf-malformed/qpdf-bad2.pdf"));
    const std::string passwordFile = dir.file("haslo.txt", pki.password + "\n");
    auto r = run(bin + inputs + " --out " + shellQuoted(out) + " --sign " + shellQuoted(pki.p12) +
                 " --sign-password-file " + shellQuoted(passwordFile) + " --date 2018-06-25 >/dev/null");
    INFO(r.out);
    REQUIRE(r.status == 0);
    for (const auto& folder : {"002-powiat-rzeszowski", "qpdf-bad2"}) {
        INFO(folder);
        const std::string file = out + "/" + folder + "/epuap.xml";
        CHECK_THAT(test::readFile(file), Catch::Contains("<ds:Signature"));
        CHECK(verify(pki, file).status == 0);
        CHECK(output::validateEpuapXml(test::readFile(file), test::sourcePath("templates/epuap/pismo-ogolne.xsd"))
                  .empty());
    }
    // The password may come from the environment instead.
    auto env = run("FORMPROC_SIGN_PASSWORD=" + shellQuoted(pki.password) + " " + bin +
                   shellQuoted(test::dataPath("acroform/005-powiat-leczynski.pdf")) + " --out " + shellQuoted(out) +
                   " --sign " + shellQuoted(pki.p12) + " >/dev/null");
    CHECK(env.status == 0);
    CHECK(verify(pki, out + "/005-powiat-leczynski/epuap.xml").status == 0);

    // A wrong password: usage error before any document is taken.
    const std::string other = dir.path() + "/inne";
    auto wrong = run("FORMPROC_SIGN_PASSWORD=zle " + bin + inputs + " --out " + shellQuoted(other) + " --sign " +
                     shellQuoted(pki.p12) + " 2>&1 >/dev/null");
    CHECK(wrong.status == 2);
    CHECK_THAT(wrong.out, Catch::Contains("wrong password"));
    CHECK_FALSE(std::filesystem::exists(other + "/002-powiat-rzeszowski"));
}
