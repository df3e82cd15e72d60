// The check kinds about dates: pesel-age, within-project-period,
// not-after-submission (check_kinds.hpp).
#include "check_kinds.hpp"

namespace formproc::validation {

using forms::Check;
using forms::Field;

// The age written agrees with the birth date of the PESEL in "pesel" on the
// date in "date".
void checkPeselAge(CardRun& run, const Field& field, const Check& check) {
    FieldValue* fv = run.value(field.id);
    if (!fv || run.hasIssue(field.id)) return;
    const auto* age = std::get_if<std::int64_t>(&fv->value);
    const std::string* pesel = run.text(check.param("pesel"));
    const std::string* date = run.text(check.param("date"));
    if (!age || !pesel || !date || run.hasIssue(check.param("pesel"))) return;
    auto info = decodePesel(*pesel);
    auto on = parseDate(*date);
    if (!info || !on) return;
    const int expected = ageOn(info->birth, *on);
    if (expected != *age)
        run.issue(field, &check, "mismatch", Severity::Error, {{"expected", std::to_string(expected)}});
}

// The date lies within the campaign's project period.
void checkWithinProjectPeriod(CardRun& run, const Field& field, const Check& check) {
    const std::string* own = run.text(field.id);
    if (!own || run.hasIssue(field.id)) return;
    auto date = parseDate(*own);
    const Campaign& campaign = run.campaign();
    if (date && (*date < campaign.periodFrom || *date > campaign.periodTo))
        run.issue(field, &check, "out_of_period", Severity::Error,
                  {{"from", polishDate(campaign.periodFrom)},
                   {"to", polishDate(campaign.periodTo)},
                   {"value", polishDate(*date)}});
}

// The date a place-date field gives is not after the card was submitted.
void checkNotAfterSubmission(CardRun& run, const Field& field, const Check& check) {
    const auto& submitted = run.context().submitted;
    if (!submitted || field.dateField.empty()) return;
    const std::string* date = run.text(field.dateField);
    if (!date) return;
    auto written = parseDate(*date);
    if (written && *written > *submitted)
        run.issue(field, &check, "mismatch", Severity::Error,
                  {{"date", polishDate(*written)}, {"submitted", polishDate(*submitted)}});
}

}  // namespace formproc::validation
