// Polish wording the letters need: dates as an office writes them and the
// few declensions of names that appear in subjects („karty zgłoszeniowej
// powiatu rzeszowskiego”). Pure functions; thread-safe; never throw except
// std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "formproc/validation/checks.hpp"

namespace formproc::output {

// "23 listopada 2026 r." (month in the genitive, as in a letter's date line).
std::string longDatePl(const validation::Date& date);

// "23.11.2026".
std::string shortDatePl(const validation::Date& date);

// Today's date in local time.
validation::Date todayLocal();

// The genitive of a powiat name as TERYT writes it: "rzeszowski" ->
// "rzeszowskiego", "ostrów mazowiecka"-like multi-word names word by word.
// Names that are not adjectives (a city with powiat rights, "Lublin") are
// returned unchanged: "powiatu Lublin" reads correctly as an apposition.
std::string powiatGenitive(std::string_view name);

// The kind of a gmina by its TERYT RODZ digit, in the nominative feminine:
// 1 "miejska", 2 "wiejska", 3/4/5 "miejsko-wiejska", 8 "dzielnica m.st.
// Warszawy" (as a phrase), others "".
std::string gminaKindPl(int kind);

}  // namespace formproc::output
