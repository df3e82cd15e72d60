// The decision on a card (MODEL.md) from the facts validation found.
#pragma once

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"

namespace formproc::validation {

// What the decision depends on.
struct DecisionFacts {
    bool late = false;      // submitted after the campaign's deadline, where the form's deadline applies
    bool redirect = false;  // a gmina that belongs to a sister office
    bool errors = false;    // an issue of severity Error (other than lateness)
    forms::Outcome outcome = forms::Outcome::Accepted;  // the form's outcome when nothing is wrong
    bool anyEnrolled = false;                           // a gmina listed is enrolled in the campaign
};

// The first that applies of: late > redirect > incomplete > the form's
// outcome (accepted; qualified; for a powiat's enrolment qualified when a
// gmina listed is enrolled, else reserve). Pure; thread-safe.
Decision decide(const DecisionFacts& facts);

}  // namespace formproc::validation
