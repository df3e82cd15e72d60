#include "formproc/validation/decision.hpp"

namespace formproc::validation {

Decision decide(const DecisionFacts& facts) {
    if (facts.late) return Decision::Late;
    if (facts.redirect) return Decision::Redirect;
    if (facts.errors) return Decision::Incomplete;
    switch (facts.outcome) {
        case forms::Outcome::Accepted: return Decision::Accepted;
        case forms::Outcome::Qualified: return Decision::Qualified;
        case forms::Outcome::PowiatEnrolment: break;
    }
    return facts.anyEnrolled ? Decision::Qualified : Decision::Reserve;
}

}  // namespace formproc::validation
