// Repairs of values read by OCR, guided by what the field must be: the "@"
// of an e-mail address that the recogniser turned into "Q", "©" or a gap,
// and identifiers whose checksum tells a misread digit from a right one.
//
// Every correction rests on evidence: a letter read in a field of digits,
// a reading the recogniser offered as an alternative, or one of the usual
// confusions of a digit with another. No digit is ever invented, and when
// two different corrections pass the check none is taken.
// Pure functions; thread-safe; they never throw.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::validation {

// An e-mail address rebuilt from an OCR reading that normaliseEmail refuses:
// spaces dropped, "©" / a lone "Q" between the local part and the domain read
// as "@", a "Q" glued to a read "@" dropped, and a gap between a local part
// and a domain read as "@" when nothing else stands there. nullopt when no
// single repair yields a valid address.
std::optional<std::string> repairEmail(std::string_view text);

// An address as read without the marks a smudge before it is read as
// („-k.makowska@…”, „"jan@…”): no address begins with one.
std::string withoutLeadingMarks(std::string_view address);

// An address rebuilt from an OCR reading that names one of `domains` (the
// domains of the card's other addresses, read well: a card written by one
// office names its domain more than once): the "@" read as a capital or a
// sign (G, Q, "(", "&": „starostwoGpowiatlubartow.example” with
// powiat.lubartow.example known), the domain's dots lost. A lost "@" or one
// read as a small letter is never assumed: a sender may have left it out. The local part must be what an address's
// local part is (lower-case letters, digits, ".", "-", "_"). nullopt when no domain fits or two readings do.
std::optional<std::string> repairEmailFromDomains(std::string_view text, const std::vector<std::string>& domains);

// A valid address as read by OCR, in the lower case addresses are written
// in: a capital "I" among lower-case letters is the "l" OCR confuses it with
// ("I.stepien@..."), other capitals are lowered ("Kancelaria@..."). `guessed`
// tells whether a letter was changed (I to l), not only its case.
std::string lowerRecognisedEmail(std::string_view address, bool& guessed);

// The digits of an identifier read by OCR that pass `valid`, when `text` as
// read does not: letters that look like digits (O, B, S, Z, G, I, l...)
// read as those digits, then the recogniser's `alternatives` of the value,
// then one digit swapped for a digit it is often confused with (1/7, 3/8,
// 6/8, 0/8, 5/6, 0/6, 8/9). `lengths` are the digit counts the identifier
// may have. nullopt when nothing passes or two different readings pass.
std::optional<std::string> correctIdentifier(std::string_view text, const std::vector<std::string>& alternatives,
                                             const std::vector<std::size_t>& lengths,
                                             const std::function<bool(const std::string&)>& valid);

}  // namespace formproc::validation
