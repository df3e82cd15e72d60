// The check kinds against the TERYT register and the campaign's gminy:
// voivodeship-allowed, powiat-in-teryt, code-matches-name, gmina-in-teryt,
// gmina-in-powiat, gmina-rural-redirect, gminy-of-powiat (check_kinds.hpp).
#include "check_kinds.hpp"

#include <set>

namespace formproc::validation {

using forms::Check;
using forms::Field;

// The voivodeship is one of those in "codes" (an unknown one is reported
// by normalisation).
void checkVoivodeshipAllowed(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    if (!own) return;
    const TerytUnit* unit = run.teryt().voivodeshipByName(*own);
    if (!unit) return;  // already reported as unknown
    const std::string& codes = check.param("codes");
    if (codes.find(unit->code) == std::string::npos) run.issue(field, &check, "unknown_teryt", Severity::Error, {});
}

// The powiat exists (in the voivodeship named in "voivodeship", when known).
void checkPowiatInTeryt(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    if (!own) return;
    if (run.teryt().powiatyByName(*own, run.voivodeshipCode(check.param("voivodeship"))).empty())
        run.issue(field, &check, "unknown_teryt", Severity::Error, {});
}

// The code (of a powiat or gmina, "level") exists and names the unit
// written in the field "name".
void checkCodeMatchesName(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    if (!own || run.hasIssue(field.id)) return;
    const std::size_t length = check.param("level") == "powiat" ? 4 : 7;
    const TerytUnit* unit = run.teryt().byCode(*own);
    if (!unit || own->size() != length) {
        run.issue(field, &check, "unknown_teryt", Severity::Error, {});
        return;
    }
    const std::string* name = run.text(check.param("name"));
    if (name && TerytRegister::foldName(*name) != TerytRegister::foldName(unit->name))
        run.issue(field, &check, "mismatch", Severity::Error, {{"other", *name}});
}

// The gmina (a code or a name) exists; a name within the powiat or
// voivodeship the card names. A known code in the field "code" decides.
void checkGminaInTeryt(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    if (!own) return;
    if (own->size() == 7 && digitsOnly(*own) == *own) {
        if (!run.teryt().byCode(*own)) run.issue(field, &check, "unknown_teryt", Severity::Error, {});
        return;
    }
    const std::string* code = check.param("code").empty() ? nullptr : run.text(check.param("code"));
    if (code && run.teryt().byCode(*code)) return;  // the code decides; checked on its own field
    const TerytUnit* powiat = run.resolvePowiat(check.param("powiat"), {}, check.param("voivodeship"));
    std::string prefix = powiat ? powiat->code : run.voivodeshipCode(check.param("voivodeship"));
    if (run.teryt().gminyByName(*own, prefix).empty()) run.issue(field, &check, "unknown_teryt", Severity::Error, {});
}

// The gmina's code lies in the powiat the card names.
void checkGminaInPowiat(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    if (!own || run.hasIssue(field.id)) return;
    const TerytUnit* unit = run.teryt().byCode(*own);
    const TerytUnit* powiat = run.resolvePowiat(check.param("powiat"), {}, check.param("voivodeship"));
    if (unit && powiat && own->compare(0, 4, powiat->code) != 0)
        run.issue(field, &check, "mismatch", Severity::Error, {{"other", powiat->name}});
}

// A gmina that is not rural belongs to a sister office of the campaign:
// the card is redirected there (a warning, and the decision's fact).
void checkGminaRuralRedirect(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    const std::string* code = own && !run.hasIssue(field.id) ? own : nullptr;
    const TerytUnit* unit = run.gminaOfCard(check, check.param("name"), code);
    if (!unit || unit->kind == 2) return;
    auto office = run.campaign().sisterOffices.find(unit->kind);
    if (office == run.campaign().sisterOffices.end()) return;
    run.redirectTo(office->second);
    run.issue(field, &check, "not_rural", Severity::Warning,
              {{"name", unit->name}, {"kind", kindNamePl(run.catalog(), unit->kind)}, {"office", office->second}});
}

namespace {

// The text of a row's cell; empty when it has none.
std::string cellText(const Row& row, std::string_view column) {
    const Scalar* cell = findCell(row, column);
    return cell && std::get_if<std::string>(cell) ? std::get<std::string>(*cell) : "";
}

// The issues of a list's rows: one per code (except not_enrolled, one per row).
class RowIssues {
public:
    RowIssues(CardRun& run, const Field& field, const Check& check) : _run(run), _field(field), _check(check) {}

    void once(const std::string& code, const std::string& messageKey, Severity severity, CardRun::Vars vars) {
        if (_reported.insert(code).second) _run.issue(_field, &_check, messageKey, severity, std::move(vars), code);
    }
    void each(const std::string& code, Severity severity, CardRun::Vars vars) {
        _run.issue(_field, &_check, code, severity, std::move(vars));
    }

private:
    CardRun& _run;
    const Field& _field;
    const Check& _check;
    std::set<std::string> _reported;
};

// The gmina a row names: by its 7-digit code (which must agree with the
// name), else by its name within the powiat, else anywhere. Null when the
// row names none (it reported why, or it is empty).
const TerytUnit* gminaOfRow(CardRun& run, const std::string& name, const std::string& code, const TerytUnit* powiat,
                            RowIssues& issues) {
    if (code.size() == 7) {
        const TerytUnit* unit = run.teryt().byCode(code);
        if (!unit || unit->code.size() != 7) {
            issues.once("unknown_teryt", "unknown_teryt", Severity::Error, {{"value", code}});
            return nullptr;
        }
        if (!name.empty() && TerytRegister::foldName(name) != TerytRegister::foldName(unit->name)) {
            issues.once("mismatch", "mismatch_code", Severity::Error, {{"value", name}, {"code", code}});
            return nullptr;
        }
        return unit;
    }
    if (name.empty()) return nullptr;
    const TerytUnit* unit = powiat ? run.pickGmina(run.teryt().gminyByName(name, powiat->code)) : nullptr;
    if (unit) return unit;
    auto anywhere = run.teryt().gminyByName(name);
    if (anywhere.empty()) {
        issues.once("unknown_teryt", "unknown_teryt", Severity::Error, {{"value", name}});
        return nullptr;
    }
    return run.pickGmina(anywhere);
}

}  // namespace

// Every gmina listed lies in the card's powiat, is rural and, when enrolled
// in the campaign, makes the card qualify (a fact for the decision); a
// gmina not enrolled is a warning.
void checkGminyOfPowiat(CardRun& run, const Field& field, const Check& check) {
    FieldValue* fv = run.value(field.id);
    if (!fv) return;
    auto* rows = std::get_if<std::vector<Row>>(&fv->value);
    if (!rows) return;
    const TerytUnit* powiat =
        run.resolvePowiat(check.param("powiat"), check.param("powiat-code"), check.param("voivodeship"));
    RowIssues issues(run, field, check);
    for (const auto& row : *rows) {
        const std::string name = cellText(row, "nazwa");
        const TerytUnit* unit = gminaOfRow(run, name, cellText(row, "teryt"), powiat, issues);
        if (!unit) continue;
        const std::string label = name.empty() ? unit->name : name;
        if (powiat && unit->code.compare(0, 4, powiat->code) != 0) {
            issues.once("mismatch", "mismatch", Severity::Error, {{"value", label}, {"other", powiat->name}});
            continue;
        }
        if (unit->kind != 2) {
            issues.once("not_rural", "not_rural", Severity::Error,
                        {{"value", label}, {"kind", kindNamePl(run.catalog(), unit->kind)}});
            continue;
        }
        if (run.campaign().isEnrolled(unit->code))
            run.noteEnrolled();
        else
            issues.each("not_enrolled", Severity::Warning, {{"value", label}});
    }
}

}  // namespace formproc::validation
