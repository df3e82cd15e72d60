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

// A phone number as people write it, from the normalised value (digits,
// „48” first when the card gave the country code): landlines in the 2-3-2-2
// groups of their area code („81 477 53 26”), mobile and 80x numbers in
// threes („601 234 567”), „+48 ” before a number given with the country
// code. Anything else (a value that did not normalise) is returned as is.
std::string phoneAsWritten(std::string_view normalised);

// A postal code as written: „20447” -> „20-447”; anything else unchanged.
std::string postalCodeAsWritten(std::string_view code);

// The genitive of an office's name for a signature („Dyrektor Regionalnego
// Ośrodka Polityki Społecznej w Lublinie”): the leading words of the usual
// names of Polish public bodies are declined (Regionalny, Ośrodek,
// Miejski, Centrum, Urząd, Starostwo, …); from the first word it does not
// know on, the name is kept as written.
std::string institutionGenitive(std::string_view name);

// An institution's name with the abbreviation of a social-assistance
// centre written out: „GOPS w Trawnikach” -> „Gminny Ośrodek Pomocy
// Społecznej w Trawnikach” (also MOPS, MGOPS, MOPR, OPS, PCPR). Other
// names are returned as written.
std::string expandedInstitutionName(std::string_view name);

}  // namespace formproc::output
