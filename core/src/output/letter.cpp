#include "formproc/output/letter.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "formproc/output/addressee.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/util/text.hpp"
#include "pdf_support.hpp"

namespace formproc::output {

namespace {

using validation::Date;

// --- the data -------------------------------------------------------------------

const std::string* textOf(const Result& result, std::string_view id) {
    const FieldValue* fv = result.field(id);
    return fv ? std::get_if<std::string>(&fv->value) : nullptr;
}

std::string textOr(const Result& result, std::string_view id, const std::string& fallback = {}) {
    const std::string* text = textOf(result, id);
    return text && !text->empty() ? *text : fallback;
}

std::string joinNonEmpty(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& part : parts) {
        if (part.empty()) continue;
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

const forms::Option* optionOf(const std::vector<forms::Option>& options, const std::string& code) {
    for (const auto& option : options)
        if (option.code == code) return &option;
    return nullptr;
}

std::string scalarText(const Scalar& cell, const forms::Column* column) {
    if (const auto* text = std::get_if<std::string>(&cell)) {
        if (column) {
            if (const auto* option = optionOf(column->options, *text); option && !option->labels.empty())
                return option->labels.front();
        }
        return *text;
    }
    if (const auto* number = std::get_if<std::int64_t>(&cell)) return std::to_string(*number);
    if (const auto* flag = std::get_if<bool>(&cell)) return *flag ? "tak" : "nie";
    return {};
}

// A field's value as a person reads it in a letter.
std::string displayValue(const forms::Field& field, const Value& value) {
    if (const auto* text = std::get_if<std::string>(&value)) {
        if (field.type == forms::FieldType::Date)
            if (auto date = validation::parseDate(*text)) return shortDatePl(*date);
        return *text;
    }
    if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
    if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "tak" : "nie";
    if (const auto* set = std::get_if<std::vector<std::string>>(&value)) {
        std::vector<std::string> labels;
        for (const auto& code : *set) {
            const auto* option = field.option(code);
            labels.push_back(option && !option->labels.empty() ? option->labels.front() : code);
        }
        return joinNonEmpty(labels, ", ");
    }
    if (const auto* rows = std::get_if<std::vector<Row>>(&value)) {
        std::vector<std::string> lines;
        for (const auto& row : *rows) {
            std::vector<std::string> cells;
            for (const auto& [column, cell] : row) cells.push_back(scalarText(cell, field.column(column)));
            lines.push_back(joinNonEmpty(cells, " – "));
        }
        return joinNonEmpty(lines, "; ");
    }
    return {};
}

// "ul. Diamentowa 2, 20-447 Lublin" -> "Lublin": the town after the postal code.
std::string townOf(const std::string& address) {
    const std::string text = util::collapseSpace(address);
    for (std::size_t i = 0; i + 6 <= text.size(); ++i) {
        const auto digit = [&](std::size_t k) { return text[k] >= '0' && text[k] <= '9'; };
        if (digit(i) && digit(i + 1) && text[i + 2] == '-' && digit(i + 3) && digit(i + 4) && digit(i + 5) &&
            (i == 0 || !digit(i - 1)) && (i + 6 == text.size() || text[i + 6] == ' ')) {
            std::string town = std::string(util::trim(text.substr(i + 6)));
            if (const auto comma = town.find(','); comma != std::string::npos) town.resize(comma);
            if (!town.empty()) return town;
        }
    }
    const auto comma = text.rfind(',');
    return std::string(util::trim(comma == std::string::npos ? text : text.substr(comma + 1)));
}

// "Liderzy kooperacji – nabór 2018" -> "Liderzy kooperacji".
std::string projectOf(const std::string& campaignName) {
    for (const char* dash : {" – ", " — ", " - "})
        if (const auto at = campaignName.find(dash); at != std::string::npos && at > 0)
            return campaignName.substr(0, at);
    return campaignName;
}

std::string channelPl(const std::string& channel) {
    if (channel == "email") return "poczta elektroniczna";
    if (channel == "epuap") return "ePUAP";
    if (channel == "post") return "poczta tradycyjna";
    if (channel == "upload") return "formularz internetowy";
    if (channel == "in_person" || channel == "in-person" || channel == "osobiscie") return "osobiście";
    return channel;
}

std::string inQuotes(const std::string& text) { return "„" + text + "”"; }

const validation::TerytUnit* gminaUnit(const LetterRequest& r, const std::string& codeField,
                                       const std::string& nameField) {
    if (!r.teryt) return nullptr;
    const std::string code = textOr(*r.result, codeField);
    if (code.size() == 7)
        if (const auto* unit = r.teryt->byCode(code)) return unit;
    const std::string name = textOr(*r.result, nameField);
    if (name.size() == 7 && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return r.teryt->byCode(name);
    if (name.empty()) return nullptr;
    auto found = r.teryt->gminyByName(name);
    // A name shared by an urban and a rural gmina (Tomaszów Lubelski): the
    // card's powiat decides when it is known.
    const std::string powiat = textOr(*r.result, "nazwa_powiatu");
    if (found.size() > 1 && !powiat.empty()) {
        auto powiaty = r.teryt->powiatyByName(powiat);
        if (!powiaty.empty()) {
            const std::string prefix = powiaty.front()->code;
            auto narrowed = r.teryt->gminyByName(name, prefix);
            if (!narrowed.empty()) found = narrowed;
        }
    }
    return found.empty() ? nullptr : found.front();
}

struct DocumentNames {
    std::string nominative, genitive, accusative, locative;
};

DocumentNames documentNames(const LetterRequest& r) {
    const Result& result = *r.result;
    if (!r.form) {
        const std::string file = inQuotes(r.fileName.empty() ? std::string("bez nazwy") : r.fileName);
        return {"plik " + file, "pliku " + file, "plik " + file, "pliku " + file};
    }
    const std::string& id = r.form->id;
    if (id == "karta-powiatu") {
        const std::string powiat = textOr(result, "nazwa_powiatu");
        const std::string tail = powiat.empty() ? "powiatu" : "powiatu " + powiatGenitive(powiat);
        return {"karta zgłoszeniowa " + tail, "karty zgłoszeniowej " + tail, "kartę zgłoszeniową " + tail,
                "karcie zgłoszeniowej " + tail};
    }
    if (id == "karta-gminy") {
        const std::string gmina = textOr(result, "nazwa_gminy");
        const std::string tail = gmina.empty() ? "gminy" : "gminy " + gmina;
        return {"karta zgłoszeniowa " + tail, "karty zgłoszeniowej " + tail, "kartę zgłoszeniową " + tail,
                "karcie zgłoszeniowej " + tail};
    }
    if (id == "karta-diagnozy") {
        const std::string number = textOr(result, "numer_karty");
        const std::string tail = "indywidualnej diagnozy" + (number.empty() ? std::string() : " nr " + number);
        return {"karta " + tail, "karty " + tail, "kartę " + tail, "karcie " + tail};
    }
    // A form added later: its title, without declension.
    const std::string title = inQuotes(r.form->title);
    return {"formularz " + title, "formularza " + title, "formularz " + title, "formularzu " + title};
}

// A refusal's reason without the request that follows it („Plik jest
// uszkodzony i nie daje się odczytać. Prosimy o ponowne przesłanie karty.”
// -> its first sentence): the letter asks once, in its own words.
std::string reasonOnly(const std::string& message) {
    for (std::size_t at = message.find(". "); at != std::string::npos; at = message.find(". ", at + 1)) {
        const std::string rest = message.substr(at + 2);
        const auto letters = pdf::codePoints(rest);
        if (!letters.empty() && util::toLowerPl(letters.front()) != letters.front()) return message.substr(0, at + 1);
    }
    return message;
}

std::string enrolledGminyOf(const LetterRequest& r) {
    const FieldValue* gminy = r.result->field("gminy");
    const auto* rows = gminy ? std::get_if<std::vector<Row>>(&gminy->value) : nullptr;
    if (!rows || !r.campaign) return {};
    std::vector<std::string> names;
    for (const auto& row : *rows) {
        const Scalar* nameCell = findCell(row, "nazwa");
        const Scalar* codeCell = findCell(row, "teryt");
        const auto* name = nameCell ? std::get_if<std::string>(nameCell) : nullptr;
        const auto* code = codeCell ? std::get_if<std::string>(codeCell) : nullptr;
        bool enrolled = code && r.campaign->isEnrolled(*code);
        if (!enrolled && name && !code)
            for (const auto& g : r.campaign->enrolledGminy)
                if (util::equalsFolded(g.nazwa, *name)) enrolled = true;
        if (enrolled && name) names.push_back(*name);
    }
    return joinNonEmpty(names, ", ");
}

}  // namespace

namespace {

bool isAlnumAscii(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Whether `secret` stands in `text` as a word of its own (a PESEL inside a
// longer number, „30” inside „2030”, do not count).
bool containsToken(const std::string& text, const std::string& secret) {
    if (secret.empty()) return false;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 1)) {
        const bool before = at == 0 || !isAlnumAscii(text[at - 1]);
        const std::size_t end = at + secret.size();
        const bool after = end >= text.size() || !isAlnumAscii(text[end]);
        if (before && after) return true;
    }
    return false;
}

void addScalarSecrets(const Scalar& cell, const forms::Column* column, std::vector<std::string>& out) {
    if (const auto* text = std::get_if<std::string>(&cell)) {
        out.push_back(*text);
        if (column)
            if (const auto* option = optionOf(column->options, *text))
                for (const auto& label : option->labels) out.push_back(label);
    } else if (const auto* number = std::get_if<std::int64_t>(&cell)) {
        out.push_back(std::to_string(*number));
    }
}

// Everything of the card's special-category data a message could state:
// the values of sensitive fields as written and as labelled, and what a
// PESEL tells (birth date in its usual forms, the age on the diagnosis).
std::vector<std::string> sensitiveValues(const forms::Form& form, const Result& result) {
    std::vector<std::string> out;
    for (const auto& field : form.fields) {
        if (!field.sensitive) continue;
        const FieldValue* fv = result.field(field.id);
        if (!fv) continue;
        if (const auto* text = std::get_if<std::string>(&fv->value)) {
            out.push_back(*text);
            if (field.type == forms::FieldType::Pesel)
                if (auto info = validation::decodePesel(validation::digitsOnly(*text))) {
                    out.push_back(shortDatePl(info->birth));
                    out.push_back(info->birth.iso());
                    std::string spelled = longDatePl(info->birth);
                    out.push_back(spelled.substr(0, spelled.size() - 3));  // without " r."
                    if (auto on = validation::parseDate(textOr(result, "data_diagnozy")))
                        out.push_back(std::to_string(validation::ageOn(info->birth, *on)));
                }
        } else if (const auto* number = std::get_if<std::int64_t>(&fv->value)) {
            out.push_back(std::to_string(*number));
        } else if (const auto* set = std::get_if<std::vector<std::string>>(&fv->value)) {
            for (const auto& code : *set) addScalarSecrets(Scalar{code}, nullptr, out);
            for (const auto& code : *set)
                if (const auto* option = field.option(code))
                    for (const auto& label : option->labels) out.push_back(label);
        } else if (const auto* rows = std::get_if<std::vector<Row>>(&fv->value)) {
            for (const auto& row : *rows)
                for (const auto& [column, cell] : row) addScalarSecrets(cell, field.column(column), out);
        }
    }
    return out;
}

// Whether a message quotes („…”) anything but the names of fields and columns.
bool quotesAValue(std::string message, const forms::Field& field) {
    std::vector<std::string> names = field.labels;
    for (const auto& column : field.columns) names.insert(names.end(), column.labels.begin(), column.labels.end());
    for (const auto& name : names)
        for (std::size_t at; (at = message.find("„" + name + "”")) != std::string::npos;)
            message.erase(at, name.size() + std::string("„”").size());
    return message.find("„") != std::string::npos;
}

}  // namespace

std::string applicantMessage(const Issue& issue, const forms::Form* form, const Result& result,
                             const forms::Catalog& catalog) {
    if (!issue.field || !form) return issue.message;
    const forms::Field* field = form->field(*issue.field);
    if (!field || !field->sensitive) return issue.message;
    bool states = quotesAValue(issue.message, *field);
    for (const auto& secret : sensitiveValues(*form, result)) {
        if (states) break;
        states = secret.size() >= 3 && !std::isdigit(static_cast<unsigned char>(secret[0]))
                     ? util::foldKey(issue.message).find(util::foldKey(secret)) != std::string::npos
                     : containsToken(issue.message, secret);
    }
    if (!states) return issue.message;
    const std::map<std::string, std::string> vars = {{"label", field->label()}};
    return catalog.has("issue.sensitive") ? catalog.text("issue.sensitive", vars)
                                          : "Pole „" + field->label() + "” wymaga poprawienia.";
}

std::string pdfFontFile() { return pdf::fontFiles().regular; }

std::string pdfaProfileFile() { return pdf::srgbProfileFile(); }

const TemplateVocabulary& letterVocabulary() {
    static const TemplateVocabulary vocabulary = [] {
        TemplateVocabulary v;
        v.values = {"urzad_nazwa",
                    "urzad_adres",
                    "urzad_email",
                    "urzad_miejscowosc",
                    "data_pisma",
                    "miejscowosc_i_data",
                    "znak_sprawy",
                    "nabor",
                    "projekt",
                    "termin_naboru",
                    "nazwa_pliku",
                    "skrot_sha256",
                    "kanal",
                    "data_wplywu",
                    "data_wyslania",
                    "decyzja",
                    "pismo",
                    "karta_powiatu",
                    "karta_gminy",
                    "karta_diagnozy",
                    "odrzucony",
                    "dokument_mianownik",
                    "dokument_dopelniacz",
                    "dokument_biernik",
                    "dotyczy",
                    "jednostka",
                    "powiat_nazwa",
                    "powiat_dopelniacz",
                    "gmina_nazwa",
                    "gmina_rodzaj",
                    "osrodek_siostrzany",
                    "gminy_w_projekcie",
                    "numer_karty",
                    "data_diagnozy",
                    "adresat_nazwa",
                    "adresat_ulica",
                    "adresat_kod_miejscowosc",
                    "adresat_email",
                    "powod",
                    "kontakt",
                    "sa_bledy",
                    "sa_uwagi",
                    "tryb_kpa",
                    "zasady_naboru",
                    "podpis_osoba",
                    "podpis_funkcja",
                    "podpis_urzad",
                    "osrodek_siostrzany_adres",
                    "osrodek_siostrzany_email",
                    "dokument_miejscownik",
                    "przyczyna"};
        v.lists = {{"bledy", {"lp", "opis", "pole"}}, {"uwagi", {"lp", "opis", "pole"}}};
        v.prefixes = {"pole."};
        return v;
    }();
    return vocabulary;
}

std::shared_ptr<const LetterTemplates> loadLetterTemplates(const std::string& dir) {
    auto templates = LetterTemplates::loadDirectory(dir, letterVocabulary());
    std::string missing;
    if (!templates->has(kReceiptTemplate)) missing += std::string(" ") + kReceiptTemplate + ".txt";
    for (const Decision decision : allDecisions())
        if (!templates->has(toString(decision))) missing += " " + std::string(toString(decision)) + ".txt";
    if (!missing.empty()) throw std::runtime_error(dir + ": missing letter templates:" + missing);
    return templates;
}

TemplateData letterData(const LetterRequest& r) {
    if (!r.result || !r.campaign) throw std::invalid_argument("letterData: result and campaign are required");
    const Result& result = *r.result;
    const validation::Campaign& campaign = *r.campaign;
    const std::shared_ptr<const AnswerSettings> ownSettings = r.settings ? nullptr : answerSettingsFor(campaign);
    const AnswerSettings& settings = r.settings ? *r.settings : *ownSettings;
    TemplateData data;
    auto& v = data.values;

    v["urzad_nazwa"] = campaign.office.name;
    v["urzad_adres"] = campaign.office.address;
    v["urzad_email"] = campaign.office.email;
    v["urzad_miejscowosc"] = townOf(campaign.office.address);
    v["data_pisma"] = longDatePl(r.date);
    v["miejscowosc_i_data"] = joinNonEmpty({v["urzad_miejscowosc"], v["data_pisma"]}, ", ");
    v["znak_sprawy"] = r.caseSign;
    v["nabor"] = campaign.name;
    v["projekt"] = projectOf(campaign.name);
    v["termin_naboru"] = campaign.deadline ? longDatePl(*campaign.deadline) : "";
    v["nazwa_pliku"] = r.fileName.empty() ? std::filesystem::path(result.source).filename().string() : r.fileName;
    v["skrot_sha256"] = result.sha256;
    v["decyzja"] = toString(result.decision);
    v["pismo"] = r.catalog ? r.catalog->decision(result.decision).title : toString(result.decision);

    std::optional<Date> submitted;
    if (result.submitted) {
        v["kanal"] = channelPl(result.submitted->channel);
        if (!result.submitted->date.empty()) submitted = validation::parseDate(result.submitted->date);
    }
    v["data_wyslania"] = submitted ? longDatePl(*submitted) : "";
    // A file read from disk carries no date of its own: it is received the day it is registered.
    v["data_wplywu"] = longDatePl(submitted ? *submitted : r.date);

    const std::string formId = r.form ? r.form->id : "";
    v["karta_powiatu"] = formId == "karta-powiatu" ? "tak" : "";
    v["karta_gminy"] = formId == "karta-gminy" ? "tak" : "";
    v["karta_diagnozy"] = formId == "karta-diagnozy" ? "tak" : "";
    v["odrzucony"] = result.decision == Decision::Rejected || !r.form ? "tak" : "";

    const DocumentNames names = documentNames(r);
    v["dokument_mianownik"] = names.nominative;
    v["dokument_dopelniacz"] = names.genitive;
    v["dokument_biernik"] = names.accusative;
    v["dokument_miejscownik"] = names.locative;
    const std::string project = inQuotes(v["projekt"]);
    if (!r.form)
        v["dotyczy"] = names.genitive + " przesłanego w naborze " + inQuotes(campaign.name);
    else if (formId == "karta-diagnozy")
        v["dotyczy"] = names.genitive + " w projekcie " + project;
    else
        v["dotyczy"] = names.genitive + " do projektu " + project;

    v["jednostka"] = textOr(result, "jednostka_nazwa");
    const std::string powiat = textOr(result, "nazwa_powiatu");
    v["powiat_nazwa"] = powiat;
    v["powiat_dopelniacz"] = powiat.empty() ? "" : "powiatu " + powiatGenitive(powiat);

    // The gmina: of a gmina card, or where a diagnosis was made.
    const validation::TerytUnit* gmina =
        formId == "karta-diagnozy" ? gminaUnit(r, "", "gmina") : gminaUnit(r, "teryt_gminy", "nazwa_gminy");
    std::string gminaName = formId == "karta-diagnozy" ? textOr(result, "gmina") : textOr(result, "nazwa_gminy");
    if (gmina && (gminaName.empty() || gminaName == gmina->code)) gminaName = gmina->name;
    v["gmina_nazwa"] = gminaName;
    v["gmina_rodzaj"] = gmina ? gminaKindPl(gmina->kind) : "";
    std::string sister;
    if (gmina)
        if (auto office = campaign.sisterOffices.find(gmina->kind); office != campaign.sisterOffices.end())
            sister = office->second;
    if (sister.empty()) {
        // Without TERYT at hand, the not_rural issue names the office.
        for (const auto& issue : result.issues) {
            if (issue.code != "not_rural") continue;
            for (const auto& [kind, office] : campaign.sisterOffices)
                if (issue.message.find(office) != std::string::npos) sister = office;
        }
    }
    v["osrodek_siostrzany"] = sister;
    if (const AddressEntry* office = sister.empty() ? nullptr : settings.find({}, sister)) {
        v["osrodek_siostrzany_adres"] = office->address.oneLine();
        v["osrodek_siostrzany_email"] = office->email;
    }
    v["gminy_w_projekcie"] = enrolledGminyOf(r);
    v["numer_karty"] = textOr(result, "numer_karty");
    if (auto date = validation::parseDate(textOr(result, "data_diagnozy"))) v["data_diagnozy"] = longDatePl(*date);
    v["kontakt"] = textOr(result, "kontakt_imie_nazwisko");

    // The addressee: the same for the letter and the ePUAP document.
    const Addressee addressee = addresseeOf(result, r.form, r.teryt, settings, v["nazwa_pliku"]);
    v["adresat_nazwa"] = addressee.lines.empty() ? addressee.party.name : addressee.lines.front();
    v["adresat_ulica"] = addressee.party.street.empty() && addressee.party.building.empty()
                             ? std::string()
                             : util::collapseSpace(addressee.party.street + " " + addressee.party.building +
                                                   (addressee.party.flat.empty() ? "" : "/" + addressee.party.flat));
    v["adresat_kod_miejscowosc"] = util::collapseSpace(addressee.party.postalCode + " " + addressee.party.city);
    v["adresat_email"] = addressee.party.email;

    // The legal frame (campaign file): KPA only where the campaign says its
    // procedure is administrative, and never for a diagnosis card, an
    // internal document of the project.
    const bool administrative = settings.frame == LegalFrame::Administrative && formId != "karta-diagnozy";
    v["tryb_kpa"] = administrative ? "tak" : "";
    v["zasady_naboru"] = settings.rules.empty() ? "zaproszenia do udziału w projekcie " + project : settings.rules;
    if (settings.termDays) v["termin_dni"] = std::to_string(*settings.termDays);
    v["podpis_osoba"] = settings.signature.name;
    v["podpis_funkcja"] = settings.signature.function;
    v["podpis_urzad"] = settings.signature.office;

    // Problems: errors are what the wezwanie asks to remedy; warnings are remarks.
    auto& errors = data.lists["bledy"];
    auto& remarks = data.lists["uwagi"];
    for (const auto& issue : result.issues) {
        std::string label;
        if (issue.field && r.form)
            if (const auto* field = r.form->field(*issue.field)) label = field->label();
        const std::string message = r.catalog ? applicantMessage(issue, r.form, result, *r.catalog) : issue.message;
        if (issue.severity == Severity::Error) {
            errors.push_back({{"lp", std::to_string(errors.size() + 1)}, {"opis", message}, {"pole", label}});
            if (v["powod"].empty()) {
                v["powod"] = message;
                v["przyczyna"] = reasonOnly(message);
            }
        } else if (issue.severity == Severity::Warning) {
            remarks.push_back({{"lp", std::to_string(remarks.size() + 1)}, {"opis", message}, {"pole", label}});
        }
    }

    v["sa_bledy"] = errors.empty() ? "" : "tak";
    v["sa_uwagi"] = remarks.empty() ? "" : "tak";

    // The card's own values, except special-category data (RODO art. 9),
    // which never goes into a letter.
    if (r.form)
        for (const auto& field : r.form->fields) {
            if (field.sensitive) continue;
            if (const FieldValue* fv = result.field(field.id)) v["pole." + field.id] = displayValue(field, fv->value);
        }
    return data;
}

// --- layout -----------------------------------------------------------------------

namespace {

constexpr double kLeft = 70.9;   // 25 mm
constexpr double kRight = 56.7;  // 20 mm
constexpr double kTop = 56.7;
constexpr double kBottom = 62.0;  // leaves room for the footer
constexpr double kTextWidth = pdf::kPageWidth - kLeft - kRight;
constexpr double kColumnX = kLeft + kTextWidth * 0.45;  // room for an e-mail address on one line
constexpr double kColumnWidth = kTextWidth * 0.55;
constexpr double kBodySize = 10.5;
constexpr double kSmallSize = 8.5;
constexpr double kLeading = 1.38;
constexpr double kItemIndent = 24.0;

enum class Align { Left, Right, Center, Justify };

struct Part {
    std::string text;
    bool bold = false;
    double width = 0;
};

struct Word {
    std::vector<Part> parts;
    double width = 0;
};

using pdf::LineOp;
using pdf::TextOp;
using Page = pdf::PageOps;

std::string wordText(const Word& word) {
    std::string text;
    for (const auto& part : word.parts) text += part.text;
    return text;
}

// Polish typesetting: a one-letter conjunction or preposition („w”, „i”,
// „z”…), „§” and abbreviations before a number or name do not end a line,
// and „r.” (after a year) or a dash does not start one.
bool keptTogether(const Word& before, const Word& after) {
    // „nr”, „ul.” and „Zał.” stay with the number or name that follows („Zał. nr 1”).
    static const std::set<std::string> hanging = {"a", "i", "o", "u",  "w",  "z",   "A",   "I",    "O",    "U",
                                                  "W", "Z", "§", "nr", "Nr", "ul.", "al.", "Zał.", "(Zał."};
    if (hanging.count(wordText(before))) return true;
    const std::string next = wordText(after);
    return next == "–" || next == "—" || next.rfind("r.", 0) == 0;
}

class Composer {
public:
    explicit Composer(pdf::Fonts fonts) : _fonts(fonts) {}

    void beginSection() {
        ++_section;
        newPage();
    }

    void add(const Block& block) {
        switch (block.kind) {
            case BlockKind::Paragraph:
                text(block.runs, kLeft, kTextWidth, kBodySize, Align::Justify, false, 0.0);
                break;
            case BlockKind::Line: text(block.runs, kLeft, kTextWidth, kBodySize, Align::Left, false, 0.0); break;
            case BlockKind::Heading: text(block.runs, kLeft, kTextWidth, 13.0, Align::Left, true, 0.0); break;
            case BlockKind::Title: {
                // Titles are written in normal case (the ePUAP document uses
                // them as written) and printed in capitals.
                std::vector<TextRun> upper = block.runs;
                for (auto& run : upper) run.text = util::toUpperPl(run.text);
                space(8.0);
                text(upper, kLeft, kTextWidth, 12.5, Align::Center, true, 0.0);
                space(4.0);
                break;
            }
            case BlockKind::Right: text(block.runs, kLeft, kTextWidth, kBodySize, Align::Right, false, 0.0); break;
            case BlockKind::Center: text(block.runs, kLeft, kTextWidth, kBodySize, Align::Center, false, 0.0); break;
            case BlockKind::Column: text(block.runs, kColumnX, kColumnWidth, kBodySize, Align::Left, false, 0.0); break;
            case BlockKind::ColumnCenter:
                text(block.runs, kColumnX, kColumnWidth, kBodySize, Align::Center, false, 0.0);
                break;
            case BlockKind::Small: text(block.runs, kLeft, kTextWidth, kSmallSize, Align::Left, false, 0.25); break;
            case BlockKind::Item: {
                ensure(kBodySize * kLeading);
                const double baseline = _y - kBodySize;
                // Markers end at one place, so "9." and "10." line up on their full stops.
                const double markerWidth = pdf::textWidth(_fonts.regular, kBodySize, block.marker);
                page().texts.push_back(
                    {kLeft + kItemIndent - 5.0 - markerWidth, baseline, kBodySize, false, 0.0, block.marker});
                text(block.runs, kLeft + kItemIndent, kTextWidth - kItemIndent, kBodySize, Align::Justify, false, 0.0);
                break;
            }
            case BlockKind::Rule:
                ensure(10.0);
                _y -= 3.0;
                page().lines.push_back({kLeft, _y, kLeft + kTextWidth, _y});
                _y -= 7.0;
                break;
            case BlockKind::Gap:
                if (!atTop()) space(kBodySize * 0.6);
                break;
            case BlockKind::Space: space(kBodySize * kLeading); break;
            case BlockKind::PageBreak: newPage(); break;
        }
    }

    std::vector<Page>& pages() { return _pages; }

private:
    Page& page() { return _pages.back(); }
    bool atTop() const { return _y >= pdf::kPageHeight - kTop - 0.01; }

    void newPage() {
        _pages.push_back(Page{{}, {}, _section});
        _y = pdf::kPageHeight - kTop;
    }

    void space(double height) {
        _y -= height;
        if (_y < kBottom) newPage();
    }

    void ensure(double height) {
        if (_y - height < kBottom && !atTop()) newPage();
    }

    PoDoFo::PdfFont* font(bool bold) const { return bold ? _fonts.bold : _fonts.regular; }

    std::vector<Word> words(const std::vector<TextRun>& runs, double size, bool forceBold) const {
        std::vector<Word> out;
        Word current;
        auto endWord = [&] {
            if (!current.parts.empty()) out.push_back(std::move(current));
            current = Word{};
        };
        for (const auto& run : runs) {
            const bool bold = run.bold || forceBold;
            std::size_t start = 0;
            while (true) {
                const std::size_t space = run.text.find(' ', start);
                const std::string piece =
                    run.text.substr(start, space == std::string::npos ? std::string::npos : space - start);
                if (!piece.empty()) {
                    const double width = pdf::textWidth(font(bold), size, piece);
                    current.parts.push_back({piece, bold, width});
                    current.width += width;
                }
                if (space == std::string::npos) break;
                endWord();
                start = space + 1;
            }
        }
        endWord();
        return out;
    }

    // A word wider than the line, cut between code points.
    std::vector<Word> cut(const Word& word, double width, double size) const {
        std::vector<Word> out;
        Word current;
        for (const auto& part : word.parts) {
            for (const auto& cp : pdf::codePoints(part.text)) {
                const double w = pdf::textWidth(font(part.bold), size, cp);
                if (current.width + w > width && !current.parts.empty()) {
                    out.push_back(std::move(current));
                    current = Word{};
                }
                if (current.parts.empty() || current.parts.back().bold != part.bold)
                    current.parts.push_back({"", part.bold, 0.0});
                current.parts.back().text += cp;
                current.parts.back().width += w;
                current.width += w;
            }
        }
        if (!current.parts.empty()) out.push_back(std::move(current));
        return out;
    }

    void text(const std::vector<TextRun>& runs, double x, double width, double size, Align align, bool bold,
              double gray) {
        const double spaceWidth = pdf::textWidth(_fonts.regular, size, " ");
        std::vector<std::vector<Word>> lines(1);
        double lineWidth = 0;
        for (const auto& word : words(runs, size, bold)) {
            for (const auto& piece : word.width > width ? cut(word, width, size) : std::vector<Word>{word}) {
                auto& line = lines.back();
                if (!line.empty() && lineWidth + spaceWidth + piece.width > width) {
                    // Words that Polish typesetting keeps together move to the new line as one.
                    std::vector<Word> carry;
                    while (line.size() > 1 && keptTogether(line.back(), carry.empty() ? piece : carry.front())) {
                        carry.insert(carry.begin(), line.back());
                        line.pop_back();
                    }
                    lines.emplace_back(std::move(carry));
                    lineWidth = 0;
                    for (const auto& moved : lines.back())
                        lineWidth += (lineWidth > 0 ? spaceWidth : 0.0) + moved.width;
                }
                lineWidth += (lines.back().empty() ? 0.0 : spaceWidth) + piece.width;
                lines.back().push_back(piece);
            }
        }
        const double lineHeight = size * kLeading;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].empty()) continue;
            ensure(lineHeight);
            const double baseline = _y - size;
            draw(lines[i], x, width, baseline, size, align, i + 1 == lines.size(), spaceWidth, gray);
            _y -= lineHeight;
        }
    }

    void draw(const std::vector<Word>& line, double x, double width, double baseline, double size, Align align,
              bool last, double spaceWidth, double gray) {
        double natural = 0;
        for (const auto& word : line) natural += word.width;
        const double gaps = static_cast<double>(line.size() - 1);
        if (align == Align::Justify && !last && line.size() > 1) {
            const double gap = (width - natural) / gaps;
            // A line of two or three long words would gape: leave it ragged.
            if (gap <= spaceWidth * 3.5) {
                // Word by word: Tw word spacing does not apply to two-byte (Identity-H) codes.
                double at = x;
                for (const auto& word : line) {
                    double partX = at;
                    for (const auto& part : word.parts) {
                        page().texts.push_back({partX, baseline, size, part.bold, gray, part.text});
                        partX += part.width;
                    }
                    at += word.width + gap;
                }
                return;
            }
        }
        natural += gaps * spaceWidth;
        double at = x;
        if (align == Align::Right) at = x + width - natural;
        if (align == Align::Center) at = x + (width - natural) / 2.0;
        // Whole runs with their spaces: the text layer reads back exactly as written.
        std::vector<Part> merged;
        for (std::size_t w = 0; w < line.size(); ++w) {
            for (std::size_t p = 0; p < line[w].parts.size(); ++p) {
                const Part& part = line[w].parts[p];
                std::string text = (w > 0 && p == 0 ? " " : "") + part.text;
                if (!merged.empty() && merged.back().bold == part.bold)
                    merged.back().text += text;
                else
                    merged.push_back({text, part.bold, 0.0});
            }
        }
        for (const auto& part : merged) {
            page().texts.push_back({at, baseline, size, part.bold, gray, part.text});
            at += pdf::textWidth(font(part.bold), size, part.text);
        }
    }

    pdf::Fonts _fonts;
    std::vector<Page> _pages;
    std::size_t _section = 0;
    double _y = 0;
};

}  // namespace

namespace {

std::string renderSections(const LetterTemplates& templates, const std::vector<std::vector<Block>>& sections,
                           const TemplateData& data, const std::string& title) {
    std::lock_guard lock(pdf::podofoMutex());
    PoDoFo::PdfMemDocument doc;
    const pdf::Fonts fonts = pdf::createFonts(doc);
    Composer composer(fonts);
    for (const auto& blocks : sections) {
        composer.beginSection();
        for (const auto& block : blocks) composer.add(block);
    }
    auto& pages = composer.pages();

    // The footer knows each letter's page count only now.
    std::map<std::size_t, int> pagesPerSection;
    for (const auto& page : pages) ++pagesPerSection[page.section];
    const std::string footer =
        templates.setting("stopka_strony", "Znak sprawy: {znak_sprawy} – strona {strona} z {stron}");
    std::map<std::string, std::string> footerValues = templates.settings();
    for (const auto& [key, value] : data.values) footerValues[key] = value;
    std::map<std::size_t, int> seen;
    for (auto& page : pages) {
        footerValues["strona"] = std::to_string(++seen[page.section]);
        footerValues["stron"] = std::to_string(pagesPerSection[page.section]);
        const std::string text = fillPlaceholders(footer, footerValues);
        if (text.empty()) continue;
        const double width = pdf::textWidth(fonts.regular, 7.5, text);
        page.texts.push_back({(pdf::kPageWidth - width) / 2.0, 30.0, 7.5, false, 0.35, text});
    }

    PoDoFo::PdfPainter painter;
    for (const auto& page : pages) pdf::paintPage(doc, painter, fonts, page);
    auto office = data.values.find("urzad_nazwa");
    auto subject = data.values.find("dotyczy");
    pdf::PdfaInfo info;
    info.title = title;
    info.author = office == data.values.end() ? std::string() : office->second;
    info.subject = subject == data.values.end() ? std::string() : "Dotyczy: " + subject->second;
    pdf::makePdfA(doc, info);
    return pdf::toBytes(doc);
}

std::string blockText(const Block& block) {
    std::string text;
    for (const auto& run : block.runs) text += run.text;
    text = util::collapseSpace(text);
    if (block.kind == BlockKind::Item && !text.empty()) text = block.marker + " " + text;
    return text;
}

}  // namespace

std::string renderLetterPdf(const LetterTemplates& templates, const std::vector<std::string>& names,
                            const TemplateData& data, const std::string& title) {
    std::vector<std::vector<Block>> sections;
    for (const auto& name : names) {
        if (!templates.has(name)) throw std::runtime_error("no letter template '" + name + ".txt'");
        sections.push_back(templates.render(name, data));
    }
    return renderSections(templates, sections, data, title);
}

RenderedLetter renderLetter(const LetterTemplates& templates, const LetterRequest& request) {
    const TemplateData data = letterData(request);
    const std::string decision = toString(request.result->decision);
    for (const std::string& name : {std::string(kReceiptTemplate), decision})
        if (!templates.has(name)) throw std::runtime_error("no letter template '" + name + ".txt'");
    std::vector<std::vector<Block>> sections = {templates.render(kReceiptTemplate, data),
                                                templates.render(decision, data)};
    RenderedLetter letter;
    bool afterTitle = false;
    for (const auto& block : sections.back()) {
        const std::string text = blockText(block);
        if (block.kind == BlockKind::Title && letter.title.empty()) {
            letter.title = text;
            afterTitle = true;
        } else if (afterTitle && !text.empty() && block.kind != BlockKind::ColumnCenter &&
                   block.kind != BlockKind::Column && block.kind != BlockKind::Small) {
            // The body; signature and distribution list have places of their own in ePUAP.
            letter.paragraphs.push_back(text);
        }
    }
    if (letter.title.empty()) letter.title = data.values.at("pismo");
    if (const auto letters = pdf::codePoints(letter.title); !letters.empty())
        letter.title = util::toUpperPl(letters.front()) + letter.title.substr(letters.front().size());
    std::string pdfTitle = letter.title;
    if (!request.caseSign.empty()) pdfTitle += " (" + request.caseSign + ")";
    letter.pdf = renderSections(templates, sections, data, pdfTitle);
    return letter;
}

std::string renderLetterPdf(const LetterTemplates& templates, const LetterRequest& request) {
    return renderLetter(templates, request).pdf;
}

}  // namespace formproc::output
