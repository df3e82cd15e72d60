// The implementations of the check kinds (check_registry.hpp), each a
// function of the card's run, the field the check stands on and the check
// with its parameters. A check adds issues to the run (and may note facts
// for the decision); it never throws on a card's data.
#pragma once

#include <string_view>

#include "card_run.hpp"

namespace formproc::validation {

using CheckFunction = void (*)(CardRun& run, const forms::Field& field, const forms::Check& check);

// The implementation registered for `kind`; null when there is none.
// Thread-safe.
CheckFunction findCheck(std::string_view kind);

// checks_presence.cpp
void checkRequiredIf(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkRequiredUnless(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkTeamComposition(CardRun& run, const forms::Field& field, const forms::Check& check);

// checks_teryt.cpp
void checkVoivodeshipAllowed(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkPowiatInTeryt(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkCodeMatchesName(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkGminaInTeryt(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkGminaInPowiat(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkGminaRuralRedirect(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkGminyOfPowiat(CardRun& run, const forms::Field& field, const forms::Check& check);

// checks_dates.cpp
void checkPeselAge(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkWithinProjectPeriod(CardRun& run, const forms::Field& field, const forms::Check& check);
void checkNotAfterSubmission(CardRun& run, const forms::Field& field, const forms::Check& check);

}  // namespace formproc::validation
