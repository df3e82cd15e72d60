// The validator's run over one card: normalise every field, check required
// fields, run each field's checks (by kind, from the check registry), send
// values of low confidence to review, decide.
#include "formproc/validation/validator.hpp"

#include <algorithm>
#include <set>

#include "card_run.hpp"
#include "check_kinds.hpp"
#include "formproc/util/text.hpp"
#include "formproc/validation/decision.hpp"

namespace formproc::validation {

namespace {

// How lateness is said: sent (e-mail), posted (post), received (otherwise).
std::string lateKey(const std::string& channel) {
    if (channel == "email") return "late";
    if (channel == "post") return "late.post";
    return "late.received";
}

// Late (with the card's issue saying so) when the form's deadline applies
// and the card was submitted after the campaign's.
bool late(CardRun& run) {
    const auto& submitted = run.context().submitted;
    const auto& deadline = run.campaign().deadline;
    if (!run.form().deadlineApplies || !submitted || !deadline || *submitted <= *deadline) return false;
    run.result().issues.push_back(
        {std::nullopt, "late", Severity::Error,
         run.catalog().text(lateKey(run.context().channel),
                            {{"sent", polishDate(*submitted)}, {"deadline", polishDate(*deadline)}})});
    return true;
}

Decision decideCard(CardRun& run) {
    DecisionFacts facts;
    facts.late = late(run);
    facts.redirect = run.redirected();
    const auto& issues = run.result().issues;
    facts.errors = std::any_of(issues.begin(), issues.end(),
                               [](const Issue& i) { return i.severity == Severity::Error && i.code != "late"; });
    facts.outcome = run.form().outcome;
    facts.anyEnrolled = run.anyEnrolled();
    return decide(facts);
}

// Below this confidence a recognised value is the recogniser's guess more
// than the sender's writing: what its checks find wrong with it is as likely
// a misreading, so it is no error of the card (no incomplete on a reading no
// one trusts); the value's review issue sends it to a person instead.
constexpr double kDoubtfulReading = 0.5;

void dropDoubtfulErrors(CardRun& run) {
    auto& issues = run.result().issues;
    issues.erase(std::remove_if(issues.begin(), issues.end(),
                                [&](const Issue& issue) {
                                    if (issue.severity != Severity::Error || !issue.field) return false;
                                    if (issue.code != "format" && issue.code != "checksum" &&
                                        issue.code != "unknown_teryt" && issue.code != "mismatch")
                                        return false;
                                    const auto read = run.extracted().find(*issue.field);
                                    const FieldValue* value = run.result().field(*issue.field);
                                    return read != run.extracted().end() && read->second.recognised && value &&
                                           value->confidence < kDoubtfulReading;
                                }),
                 issues.end());
}

void validate(CardRun& run) {
    const forms::Form& form = run.form();
    for (const auto& field : form.fields) normaliseField(run, field);
    for (const auto& field : form.fields) checkRequired(run, field);
    for (const auto& field : form.fields)
        for (const auto& check : field.checks)
            if (const CheckFunction function = findCheck(check.kind)) function(run, field, check);
    dropDoubtfulErrors(run);
    for (const auto& [id, value] : run.result().fields) {
        const forms::Field* field = form.field(id);
        if (field && value.confidence < form.reviewThreshold)
            run.issue(*field, nullptr, "review", Severity::Review, {});
    }
    run.result().decision = decideCard(run);
}

}  // namespace

bool isTicked(std::string_view raw) {
    const std::string text = util::foldPl(util::collapseSpace(raw));
    static const std::set<std::string> ticked = {"1", "true", "tak", "t", "x", "yes", "on",
                                                 "☒", "✔",    "✓",   "☑", "✗", "✘",   "v"};
    return ticked.count(text) > 0;
}

Validator::Validator(std::shared_ptr<const forms::FormRegistry> forms, std::shared_ptr<const TerytRegister> teryt,
                     std::shared_ptr<const Campaign> campaign)
    : _forms(std::move(forms)), _teryt(std::move(teryt)), _campaign(std::move(campaign)) {}

void Validator::apply(const forms::Form& form, const ExtractedFields& extracted, const Context& context,
                      Result& result) const {
    result.form = form.id;
    CardRun run(*this, form, extracted, context, result);
    validate(run);
    std::stable_sort(result.issues.begin(), result.issues.end(), [](const Issue& a, const Issue& b) {
        return std::tie(a.field, a.code) < std::tie(b.field, b.code);
    });
}

}  // namespace formproc::validation
