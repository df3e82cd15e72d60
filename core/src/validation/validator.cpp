#include "formproc/validation/validator.hpp"
#include "formproc/validation/ocr_repair.hpp"
#include "formproc/validation/teryt_repair.hpp"

#include <algorithm>
#include <set>

#include "formproc/util/text.hpp"

namespace formproc::validation {

namespace {

using forms::Check;
using forms::Field;
using forms::FieldType;
using forms::Form;

// How lateness is said: sent (e-mail), posted (post), received (otherwise).
std::string lateKey(const std::string& channel) {
    if (channel == "email") return "late";
    if (channel == "post") return "late.post";
    return "late.received";
}

// A gmina's kind as the complement of „jest gminą …” (messages.xml).
std::string kindNamePl(const forms::Catalog& catalog, int kind) {
    const std::string key = "gmina_kind." + std::to_string(kind);
    return catalog.text(catalog.has(key) ? key : "gmina_kind.other");
}

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

class Run {
public:
    Run(const Validator& validator, const Form& form, const ExtractedFields& extracted, const Context& context,
        Result& result)
        : _v(validator), _form(form), _extracted(extracted), _context(context), _result(result) {}

    void execute() {
        for (const auto& field : _form.fields) normalise(field);
        for (const auto& field : _form.fields) checkRequired(field);
        for (const auto& field : _form.fields)
            for (const auto& check : field.checks) runCheck(field, check);
        for (const auto& [id, value] : _result.fields) {
            const Field* field = _form.field(id);
            if (field && value.confidence < _form.reviewThreshold)
                issue(*field, nullptr, "review", Severity::Review, {});
        }
        decide();
    }

private:
    using Vars = std::map<std::string, std::string>;

    const Validator& _v;
    const Form& _form;
    const ExtractedFields& _extracted;
    const Context& _context;
    Result& _result;
    std::map<std::string, std::string> _written;  // field id -> the value as written (for messages)
    std::optional<std::string> _redirectOffice;
    bool _anyEnrolled = false;

    const TerytRegister& teryt() const { return _v.teryt(); }
    const Campaign& campaign() const { return _v.campaign(); }

    FieldValue* value(const std::string& id) {
        for (auto& [k, v] : _result.fields)
            if (k == id) return &v;
        return nullptr;
    }

    const std::string* text(const std::string& id) {
        FieldValue* fv = value(id);
        return fv ? std::get_if<std::string>(&fv->value) : nullptr;
    }

    void issue(const Field& field, const Check* check, const std::string& messageKey, Severity severity,
               Vars vars, const std::string& code = {}) {
        vars.emplace("label", field.label());
        if (!vars.count("value")) {
            auto it = _written.find(field.id);
            vars.emplace("value", it == _written.end() ? std::string() : it->second);
        }
        const std::string issueCode = code.empty() ? messageKey : code;
        // One issue per (field, code) unless the caller names an item.
        _result.issues.push_back(
            {field.id, issueCode, severity, forms::fillTemplate(_form.messageFor(field, check, messageKey), vars)});
    }

    void put(const Field& field, Value v, const Extracted& e) {
        _result.fields.emplace_back(field.id, FieldValue{std::move(v), e.confidence, e.page, e.source});
    }

    // --- normalisation ---------------------------------------------------

    struct Normalised {
        Value value;
        std::string problem;  // "", "format", "checksum", "unknown_teryt"
    };

    Normalised normaliseScalar(FieldType type, const std::string& raw, const std::vector<forms::Option>& options,
                               std::optional<long long> min, std::optional<long long> max, int length) {
        const std::string text = util::collapseSpace(raw);
        switch (type) {
            case FieldType::Text:
            case FieldType::Place:
            case FieldType::Address:
            case FieldType::PlaceDate:
                return {text, ""};
            case FieldType::Integer: {
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
            case FieldType::Date: {
                auto d = parseDate(text);
                if (!d) return {text, "format"};
                return {d->iso(), ""};
            }
            case FieldType::Nip:
            case FieldType::Regon:
            case FieldType::Pesel:
            case FieldType::Digits: {
                const std::string digits = digitsOnly(text);
                const bool onlyDigitsAndSeparators = std::all_of(text.begin(), text.end(), [](char c) {
                    return (c >= '0' && c <= '9') || c == '-' || c == ' ' || c == '.';
                });
                if (digits.empty()) return {text, "format"};
                bool lengthOk = false;
                if (type == FieldType::Nip) lengthOk = digits.size() == 10;
                else if (type == FieldType::Regon) lengthOk = digits.size() == 9 || digits.size() == 14;
                else if (type == FieldType::Pesel) lengthOk = digits.size() == 11;
                else lengthOk = static_cast<int>(digits.size()) == length;
                if (!lengthOk || !onlyDigitsAndSeparators) return {digits, "format"};
                bool sumOk = true;
                if (type == FieldType::Nip) sumOk = nipChecksumOk(digits);
                else if (type == FieldType::Regon) sumOk = regonChecksumOk(digits);
                else if (type == FieldType::Pesel) sumOk = decodePesel(digits).has_value();
                return {digits, sumOk ? "" : "checksum"};
            }
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
            case FieldType::PostalCode:
                return {text, postalCodeOk(text) ? "" : "format"};
            case FieldType::Voivodeship: {
                const TerytUnit* unit = teryt().voivodeshipByName(text);
                if (!unit) return {util::toLowerPl(stripPrefix(text, {"wojewodztwo", "woj."})), "unknown_teryt"};
                return {unit->name, ""};
            }
            case FieldType::PowiatName: {
                std::string name = util::toLowerPl(stripPrefix(text, {"powiat"}));
                auto found = teryt().powiatyByName(name);
                if (!found.empty()) name = found.front()->name;
                return {name, ""};
            }
            case FieldType::GminaRef:
                if (digitsOnly(text) == text && text.size() == 7) return {text, ""};
                [[fallthrough]];
            case FieldType::GminaName: {
                std::string name = stripPrefix(text, {"gmina", "gm."});
                auto found = teryt().gminyByName(name);
                if (!found.empty()) name = found.front()->name;
                return {name, ""};
            }
            case FieldType::Enum: {
                const std::string folded = util::foldPl(text);
                for (const auto& option : options) {
                    if (util::foldPl(option.code) == folded) return {option.code, ""};
                    for (const auto& label : option.labels)
                        if (util::foldPl(label) == folded) return {option.code, ""};
                }
                return {text, "format"};
            }
            case FieldType::Checkbox:
                return {isTicked(text), ""};
            case FieldType::Set:
            case FieldType::List:
                break;
        }
        return {text, ""};
    }

    std::string optionCode(const Field& field, const std::string& item) {
        const std::string folded = util::foldPl(util::collapseSpace(item));
        for (const auto& option : field.options) {
            if (option.code == item || util::foldPl(option.code) == folded) return option.code;
            for (const auto& label : option.labels)
                if (util::foldPl(label) == folded) return option.code;
        }
        return {};
    }

    void normalise(const Field& field) {
        auto it = _extracted.find(field.id);
        if (it == _extracted.end()) return;
        const Extracted& e = it->second;

        if (field.type == FieldType::Set) {
            std::set<std::string> codes;
            for (const auto& item : e.items) {
                std::string code = optionCode(field, item);
                if (!code.empty()) codes.insert(code);
            }
            if (codes.empty() && e.items.empty()) return;
            put(field, std::vector<std::string>(codes.begin(), codes.end()), e);
            return;
        }
        if (field.type == FieldType::List) {
            auto read = e.rows;
            const bool corrected = readByOcr(e) && correctGminaRows(field, read);
            std::vector<Row> rows;
            bool problem = false;
            std::string problemValue;
            std::string problemColumn;
            for (const auto& [index, cells] : read) {
                Row row;
                for (const auto& column : field.columns) {
                    auto cell = cells.find(column.id);
                    if (cell == cells.end() || util::collapseSpace(cell->second).empty()) continue;
                    Normalised n = normaliseScalar(column.type, cell->second, column.options, column.min, column.max,
                                                   column.length);
                    if (!n.problem.empty() && !problem) {
                        problem = true;
                        problemValue = util::collapseSpace(cell->second);
                        problemColumn = column.labels.empty() ? column.id : column.labels.front();
                    }
                    Scalar s;
                    if (auto* str = std::get_if<std::string>(&n.value)) s = *str;
                    else if (auto* i = std::get_if<std::int64_t>(&n.value)) s = *i;
                    else if (auto* b = std::get_if<bool>(&n.value)) s = *b;
                    row.emplace_back(column.id, std::move(s));
                }
                if (!row.empty()) rows.push_back(std::move(row));
            }
            if (rows.empty()) return;
            put(field, std::move(rows), corrected ? lowered(e) : e);
            if (problem) {
                _written[field.id] = problemValue;
                issue(field, nullptr, "cell_format", Severity::Error, {{"value", problemValue}, {"column", problemColumn}},
                      "format");
            }
            return;
        }

        const std::string written = util::collapseSpace(e.text);
        if (written.empty() && field.type != FieldType::Checkbox) return;
        _written[field.id] = written;
        Normalised n = normaliseScalar(field.type, e.text, field.options, field.min, field.max, field.length);
        if (e.recognised && !n.problem.empty()) {
            if (auto repaired = repairRecognised(field, e)) {
                bool guessed = false;
                if (field.type == FieldType::Email) *repaired = lowerRecognisedEmail(*repaired, guessed);
                put(field, std::move(*repaired), lowered(e));
                return;
            }
        }
        if (const auto* address = std::get_if<std::string>(&n.value);
            address && readByOcr(e) && field.type == FieldType::Email && n.problem.empty()) {
            bool guessed = false;
            n.value = lowerRecognisedEmail(*address, guessed);
            if (guessed) {
                put(field, n.value, lowered(e));
                return;
            }
        }
        if (readByOcr(e) && n.problem.empty())
            if (const auto* read = std::get_if<std::string>(&n.value))
                if (auto corrected = correctFromRegister(field, *read)) {
                    put(field, std::move(*corrected), lowered(e));
                    return;
                }
        put(field, n.value, e);
        if (field.type == FieldType::PlaceDate) {
            if (auto date = parseDate(written)) {
                _result.fields.emplace_back(field.dateField, FieldValue{date->iso(), e.confidence, e.page, e.source});
            } else {
                n.problem = "format";
            }
        }
        if (!n.problem.empty()) {
            Vars vars;
            if (field.min) vars["min"] = std::to_string(*field.min);
            vars["max"] = field.max ? std::to_string(*field.max) : "∞";
            vars["digits"] = std::to_string(field.length) + " " + forms::pluralPl(field.length, "cyfrę", "cyfry", "cyfr");
            issue(field, nullptr, n.problem, Severity::Error, vars);
        }
    }

    // The confidence of a value the validator corrected (under every form's
    // review threshold).
    static constexpr double kRepairedConfidence = 0.5;

    // A corrected reading is a guess backed by evidence: a human should
    // confirm it, so its confidence goes under the review threshold.
    static Extracted lowered(const Extracted& e) {
        Extracted out = e;
        out.confidence = std::min(e.confidence, kRepairedConfidence);
        return out;
    }

    // Register look-ups correct what OCR read, never what a person typed
    // or a form field held.
    static bool readByOcr(const Extracted& e) { return e.recognised; }

    // The voivodeship the card names (its first field of that type), as a
    // 2-digit code; empty when none.
    std::string cardVoivodeship() {
        for (const auto& f : _form.fields)
            if (f.type == FieldType::Voivodeship) return voivodeshipCode(f.id);
        return {};
    }

    // The digits read in the field whose code is checked against the name
    // in `field` (code-matches-name); empty when there is none.
    std::string codeReadFor(const Field& field) const {
        for (const auto& f : _form.fields)
            for (const auto& check : f.checks)
                if (check.kind == "code-matches-name" && check.param("name") == field.id) {
                    auto it = _extracted.find(f.id);
                    return it == _extracted.end() ? std::string() : digitsOnly(it->second.text);
                }
        return {};
    }

    // A name OCR read that the TERYT register evidently spells otherwise
    // (see teryt_repair.hpp); nothing for other fields.
    std::optional<std::string> correctFromRegister(const Field& field, const std::string& read) {
        switch (field.type) {
            case FieldType::PowiatName:
                if (!teryt().powiatyByName(read).empty()) return std::nullopt;
                return correctPowiatName(teryt(), read, codeReadFor(field), cardVoivodeship());
            case FieldType::Place:
                return correctPlaceName(teryt(), read, cardVoivodeship());
            case FieldType::Address:
                return correctAddressPlace(teryt(), read, cardVoivodeship());
            default:
                return std::nullopt;
        }
    }

    // The rows of a list of gminy (a name column and a 7-digit code
    // column) corrected against the register and the card's powiat;
    // true when any row changed.
    bool correctGminaRows(const Field& field, std::map<int, std::map<std::string, std::string>>& rows) {
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
                        resolvePowiat(check.param("powiat"), check.param("powiat-code"), check.param("voivodeship")))
                    powiatCode = powiat->code;
        bool changed = false;
        for (auto& [index, cells] : rows) {
            const GminaReading read{cells[nameColumn], cells[codeColumn]};
            if (auto corrected = correctGminaRow(teryt(), read, powiatCode)) {
                cells[nameColumn] = corrected->name;
                cells[codeColumn] = corrected->code;
                changed = true;
            }
        }
        return changed;
    }

    // A value for an OCR reading that failed its format or checksum, when
    // the field's rule picks out one repair (see ocr_repair.hpp).
    std::optional<std::string> repairRecognised(const Field& field, const Extracted& e) const {
        switch (field.type) {
            case FieldType::Email:
                // An "@" read is the best evidence: in the reading as it
                // stands, else in its other readings (the region read again
                // with "pol+eng"); only then the guesses at a lost "@".
                if (e.text.find('@') == std::string::npos && e.text.find("©") == std::string::npos)
                    if (auto read = uniqueAlternative(e, [](const std::string& a) -> std::optional<std::string> {
                            if (a.find('@') == std::string::npos) return std::nullopt;
                            return repairEmail(a);
                        }))
                        return read;
                return repairEmail(e.text);
            case FieldType::Nip:
                return correctIdentifier(e.text, e.alternatives, {10}, [](const std::string& d) { return nipChecksumOk(d); });
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
            case FieldType::Phone:
                return uniqueAlternative(e, [](const std::string& a) { return normalisePhone(a); });
            case FieldType::Date:
                return uniqueAlternative(e, [](const std::string& a) -> std::optional<std::string> {
                    auto date = parseDate(a);
                    if (!date) return std::nullopt;
                    return date->iso();
                });
            default:
                return std::nullopt;
        }
    }

    // The one value the recogniser's alternative readings give that the
    // field's format accepts; nothing when none or two different ones do.
    template <typename Accept>
    static std::optional<std::string> uniqueAlternative(const Extracted& e, Accept accept) {
        std::optional<std::string> found;
        for (const auto& alternative : e.alternatives) {
            auto value = accept(alternative);
            if (!value) continue;
            if (found && *found != *value) return std::nullopt;
            found = std::move(value);
        }
        return found;
    }

    // --- required fields and counts --------------------------------------

    void checkRequired(const Field& field) {
        FieldValue* fv = value(field.id);
        const bool absent = !fv || isEmpty(fv->value);
        if (field.type == FieldType::Checkbox) {
            if (field.required && (absent || !std::get<bool>(fv->value)))
                issue(field, nullptr, "missing", Severity::Error, {});
            return;
        }
        if (absent) {
            if (field.required) issue(field, nullptr, "missing", Severity::Error, {});
            return;
        }
        std::size_t count = 0;
        if (auto* set = std::get_if<std::vector<std::string>>(&fv->value)) count = set->size();
        else if (auto* rows = std::get_if<std::vector<Row>>(&fv->value)) count = rows->size();
        else return;
        if (field.min && static_cast<long long>(count) < *field.min) {
            const long long min = *field.min;
            issue(field, nullptr, "format", Severity::Error,
                  {{"min", std::to_string(min)},
                   {"entries", std::to_string(min) + " " + forms::pluralPl(min, "pozycję", "pozycje", "pozycji")}});
        }
    }

    // --- TERYT context -------------------------------------------------------

    std::string voivodeshipCode(const std::string& fieldId) {
        if (fieldId.empty()) return {};
        const std::string* name = text(fieldId);
        if (!name) return {};
        const TerytUnit* unit = teryt().voivodeshipByName(*name);
        return unit ? unit->code : std::string();
    }

    // The powiat a card names, when it resolves to exactly one unit.
    const TerytUnit* resolvePowiat(const std::string& nameField, const std::string& codeField,
                                   const std::string& voivodeshipField) {
        if (!codeField.empty()) {
            if (const std::string* code = text(codeField); code && code->size() == 4)
                if (const TerytUnit* unit = teryt().byCode(*code)) {
                    const std::string* name = text(nameField);
                    if (!name || TerytRegister::foldName(*name) == TerytRegister::foldName(unit->name)) return unit;
                }
        }
        const std::string* name = nameField.empty() ? nullptr : text(nameField);
        if (!name) return nullptr;
        auto found = teryt().powiatyByName(*name, voivodeshipCode(voivodeshipField));
        return found.size() == 1 ? found.front() : nullptr;
    }

    // Picks among same-named gminy (Tomaszów Lubelski is both urban and
    // rural): a card's own wording decides, rural by default.
    const TerytUnit* pickGmina(const std::vector<const TerytUnit*>& found) {
        if (found.empty()) return nullptr;
        if (found.size() == 1) return found.front();
        int preferred = 2;
        if (const std::string* unit = text("jednostka_nazwa")) {
            const std::string folded = util::foldPl(*unit);
            if (folded.find("miast") != std::string::npos || folded.find("miejsk") != std::string::npos)
                preferred = folded.find("gmin") != std::string::npos ? 3 : 1;
        }
        for (const TerytUnit* u : found)
            if (u->kind == preferred) return u;
        for (const TerytUnit* u : found)
            if (u->kind == 2) return u;
        return found.front();
    }

    const TerytUnit* gminaOfCard(const Check& check, const std::string& nameField, const std::string* code) {
        if (code && code->size() == 7)
            if (const TerytUnit* unit = teryt().byCode(*code)) return unit;
        const std::string* name = text(nameField);
        if (!name) return nullptr;
        const TerytUnit* powiat = resolvePowiat(check.param("powiat"), {}, check.param("voivodeship"));
        std::string prefix = powiat ? powiat->code : voivodeshipCode(check.param("voivodeship"));
        return pickGmina(teryt().gminyByName(*name, prefix));
    }

    // --- checks ----------------------------------------------------------------

    void runCheck(const Field& field, const Check& check) {
        FieldValue* fv = value(field.id);
        const std::string* own = fv ? std::get_if<std::string>(&fv->value) : nullptr;
        const std::string& kind = check.kind;

        if (kind == "required-if") {
            FieldValue* other = value(check.param("field"));
            bool triggered = false;
            if (other) {
                if (auto* set = std::get_if<std::vector<std::string>>(&other->value))
                    triggered = std::find(set->begin(), set->end(), check.param("contains")) != set->end();
                else if (auto* b = std::get_if<bool>(&other->value))
                    triggered = *b;
            }
            if (triggered && (!fv || isEmpty(fv->value))) issue(field, &check, "missing", Severity::Error, {});
        } else if (kind == "required-unless") {
            FieldValue* other = value(check.param("field"));
            if ((!fv || isEmpty(fv->value)) && (!other || isEmpty(other->value)))
                issue(field, &check, "missing", Severity::Error, {});
        } else if (kind == "voivodeship-allowed") {
            if (!own) return;
            const TerytUnit* unit = teryt().voivodeshipByName(*own);
            if (!unit) return;  // already reported as unknown
            const std::string& codes = check.param("codes");
            if (codes.find(unit->code) == std::string::npos)
                issue(field, &check, "unknown_teryt", Severity::Error, {});
        } else if (kind == "powiat-in-teryt") {
            if (!own) return;
            if (teryt().powiatyByName(*own, voivodeshipCode(check.param("voivodeship"))).empty())
                issue(field, &check, "unknown_teryt", Severity::Error, {});
        } else if (kind == "code-matches-name") {
            if (!own || hasIssue(field.id)) return;
            const std::size_t length = check.param("level") == "powiat" ? 4 : 7;
            const TerytUnit* unit = teryt().byCode(*own);
            if (!unit || own->size() != length) {
                issue(field, &check, "unknown_teryt", Severity::Error, {});
                return;
            }
            const std::string* name = text(check.param("name"));
            if (name && TerytRegister::foldName(*name) != TerytRegister::foldName(unit->name))
                issue(field, &check, "mismatch", Severity::Error, {{"other", *name}});
        } else if (kind == "gmina-in-teryt") {
            if (!own) return;
            if (own->size() == 7 && digitsOnly(*own) == *own) {
                if (!teryt().byCode(*own)) issue(field, &check, "unknown_teryt", Severity::Error, {});
                return;
            }
            const std::string* code = check.param("code").empty() ? nullptr : text(check.param("code"));
            if (code && teryt().byCode(*code)) return;  // the code decides; checked on its own field
            const TerytUnit* powiat = resolvePowiat(check.param("powiat"), {}, check.param("voivodeship"));
            std::string prefix = powiat ? powiat->code : voivodeshipCode(check.param("voivodeship"));
            if (teryt().gminyByName(*own, prefix).empty())
                issue(field, &check, "unknown_teryt", Severity::Error, {});
        } else if (kind == "gmina-in-powiat") {
            if (!own || hasIssue(field.id)) return;
            const TerytUnit* unit = teryt().byCode(*own);
            const TerytUnit* powiat = resolvePowiat(check.param("powiat"), {}, check.param("voivodeship"));
            if (unit && powiat && own->compare(0, 4, powiat->code) != 0)
                issue(field, &check, "mismatch", Severity::Error, {{"other", powiat->name}});
        } else if (kind == "gmina-rural-redirect") {
            const std::string* code = own && !hasIssue(field.id) ? own : nullptr;
            const TerytUnit* unit = gminaOfCard(check, check.param("name"), code);
            if (!unit || unit->kind == 2) return;
            auto office = campaign().sisterOffices.find(unit->kind);
            if (office == campaign().sisterOffices.end()) return;
            _redirectOffice = office->second;
            issue(field, &check, "not_rural", Severity::Warning,
                  {{"name", unit->name}, {"kind", kindNamePl(_v.catalog(), unit->kind)}, {"office", office->second}});
        } else if (kind == "gminy-of-powiat") {
            checkGminyOfPowiat(field, check, fv);
        } else if (kind == "team-composition") {
            if (!fv) return;
            const auto* rows = std::get_if<std::vector<Row>>(&fv->value);
            if (!rows) return;
            std::size_t people = 0;
            std::set<std::string> institutions;
            for (const auto& row : *rows) {
                if (const Scalar* person = findCell(row, "imie_nazwisko"); person && std::get_if<std::string>(person))
                    ++people;
                if (const Scalar* inst = findCell(row, "instytucja"))
                    if (auto* s = std::get_if<std::string>(inst)) institutions.insert(util::foldPl(*s));
            }
            const auto needPeople = static_cast<std::size_t>(std::stoul(check.param("people").empty() ? "2" : check.param("people")));
            const auto needInst = static_cast<std::size_t>(std::stoul(check.param("institutions").empty() ? "2" : check.param("institutions")));
            if (people < needPeople || institutions.size() < needInst)
                issue(field, &check, "format", Severity::Error, {});
        } else if (kind == "pesel-age") {
            if (!fv || hasIssue(field.id)) return;
            const auto* age = std::get_if<std::int64_t>(&fv->value);
            const std::string* pesel = text(check.param("pesel"));
            const std::string* date = text(check.param("date"));
            if (!age || !pesel || !date || hasIssue(check.param("pesel"))) return;
            auto info = decodePesel(*pesel);
            auto on = parseDate(*date);
            if (!info || !on) return;
            const int expected = ageOn(info->birth, *on);
            if (expected != *age)
                issue(field, &check, "mismatch", Severity::Error, {{"expected", std::to_string(expected)}});
        } else if (kind == "within-project-period") {
            if (!own || hasIssue(field.id)) return;
            auto date = parseDate(*own);
            if (date && (*date < campaign().periodFrom || *date > campaign().periodTo))
                issue(field, &check, "out_of_period", Severity::Error,
                      {{"from", polishDate(campaign().periodFrom)}, {"to", polishDate(campaign().periodTo)},
                       {"value", polishDate(*date)}});
        } else if (kind == "not-after-submission") {
            if (!_context.submitted || field.dateField.empty()) return;
            const std::string* date = text(field.dateField);
            if (!date) return;
            auto written = parseDate(*date);
            if (written && *written > *_context.submitted)
                issue(field, &check, "mismatch", Severity::Error,
                      {{"date", polishDate(*written)}, {"submitted", polishDate(*_context.submitted)}});
        }
    }

    void checkGminyOfPowiat(const Field& field, const Check& check, FieldValue* fv) {
        if (!fv) return;
        auto* rows = std::get_if<std::vector<Row>>(&fv->value);
        if (!rows) return;
        const TerytUnit* powiat =
            resolvePowiat(check.param("powiat"), check.param("powiat-code"), check.param("voivodeship"));
        std::set<std::string> reported;
        auto once = [&](const std::string& key) { return reported.insert(key).second; };
        for (const auto& row : *rows) {
            const Scalar* nameCell = findCell(row, "nazwa");
            const Scalar* codeCell = findCell(row, "teryt");
            const std::string name = nameCell && std::get_if<std::string>(nameCell) ? std::get<std::string>(*nameCell) : "";
            const std::string code = codeCell && std::get_if<std::string>(codeCell) ? std::get<std::string>(*codeCell) : "";
            const TerytUnit* unit = nullptr;
            if (code.size() == 7) {
                unit = teryt().byCode(code);
                if (!unit || unit->code.size() != 7) {
                    if (once("unknown_teryt")) issue(field, &check, "unknown_teryt", Severity::Error, {{"value", code}});
                    continue;
                }
                if (!name.empty() && TerytRegister::foldName(name) != TerytRegister::foldName(unit->name)) {
                    if (once("mismatch"))
                        issue(field, &check, "mismatch_code", Severity::Error, {{"value", name}, {"code", code}},
                              "mismatch");
                    continue;
                }
            } else if (!name.empty()) {
                if (powiat) unit = pickGmina(teryt().gminyByName(name, powiat->code));
                if (!unit) {
                    auto anywhere = teryt().gminyByName(name);
                    if (anywhere.empty()) {
                        if (once("unknown_teryt")) issue(field, &check, "unknown_teryt", Severity::Error, {{"value", name}});
                        continue;
                    }
                    unit = pickGmina(anywhere);
                }
            } else {
                continue;
            }
            const std::string label = name.empty() ? unit->name : name;
            if (powiat && unit->code.compare(0, 4, powiat->code) != 0) {
                if (once("mismatch"))
                    issue(field, &check, "mismatch", Severity::Error, {{"value", label}, {"other", powiat->name}});
                continue;
            }
            if (unit->kind != 2) {
                if (once("not_rural"))
                    issue(field, &check, "not_rural", Severity::Error, {{"value", label}, {"kind", kindNamePl(_v.catalog(), unit->kind)}});
                continue;
            }
            if (campaign().isEnrolled(unit->code)) {
                _anyEnrolled = true;
            } else {
                issue(field, &check, "not_enrolled", Severity::Warning, {{"value", label}});
            }
        }
    }

    bool hasIssue(const std::string& fieldId) const {
        for (const auto& i : _result.issues)
            if (i.field && *i.field == fieldId && i.severity == Severity::Error) return true;
        return false;
    }

    static std::string polishDate(const Date& d) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%02d.%02d.%04d", d.day, d.month, d.year);
        return buffer;
    }

    // --- decision ----------------------------------------------------------------

    void decide() {
        bool late = false;
        if (_form.deadlineApplies && _context.submitted && campaign().deadline &&
            *_context.submitted > *campaign().deadline) {
            late = true;
            _result.issues.push_back(
                {std::nullopt, "late", Severity::Error,
                 _v.catalog().text(lateKey(_context.channel), {{"sent", polishDate(*_context.submitted)},
                                                               {"deadline", polishDate(*campaign().deadline)}})});
        }
        const bool errors = std::any_of(_result.issues.begin(), _result.issues.end(), [](const Issue& i) {
            return i.severity == Severity::Error && i.code != "late";
        });
        if (late) _result.decision = Decision::Late;
        else if (_redirectOffice) _result.decision = Decision::Redirect;
        else if (errors) _result.decision = Decision::Incomplete;
        else if (_form.outcome == forms::Outcome::Accepted) _result.decision = Decision::Accepted;
        else if (_form.outcome == forms::Outcome::Qualified) _result.decision = Decision::Qualified;
        else _result.decision = _anyEnrolled ? Decision::Qualified : Decision::Reserve;
    }
};

}  // namespace

bool isTicked(std::string_view raw) {
    const std::string text = util::foldPl(util::collapseSpace(raw));
    static const std::set<std::string> ticked = {"1", "true", "tak", "t", "x", "yes", "on", "☒", "✔", "✓", "☑", "✗", "✘", "v"};
    return ticked.count(text) > 0;
}

Validator::Validator(std::shared_ptr<const forms::FormRegistry> forms, std::shared_ptr<const TerytRegister> teryt,
                     std::shared_ptr<const Campaign> campaign)
    : _forms(std::move(forms)), _teryt(std::move(teryt)), _campaign(std::move(campaign)) {}

void Validator::apply(const forms::Form& form, const ExtractedFields& extracted, const Context& context,
                      Result& result) const {
    result.form = form.id;
    Run(*this, form, extracted, context, result).execute();
    std::stable_sort(result.issues.begin(), result.issues.end(), [](const Issue& a, const Issue& b) {
        return std::tie(a.field, a.code) < std::tie(b.field, b.code);
    });
}

}  // namespace formproc::validation
