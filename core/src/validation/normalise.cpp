// Normalisation per field type: a value as read becomes the value of the
// contract (digits of an identifier, an ISO date, a register's spelling, an
// option's code...), and an OCR reading that fails its format is repaired
// when the evidence picks out one repair (card_run.hpp).
#include "card_run.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "formproc/util/text.hpp"
#include "formproc/validation/lexicon.hpp"
#include "formproc/validation/ocr_repair.hpp"
#include "formproc/validation/prose_repair.hpp"
#include "formproc/validation/teryt_repair.hpp"

namespace formproc::validation {

namespace {

using forms::Field;
using forms::FieldType;

struct Normalised {
    Value value;
    std::string problem;  // "", "format", "checksum", "unknown_teryt"
};

// What a scalar value (a field's or a list column's) is checked against.
struct ScalarRule {
    FieldType type;
    const std::vector<forms::Option>& options;
    std::optional<long long> min, max;
    int length;
};

ScalarRule ruleOf(const Field& f) { return {f.type, f.options, f.min, f.max, f.length}; }
ScalarRule ruleOf(const forms::Column& c) { return {c.type, c.options, c.min, c.max, c.length}; }

// Removes a leading word such as "powiat" or "gmina" from a name as written.
std::string stripPrefix(const std::string& raw, std::initializer_list<const char*> prefixes) {
    const std::string text = util::collapseSpace(raw);
    const std::size_t space = text.find(' ');
    if (space == std::string::npos) return text;
    const std::string first = util::foldPl(text.substr(0, space));
    for (const char* prefix : prefixes)
        if (first == prefix) return text.substr(space + 1);
    return text;
}

Normalised normaliseInteger(const std::string& text, std::optional<long long> min, std::optional<long long> max) {
    std::string compact;
    for (char c : text)
        if (c != ' ') compact.push_back(c);
    if (compact.empty() || compact.size() > 12 ||
        !std::all_of(compact.begin(), compact.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {text, "format"};
    long long n = std::stoll(compact);
    if ((min && n < *min) || (max && n > *max)) return {static_cast<std::int64_t>(n), "format"};
    return {static_cast<std::int64_t>(n), ""};
}

// NIP, REGON, PESEL and fixed-length digits: the digits, their length and check digits.
Normalised normaliseIdentifier(FieldType type, const std::string& text, int length) {
    const std::string digits = digitsOnly(text);
    const bool onlyDigitsAndSeparators = std::all_of(
        text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == ' ' || c == '.'; });
    if (digits.empty()) return {text, "format"};
    bool lengthOk = false;
    if (type == FieldType::Nip)
        lengthOk = digits.size() == 10;
    else if (type == FieldType::Regon)
        lengthOk = digits.size() == 9 || digits.size() == 14;
    else if (type == FieldType::Pesel)
        lengthOk = digits.size() == 11;
    else
        lengthOk = static_cast<int>(digits.size()) == length;
    if (!lengthOk || !onlyDigitsAndSeparators) return {digits, "format"};
    bool sumOk = true;
    if (type == FieldType::Nip)
        sumOk = nipChecksumOk(digits);
    else if (type == FieldType::Regon)
        sumOk = regonChecksumOk(digits);
    else if (type == FieldType::Pesel)
        sumOk = decodePesel(digits).has_value();
    return {digits, sumOk ? "" : "checksum"};
}

// Voivodeship, powiat and gmina names (or a gmina's code): the register's spelling.
Normalised normaliseTerytName(FieldType type, const std::string& text, const TerytRegister& teryt) {
    switch (type) {
        case FieldType::Voivodeship: {
            const TerytUnit* unit = teryt.voivodeshipByName(text);
            if (!unit) return {util::toLowerPl(stripPrefix(text, {"wojewodztwo", "woj."})), "unknown_teryt"};
            return {unit->name, ""};
        }
        case FieldType::PowiatName: {
            std::string name = util::toLowerPl(stripPrefix(text, {"powiat"}));
            auto found = teryt.powiatyByName(name);
            if (!found.empty()) name = found.front()->name;
            return {name, ""};
        }
        default: {  // GminaRef, GminaName
            if (type == FieldType::GminaRef && digitsOnly(text) == text && text.size() == 7) return {text, ""};
            std::string name = stripPrefix(text, {"gmina", "gm."});
            auto found = teryt.gminyByName(name);
            if (!found.empty()) name = found.front()->name;
            return {name, ""};
        }
    }
}

Normalised normaliseEnum(const std::string& text, const std::vector<forms::Option>& options) {
    const std::string folded = util::foldPl(text);
    for (const auto& option : options) {
        if (util::foldPl(option.code) == folded) return {option.code, ""};
        for (const auto& label : option.labels)
            if (util::foldPl(label) == folded) return {option.code, ""};
    }
    return {text, "format"};
}

// No value on a card is longer than this: a longer one is a format error,
// shown (in the result, the letters) by its beginning only.
constexpr std::size_t kMaxValueBytes = 2000;
constexpr std::size_t kShownBytes = 80;

// The value as written, or its first kShownBytes (cut at a character) and
// "…" when it is over kMaxValueBytes.
std::string bounded(const std::string& text) {
    if (text.size() <= kMaxValueBytes) return text;
    std::size_t cut = kShownBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

Normalised normaliseScalar(const ScalarRule& rule, const std::string& raw, const TerytRegister& teryt) {
    if (raw.size() > kMaxValueBytes) return {bounded(util::collapseSpace(raw)), "format"};
    const std::string text = util::collapseSpace(raw);
    switch (rule.type) {
        case FieldType::Integer: return normaliseInteger(text, rule.min, rule.max);
        case FieldType::Date: {
            auto d = parseDate(text);
            if (!d) return {text, "format"};
            return {d->iso(), ""};
        }
        case FieldType::Nip:
        case FieldType::Regon:
        case FieldType::Pesel:
        case FieldType::Digits: return normaliseIdentifier(rule.type, text, rule.length);
        case FieldType::Phone: {
            auto phone = normalisePhone(text);
            if (!phone) return {digitsOnly(text).empty() ? text : digitsOnly(text), "format"};
            return {*phone, ""};
        }
        case FieldType::Email: {
            auto email = normaliseEmail(text);
            if (!email) return {text, "format"};
            return {*email, ""};
        }
        case FieldType::PostalCode: return {text, postalCodeOk(text) ? "" : "format"};
        case FieldType::Voivodeship:
        case FieldType::PowiatName:
        case FieldType::GminaRef:
        case FieldType::GminaName: return normaliseTerytName(rule.type, text, teryt);
        case FieldType::Enum: return normaliseEnum(text, rule.options);
        case FieldType::Checkbox: return {isTicked(text), ""};
        case FieldType::Text:
        case FieldType::Place:
        case FieldType::Address:
        case FieldType::PlaceDate:
        case FieldType::Set:
        case FieldType::List: break;
    }
    return {text, ""};
}

// The confidence of a value the validator corrected (under every form's
// review threshold).
constexpr double kRepairedConfidence = 0.5;

// A corrected reading is a guess backed by evidence: a human should
// confirm it, so its confidence goes under the review threshold.
Extracted lowered(const Extracted& e) {
    Extracted out = e;
    out.confidence = std::min(e.confidence, kRepairedConfidence);
    return out;
}

// Register look-ups correct what OCR read, never what a person typed or a
// form field held.
bool readByOcr(const Extracted& e) { return e.recognised; }

// A recognised name, address or place that shows the marks of a misreading
// a clerk would stop at: quotes, brackets or symbols no such value holds, a
// colon or semicolon at its end, a word of digits run into letters
// („5tarosta”), a street name after „ul.” in lower case („ul. żeromskiego”).
// Such a value is kept but sent for review rather than trusted.
bool looksMisread(const std::string& text) {
    if (text.find_first_of("<>{}[]|\\~^*#$%@_") != std::string::npos) return true;
    if (text.find("\xC2\xA3") != std::string::npos) return true;  // £
    auto count = [&](std::string_view mark) {
        std::size_t n = 0;
        for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark, at + mark.size())) ++n;
        return n;
    };
    // Quotes come in pairs („Razem”); one alone is a smudge read as a quote.
    if (count("\"") % 2 != 0 || count("\xE2\x80\x9E") != count("\xE2\x80\x9D")) return true;
    if (!text.empty() && (text.back() == ':' || text.back() == ';')) return true;
    std::size_t word = 0;
    while (word < text.size()) {
        std::size_t end = text.find(' ', word);
        if (end == std::string::npos) end = text.size();
        std::size_t digits = word;
        while (digits < end && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
        if (digits > word && end - digits >= 3 && std::isalpha(static_cast<unsigned char>(text[digits]))) return true;
        word = end + 1;
    }
    const std::size_t street = text.find("ul. ");
    if (street != std::string::npos && street + 4 < text.size()) {
        const std::string first = text.substr(street + 4, 2);
        const std::string folded = util::toLowerPl(first);
        if (first == folded && !std::isdigit(static_cast<unsigned char>(first[0]))) return true;
    }
    return false;
}

// The one value the recogniser's alternative readings give that the
// field's format accepts; nothing when none or two different ones do.
template <typename Accept>
std::optional<std::string> uniqueAlternative(const Extracted& e, Accept accept) {
    std::optional<std::string> found;
    for (const auto& alternative : e.alternatives) {
        auto value = accept(alternative);
        if (!value) continue;
        if (found && *found != *value) return std::nullopt;
        found = std::move(value);
    }
    return found;
}

// An e-mail address OCR read: an "@" read is the best evidence, in the
// reading as it stands, else in its other readings (the region read again
// with "pol+eng"); only then the guesses at a lost "@".
std::optional<std::string> repairRecognisedEmail(const Extracted& e) {
    if (e.text.find('@') == std::string::npos && e.text.find("©") == std::string::npos)
        if (auto read = uniqueAlternative(e, [](const std::string& a) -> std::optional<std::string> {
                if (a.find('@') == std::string::npos) return std::nullopt;
                return repairEmail(a);
            }))
            return read;
    return repairEmail(e.text);
}

// A value for an OCR reading that failed its format or checksum, when the
// field's rule picks out one repair (see ocr_repair.hpp).
std::optional<std::string> repairRecognised(const Field& field, const Extracted& e) {
    switch (field.type) {
        case FieldType::Email: return repairRecognisedEmail(e);
        case FieldType::Nip:
            return correctIdentifier(e.text, e.alternatives, {10},
                                     [](const std::string& d) { return nipChecksumOk(d); });
        case FieldType::Regon:
            return correctIdentifier(e.text, e.alternatives, {9, 14},
                                     [](const std::string& d) { return regonChecksumOk(d); });
        case FieldType::Pesel:
            return correctIdentifier(e.text, e.alternatives, {11},
                                     [](const std::string& d) { return decodePesel(d).has_value(); });
        case FieldType::Digits:
            return uniqueAlternative(e, [&](const std::string& a) -> std::optional<std::string> {
                const std::string digits = digitsOnly(a);
                if (static_cast<int>(digits.size()) != field.length) return std::nullopt;
                return digits;
            });
        case FieldType::PostalCode:
            return uniqueAlternative(e, [](const std::string& a) -> std::optional<std::string> {
                if (!postalCodeOk(a)) return std::nullopt;
                return std::string(util::trim(a));
            });
        case FieldType::Phone: return uniqueAlternative(e, [](const std::string& a) { return normalisePhone(a); });
        case FieldType::Date:
            return uniqueAlternative(e, [](const std::string& a) -> std::optional<std::string> {
                auto date = parseDate(a);
                if (!date) return std::nullopt;
                return date->iso();
            });
        default: return std::nullopt;
    }
}

// The digits read in the field whose code is checked against the name in
// `field` (code-matches-name); empty when there is none.
std::string codeReadFor(const CardRun& run, const Field& field) {
    for (const auto& f : run.form().fields)
        for (const auto& check : f.checks)
            if (check.kind == "code-matches-name" && check.param("name") == field.id) {
                auto it = run.extracted().find(f.id);
                return it == run.extracted().end() ? std::string() : digitsOnly(it->second.text);
            }
    return {};
}

// A name OCR read that the TERYT register evidently spells otherwise (see
// teryt_repair.hpp); nothing for other fields.
std::optional<std::string> correctFromRegister(CardRun& run, const Field& field, const std::string& read) {
    const TerytRegister& teryt = run.teryt();
    switch (field.type) {
        case FieldType::PowiatName:
            if (!teryt.powiatyByName(read).empty()) return std::nullopt;
            return correctPowiatName(teryt, read, codeReadFor(run, field), run.cardVoivodeship());
        case FieldType::Place: return correctPlaceName(teryt, read, run.cardVoivodeship());
        case FieldType::Address: return correctAddressPlace(teryt, read, run.cardVoivodeship());
        default: return std::nullopt;
    }
}

// The rows of a list of gminy (a name column and a 7-digit code column)
// corrected against the register and the card's powiat; true when any row
// changed.
bool correctGminaRows(CardRun& run, const Field& field, std::map<int, std::map<std::string, std::string>>& rows) {
    std::string nameColumn, codeColumn;
    for (const auto& column : field.columns) {
        if (column.type == FieldType::GminaName || column.type == FieldType::GminaRef) nameColumn = column.id;
        if (column.type == FieldType::Digits && column.length == 7) codeColumn = column.id;
    }
    if (nameColumn.empty() || codeColumn.empty()) return false;
    std::string powiatCode;
    for (const auto& check : field.checks)
        if (check.kind == "gminy-of-powiat")
            if (const TerytUnit* powiat =
                    run.resolvePowiat(check.param("powiat"), check.param("powiat-code"), check.param("voivodeship")))
                powiatCode = powiat->code;
    bool changed = false;
    for (auto& [index, cells] : rows) {
        const GminaReading read{cells[nameColumn], cells[codeColumn]};
        if (auto corrected = correctGminaRow(run.teryt(), read, powiatCode)) {
            cells[nameColumn] = corrected->name;
            cells[codeColumn] = corrected->code;
            changed = true;
        }
    }
    return changed;
}

// The code of the option `item` names (its code or one of its labels);
// empty when none does.
std::string optionCode(const Field& field, const std::string& item) {
    const std::string folded = util::foldPl(util::collapseSpace(item));
    for (const auto& option : field.options) {
        if (option.code == item || util::foldPl(option.code) == folded) return option.code;
        for (const auto& label : option.labels)
            if (util::foldPl(label) == folded) return option.code;
    }
    return {};
}

// The options of a set whose own text field holds a value (the form's
// required-if check: „Inne (jakie?)” and what was written after it): on a
// recognised card the written answer is evidence of a tick OCR missed.
std::vector<std::string> optionsAnswered(const CardRun& run, const Field& set) {
    std::vector<std::string> answered;
    for (const auto& other : run.form().fields)
        for (const auto& check : other.checks) {
            if (check.kind != "required-if" || check.param("field") != set.id || check.param("contains").empty())
                continue;
            auto it = run.extracted().find(other.id);
            if (it == run.extracted().end()) continue;
            // A written answer: two letters at least, more letters than marks.
            const std::string text = util::collapseSpace(it->second.text);
            const auto letters = std::count_if(text.begin(), text.end(), [](char c) {
                return std::isalpha(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80);
            });
            if (letters >= 2 && static_cast<std::size_t>(letters) * 2 > text.size())
                answered.push_back(check.param("contains"));
        }
    return answered;
}

void normaliseSet(CardRun& run, const Field& field, const Extracted& e) {
    std::set<std::string> codes;
    for (const auto& item : e.items) {
        std::string code = optionCode(field, item);
        if (!code.empty()) codes.insert(code);
    }
    if (codes.empty() && e.items.empty()) return;
    bool inferred = false;
    if (readByOcr(e))
        for (const auto& code : optionsAnswered(run, field)) inferred = codes.insert(code).second || inferred;
    // A tick taken from its answer is a guess backed by evidence: a person confirms it.
    run.put(field, std::vector<std::string>(codes.begin(), codes.end()), inferred ? lowered(e) : e);
}

Scalar toScalar(const Value& value) {
    if (auto* str = std::get_if<std::string>(&value)) return *str;
    if (auto* i = std::get_if<std::int64_t>(&value)) return *i;
    if (auto* b = std::get_if<bool>(&value)) return *b;
    return {};
}

void normaliseList(CardRun& run, const Field& field, const Extracted& e) {
    auto read = e.rows;
    const bool corrected = readByOcr(e) && correctGminaRows(run, field, read);
    std::vector<Row> rows;
    std::optional<std::pair<std::string, std::string>> problem;  // the first cell's value and column
    for (const auto& [index, cells] : read) {
        Row row;
        for (const auto& column : field.columns) {
            auto cell = cells.find(column.id);
            if (cell == cells.end() || util::collapseSpace(cell->second).empty()) continue;
            Normalised n = normaliseScalar(ruleOf(column), cell->second, run.teryt());
            if (!n.problem.empty() && !problem)
                problem.emplace(bounded(util::collapseSpace(cell->second)),
                                column.labels.empty() ? column.id : column.labels.front());
            row.emplace_back(column.id, toScalar(n.value));
        }
        if (!row.empty()) rows.push_back(std::move(row));
    }
    if (rows.empty()) return;
    run.put(field, std::move(rows), corrected ? lowered(e) : e);
    if (problem) {
        run.setWritten(field.id, problem->first);
        run.issue(field, nullptr, "cell_format", Severity::Error,
                  {{"value", problem->first}, {"column", problem->second}}, "format");
    }
}

// The domains of the card's other e-mail addresses that read as valid
// addresses: one office writes its domain more than once.
std::vector<std::string> domainsOnCard(const CardRun& run, const Field& field) {
    std::set<std::string> domains;
    for (const auto& other : run.form().fields) {
        if (other.type != FieldType::Email || other.id == field.id) continue;
        auto it = run.extracted().find(other.id);
        if (it == run.extracted().end()) continue;
        const std::string text = util::collapseSpace(it->second.text);
        std::optional<std::string> address = normaliseEmail(text);
        if (!address && it->second.recognised) address = repairRecognisedEmail(it->second);
        // An address whose local part OCR spoilt („"TŁ pawlak@powiat.lubartow.example”)
        // still shows its domain whole.
        if (const std::size_t at = text.find('@');
            !address && at != std::string::npos && text.find('@', at + 1) == std::string::npos)
            address = normaliseEmail("x" + text.substr(at));
        if (!address) continue;
        const std::string domain = util::toLowerPl(address->substr(address->find('@') + 1));
        if (domain.find('.') != std::string::npos) domains.insert(domain);
    }
    return {domains.begin(), domains.end()};
}

// Puts the value of an OCR reading that the evidence corrects (a repair of
// a reading that failed its rule, an e-mail address in lower case, a
// register's spelling), with a lowered confidence; false when none does.
bool putCorrected(CardRun& run, const Field& field, const Extracted& e, Normalised& n) {
    if (e.recognised && !n.problem.empty()) {
        std::optional<std::string> repaired = repairRecognised(field, e);
        if (!repaired && field.type == FieldType::Email)
            repaired = repairEmailFromDomains(e.text, domainsOnCard(run, field));
        if (repaired) {
            bool guessed = false;
            if (field.type == FieldType::Email) *repaired = lowerRecognisedEmail(*repaired, guessed);
            run.put(field, std::move(*repaired), lowered(e));
            return true;
        }
    }
    if (const auto* address = std::get_if<std::string>(&n.value);
        address && readByOcr(e) && field.type == FieldType::Email && n.problem.empty()) {
        bool guessed = false;
        n.value = lowerRecognisedEmail(*address, guessed);
        if (guessed) {
            run.put(field, n.value, lowered(e));
            return true;
        }
    }
    if (readByOcr(e) && n.problem.empty())
        if (const auto* read = std::get_if<std::string>(&n.value))
            if (auto corrected = correctFromRegister(run, field, *read)) {
                run.put(field, std::move(*corrected), lowered(e));
                return true;
            }
    return false;
}

// The content a recognised value of `field` is repaired for; nullopt for a
// field of free text, which keeps what was read (its periods end sentences).
std::optional<forms::TextContent> repairedContent(const Field& field) {
    if (field.type == FieldType::Place) return forms::TextContent::Place;
    if (field.type == FieldType::Address) return forms::TextContent::Address;
    if (field.type == FieldType::Text && field.content != forms::TextContent::Any) return field.content;
    return std::nullopt;
}

// A recognised value with the marks OCR leaves repaired by what the field
// holds (prose_repair.hpp); an address loses a smudge read before it as a
// mark („-k.makowska@…”): no address begins with one.
Extracted withoutOcrMarks(const Field& field, const Extracted& read) {
    Extracted out = read;
    if (!readByOcr(read)) return out;
    if (auto content = repairedContent(field)) {
        bool guessed = false;
        const auto lexicon = Lexicon::polish();
        out.text = repairRecognisedText(read.text, *content, field.known, lexicon.get(), &guessed);
        if (guessed) out = lowered(out);
    }
    if (field.type == FieldType::Email) out.text = withoutLeadingMarks(read.text);
    return out;
}

// A recognised value of a text field of free text or an office's name none
// of whose words is a word: OCR's reading of a smudge, a stamp or the
// next page's margin where nothing was written. Taken as not read.
bool recognisedNoise(const Field& field, const Extracted& e) {
    // Names, stanowiska (a short list, repaired first) and addresses are not judged.
    if (!readByOcr(e) || field.type != FieldType::Text ||
        (field.content != forms::TextContent::Any && field.content != forms::TextContent::Office))
        return false;
    const auto lexicon = Lexicon::polish();
    return lexicon && looksLikeNoise(e.text, *lexicon);
}

void normaliseSingle(CardRun& run, const Field& field, const Extracted& read) {
    if (recognisedNoise(field, read)) return;
    const Extracted e = withoutOcrMarks(field, read);
    const std::string written = bounded(util::collapseSpace(e.text));
    if (written.empty() && field.type != FieldType::Checkbox) return;
    run.setWritten(field.id, written);
    Normalised n = normaliseScalar(ruleOf(field), e.text, run.teryt());
    if (e.text.size() > kMaxValueBytes) {
        // Not put: a value this long is no answer to the question.
        run.issue(field, nullptr, "format", Severity::Error, {});
        return;
    }
    if (putCorrected(run, field, e, n)) return;
    const bool prose =
        field.type == FieldType::Text || field.type == FieldType::Place || field.type == FieldType::Address;
    run.put(field, n.value, prose && readByOcr(e) && looksMisread(written) ? lowered(e) : e);
    if (field.type == FieldType::PlaceDate) {
        if (auto date = parseDate(written)) {
            run.result().fields.emplace_back(field.dateField,
                                             FieldValue{date->iso(), e.confidence, e.page, e.source, e.box});
        } else {
            n.problem = "format";
        }
    }
    if (n.problem.empty()) return;
    CardRun::Vars vars;
    if (field.min) vars["min"] = std::to_string(*field.min);
    vars["max"] = field.max ? std::to_string(*field.max) : "∞";
    vars["digits"] = std::to_string(field.length) + " " + forms::pluralPl(field.length, "cyfrę", "cyfry", "cyfr");
    run.issue(field, nullptr, n.problem, Severity::Error, vars);
}

}  // namespace

void normaliseField(CardRun& run, const Field& field) {
    auto it = run.extracted().find(field.id);
    if (it == run.extracted().end()) return;
    if (field.type == FieldType::Set)
        normaliseSet(run, field, it->second);
    else if (field.type == FieldType::List)
        normaliseList(run, field, it->second);
    else
        normaliseSingle(run, field, it->second);
}

}  // namespace formproc::validation
