// Small UTF-8 text helpers shared across formproc.
//
// Case mapping and folding know ASCII and the Polish letters
// ąćęłńóśźż / ĄĆĘŁŃÓŚŹŻ only: that is what the documents we read contain, and
// a full Unicode case table would be a dependency for no gain. Any other byte
// sequence (other scripts, malformed UTF-8) is copied through unchanged, so
// the helpers never lose text and never throw on bad input (only
// std::bad_alloc can escape).
#pragma once

#include <string>
#include <string_view>

namespace formproc::util {

// True for the white space we meet in documents: ASCII space, \t \n \v \f \r.
bool isAsciiSpace(char c) noexcept;

// Removes leading and trailing white space (ASCII and U+00A0 NO-BREAK SPACE,
// U+2000..U+200A, U+202F, U+205F, U+3000) without copying.
std::string_view trim(std::string_view text) noexcept;

// Trims and collapses every inner run of white space (same set as trim(), so
// NBSP included) to one ASCII space.
std::string collapseSpace(std::string_view text);

// Lower case for ASCII and Polish capitals; everything else unchanged.
std::string toLowerPl(std::string_view text);

// Upper case for ASCII and Polish small letters; everything else unchanged.
std::string toUpperPl(std::string_view text);

// Lower case and the Polish letters to ASCII (ą->a, ć->c, ę->e, ł->l, ń->n,
// ó->o, ś->s, ź->z, ż->z). White space is left as it is; combine with
// collapseSpace() for comparisons.
std::string foldPl(std::string_view text);

// Comparison key: foldPl(collapseSpace(text)).
std::string foldKey(std::string_view text);

// True when the two strings are equal after foldKey().
bool equalsFolded(std::string_view a, std::string_view b);

bool startsWith(std::string_view text, std::string_view prefix) noexcept;
bool endsWith(std::string_view text, std::string_view suffix) noexcept;

}  // namespace formproc::util

namespace formproc::util {

// Number of code points in a UTF-8 string (continuation bytes not counted).
std::size_t utf8Length(std::string_view text) noexcept;

// Levenshtein distance between two strings, byte by byte (compare folded,
// ASCII keys for letters).
std::size_t editDistance(std::string_view a, std::string_view b);

}  // namespace formproc::util
