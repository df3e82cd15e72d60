// Required fields and the check kinds about presence and counts:
// required-if, required-unless, team-composition (check_kinds.hpp).
#include "check_kinds.hpp"

#include <algorithm>
#include <set>

#include "formproc/util/text.hpp"

namespace formproc::validation {

using forms::Check;
using forms::Field;
using forms::FieldType;

void checkRequired(CardRun& run, const Field& field) {
    FieldValue* fv = run.value(field.id);
    const bool absent = !fv || isEmpty(fv->value);
    if (field.type == FieldType::Checkbox) {
        if (field.required && (absent || !std::get<bool>(fv->value)))
            run.issue(field, nullptr, "missing", Severity::Error, {});
        return;
    }
    if (absent) {
        if (field.required) run.issue(field, nullptr, "missing", Severity::Error, {});
        return;
    }
    std::size_t count = 0;
    if (auto* set = std::get_if<std::vector<std::string>>(&fv->value))
        count = set->size();
    else if (auto* rows = std::get_if<std::vector<Row>>(&fv->value))
        count = rows->size();
    else
        return;
    if (field.min && static_cast<long long>(count) < *field.min) {
        const long long min = *field.min;
        run.issue(field, nullptr, "format", Severity::Error,
                  {{"min", std::to_string(min)},
                   {"entries", std::to_string(min) + " " + forms::pluralPl(min, "pozycję", "pozycje", "pozycji")}});
    }
}

// Missing while the field named in "field" holds the option "contains" (a
// set) or is ticked (a check box).
void checkRequiredIf(CardRun& run, const Field& field, const Check& check) {
    FieldValue* fv = run.value(field.id);
    FieldValue* other = run.value(check.param("field"));
    bool triggered = false;
    if (other) {
        if (auto* set = std::get_if<std::vector<std::string>>(&other->value))
            triggered = std::find(set->begin(), set->end(), check.param("contains")) != set->end();
        else if (auto* b = std::get_if<bool>(&other->value))
            triggered = *b;
    }
    if (triggered && (!fv || isEmpty(fv->value))) run.issue(field, &check, "missing", Severity::Error, {});
}

// Missing while the field named in "field" is empty too.
void checkRequiredUnless(CardRun& run, const Field& field, const Check& check) {
    FieldValue* fv = run.value(field.id);
    FieldValue* other = run.value(check.param("field"));
    if ((!fv || isEmpty(fv->value)) && (!other || isEmpty(other->value)))
        run.issue(field, &check, "missing", Severity::Error, {});
}

// A team of at least "people" persons (default 2) from at least
// "institutions" institutions (default 2).
void checkTeamComposition(CardRun& run, const Field& field, const Check& check) {
    FieldValue* fv = run.value(field.id);
    if (!fv) return;
    const auto* rows = std::get_if<std::vector<Row>>(&fv->value);
    if (!rows) return;
    std::size_t people = 0;
    std::set<std::string> institutions;
    for (const auto& row : *rows) {
        if (const Scalar* person = findCell(row, "imie_nazwisko"); person && std::get_if<std::string>(person)) ++people;
        if (const Scalar* inst = findCell(row, "instytucja"))
            if (auto* s = std::get_if<std::string>(inst)) institutions.insert(util::foldPl(*s));
    }
    const auto needPeople =
        static_cast<std::size_t>(std::stoul(check.param("people").empty() ? "2" : check.param("people")));
    const auto needInst =
        static_cast<std::size_t>(std::stoul(check.param("institutions").empty() ? "2" : check.param("institutions")));
    if (people < needPeople || institutions.size() < needInst) run.issue(field, &check, "format", Severity::Error, {});
}

}  // namespace formproc::validation
