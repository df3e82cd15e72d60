#include "formproc/validation/check_registry.hpp"

#include <map>

#include "check_kinds.hpp"

namespace formproc::validation {

namespace {

// Every check kind and its implementation. A new kind is a function here
// and its parameters in the form loader (forms/form.cpp) and form.xsd.
const std::map<std::string_view, CheckFunction>& registry() {
    static const std::map<std::string_view, CheckFunction> table = {
        {"required-if", checkRequiredIf},
        {"required-unless", checkRequiredUnless},
        {"voivodeship-allowed", checkVoivodeshipAllowed},
        {"powiat-in-teryt", checkPowiatInTeryt},
        {"code-matches-name", checkCodeMatchesName},
        {"gmina-in-teryt", checkGminaInTeryt},
        {"gmina-in-powiat", checkGminaInPowiat},
        {"gmina-rural-redirect", checkGminaRuralRedirect},
        {"gminy-of-powiat", checkGminyOfPowiat},
        {"team-composition", checkTeamComposition},
        {"pesel-age", checkPeselAge},
        {"within-project-period", checkWithinProjectPeriod},
        {"not-after-submission", checkNotAfterSubmission},
    };
    return table;
}

}  // namespace

CheckFunction findCheck(std::string_view kind) {
    const auto found = registry().find(kind);
    return found == registry().end() ? nullptr : found->second;
}

std::vector<std::string> registeredCheckKinds() {
    std::vector<std::string> kinds;
    for (const auto& [kind, function] : registry()) kinds.emplace_back(kind);
    return kinds;
}

bool hasCheckKind(std::string_view kind) { return findCheck(kind) != nullptr; }

}  // namespace formproc::validation
