// Character-level rules of the pdf-text reader, free of poppler so that they
// can be read and reasoned about on their own: text decoding, the check-box
// glyphs of word processors and symbol fonts, and what counts as an ordinary
// character when judging whether a text layer is usable.
//
// All functions are pure and thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "formproc/sdk/support/text.hpp"

namespace formproc::pdf_text {

// The two characters every check-box glyph is normalised to.
inline constexpr std::string_view kTickedBox = "\u2612";  // ☒
inline constexpr std::string_view kEmptyBox = "\u2610";   // ☐

// Appends `cp` as UTF-8; surrogates and values beyond U+10FFFF become U+FFFD.
using sdk::support::appendUtf8;

// UTF-16 code units to code points; unpaired surrogates become U+FFFD.
std::u32string utf16ToCodePoints(std::span<const unsigned short> units);

// UTF-16 code units to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16ToUtf8(std::span<const unsigned short> units);

// A PDF text string as poppler-cpp hands it over (document information):
// UTF-16 when the string had a byte order mark, otherwise its bytes one per
// unit, which are PDFDocEncoding and are decoded as such here (poppler-cpp
// takes them for Latin-1, which loses ł, „ and ” to C1 controls).
std::string documentTextToUtf8(std::span<const unsigned short> units);

// The symbol fonts whose character codes, rather than their Unicode values,
// carry the meaning of a glyph.
enum class FontFamily { Text, Symbol, Wingdings, Wingdings2, ZapfDingbats };

// Classifies a font by its PDF name ("ABCDEF+Wingdings-Regular", "Wingdings 2",
// "ZapfDingbats", "Dingbats"); a subset prefix is ignored.
FontFamily fontFamilyOf(std::string_view fontName);

enum class CheckMark { None, Ticked, Empty };

// True when the meaning of `cp` as a check box depends on the font it was
// drawn with: private-use codes U+F020..U+F0FF (symbol fonts exported by
// Word) and the raw codes of dingbat fonts that lack a ToUnicode map (which
// include common letters: o, q, r, x, O..T, £, ü, þ).
bool dependsOnFont(char32_t cp);

// True for the letters that Wingdings draws as boxes (o q r x), which a PDF
// without a ToUnicode map for the font shows as those letters.
bool mayBeWingdingsBox(char32_t cp);

// What `cp`, drawn with a font of `family`, shows: a ticked box or mark, an
// empty box, or neither. Proper Unicode check marks count whatever the font.
CheckMark checkMarkOf(char32_t cp, FontFamily family);

// Spaces and other separators: they end a word and are not judged.
bool isSeparator(char32_t cp);

// Invisible controls (C0, C1, zero-width, bidi marks): dropped from words.
bool isInvisible(char32_t cp);

// Letters, digits, punctuation and common symbols in the scripts and blocks a
// working text layer of a Polish document is made of. Private-use, control,
// replacement and unassigned-looking characters are not ordinary; a page of
// mostly such characters has a broken ToUnicode map.
bool isOrdinary(char32_t cp);

}  // namespace formproc::pdf_text
