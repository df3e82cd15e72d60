// Corrections of names and codes read by OCR, checked against the TERC
// register (GUS TERYT): a clerk who reads "Aamien" next to the code of
// Kamień, or "06053142" next to "Żmudź" in powiat chełmski, knows what the
// card says.
//
// Every correction rests on evidence: the reading must be close to the
// register's spelling (compared folded, without diacritics), a corrected
// code must be one digit away from the code read and belong to the gmina
// whose name was read. When two candidates are equally close nothing is
// corrected, and no code is ever given that was not read. Callers apply
// these only to values read by OCR and lower their confidence.
// Pure functions; thread-safe; they never throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formproc/validation/teryt.hpp"

namespace formproc::validation {

// How far a reading may be from a register name (edits of the folded
// name): `pinned` when the name is the only candidate (given by a code read
// beside it); otherwise the name is looked for among many and must be
// closer.
std::size_t nameTolerance(std::string_view foldedReading, bool pinned);

// The register's spelling of the candidate whose folded name is closest to
// `reading`, within `maxEdits`; nullopt when none is, when two different
// spellings are equally close, or when the reading already is that
// spelling.
std::optional<std::string> closestName(std::string_view reading, const std::vector<const TerytUnit*>& candidates,
                                       std::size_t maxEdits);

// A powiat's name read beside its 4-digit code: the code's powiat when its
// name is close to the reading; without a known code, the powiat of the
// voivodeship (`voivodeshipCode`, or any when empty) evidently meant.
std::optional<std::string> correctPowiatName(const TerytRegister& teryt, std::string_view reading,
                                             std::string_view powiatCode, std::string_view voivodeshipCode);

// A locality's name (a town is the seat of the gmina named after it):
// the spelling of a gmina of the voivodeship (`voivodeshipCode`, or any
// when empty) evidently meant by the reading.
std::optional<std::string> correctPlaceName(const TerytRegister& teryt, std::string_view reading,
                                            std::string_view voivodeshipCode);

// An address written on one line ("ul. Lipowa 7, 22-100 Chelm"): the
// place after its postal code corrected as correctPlaceName does.
std::optional<std::string> correctAddressPlace(const TerytRegister& teryt, std::string_view address,
                                               std::string_view voivodeshipCode);

// A row of a list of gminy: a name and a 7-digit code as read.
struct GminaReading {
    std::string name;
    std::string code;
};

// The row corrected against the register, or nullopt when nothing needed
// or could be corrected: a name close to the name of the code's gmina takes
// the register's spelling; a code that is not the named gmina's and lies
// one digit (changed, missing or extra) from the code of a gmina with that
// name becomes that code (preferring the card's powiat, `powiatCode`, when
// the name is found in several); a name read without a usable code takes
// the spelling of the gmina of the card's powiat it evidently means.
std::optional<GminaReading> correctGminaRow(const TerytRegister& teryt, const GminaReading& read,
                                            std::string_view powiatCode);

}  // namespace formproc::validation
