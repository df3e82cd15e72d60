// Pure checks and normalisers for Polish identifiers, dates and contact data.
// Every function here is thread-safe and never throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace formproc::validation {

// A calendar date.
struct Date {
    int year = 0, month = 0, day = 0;
    bool operator==(const Date&) const = default;
    auto operator<=>(const Date&) const = default;
    std::string iso() const;  // YYYY-MM-DD
};

// True when the date exists in the Gregorian calendar.
bool isValidDate(int year, int month, int day);

// Parses a date as people write it: 14.06.2018, 14-06-2018, 14/06/2018,
// 2018-06-14, 14.6.2018, "14 czerwca 2018 r.", "dnia 1 czerwca 2018", with
// any leading/trailing text (e.g. "Lublin, dnia 14.06.2018 r.": the first
// date-looking token wins). Month names in any Polish case, with or without
// diacritics, any letter case; Roman month numerals (14.VI.2018) too.
// Returns nullopt when no valid date is found.
// Years must have four digits (14.06.18 is ambiguous on an official
// document). When the first date-looking text names a day that does not
// exist (31.02.2018) the result is nullopt: a later date in the text is not
// taken in its place.
std::optional<Date> parseDate(std::string_view text);

// Completed years between `birth` and `on` (age on that day). Someone born
// on 29 February gains a year on 28 February in common years (Civil Code
// art. 112). Negative when `on` precedes `birth`.
int ageOn(const Date& birth, const Date& on);

// Keeps only ASCII digits.
std::string digitsOnly(std::string_view text);

// NIP: 10 digits, weights 6 5 7 2 3 4 5 6 7, mod 11 (10 is never valid).
// Input must already be 10 digits; false otherwise.
bool nipChecksumOk(std::string_view digits);

// REGON: 9 digits (weights 8 9 2 3 4 5 6 7, mod 11, 10 -> 0) or 14 digits
// (weights 2 4 8 5 0 9 7 3 6 1 2 4 8, mod 11, 10 -> 0; a 14-digit REGON's
// first 9 digits must be a valid 9-digit REGON as well).
bool regonChecksumOk(std::string_view digits);

// PESEL: 11 digits, weights 1 3 7 9 1 3 7 9 1 3, check = (10 - sum%10)%10.
bool peselChecksumOk(std::string_view digits);

enum class Sex { Female, Male };

struct PeselInfo {
    Date birth;
    Sex sex;
};

// Decodes the birth date (century from the month offset: +80 -> 1800s,
// +0 -> 1900s, +20 -> 2000s, +40 -> 2100s, +60 -> 2200s) and sex (10th digit
// odd = male). Returns nullopt if not 11 digits, the checksum fails or the
// encoded date does not exist.
std::optional<PeselInfo> decodePesel(std::string_view digits);

// Polish postal code: exactly NN-NNN after trimming.
bool postalCodeOk(std::string_view text);

// Normalises a phone number as written ("(81) 528-76-46", "+48 81 528 76 46",
// "0048 815287646", "tel. 815 287 646") to digits: 9 national digits, or
// "48" + 9 digits when written with +48 / 0048. Returns nullopt when the
// result is not 9 national digits (optionally prefixed by 48 as said).
// The old trunk prefix "(0-81) 528 76 46" is accepted and dropped; a
// national number never starts with 0; text after the number ("wew. 12")
// rejects it.
std::optional<std::string> normalisePhone(std::string_view text);

// A pragmatic e-mail check: one '@', non-empty local part of allowed
// characters, a domain of dot-separated labels with a TLD of 2+ letters, no
// spaces. Returns the trimmed address with the domain in lower case, or
// nullopt.
std::optional<std::string> normaliseEmail(std::string_view text);

}  // namespace formproc::validation
