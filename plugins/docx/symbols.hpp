// Check boxes drawn with symbol fonts (Wingdings, Wingdings 2, Symbol), as
// Word keeps them in every format it writes: DOCX w:sym and Wingdings runs,
// the .doc binary, RTF. Shared by the docx and word_legacy plugins.
#pragma once

#include <string_view>

namespace formproc::docx {

enum class SymbolFont { None, Wingdings, Wingdings2, Symbol };

// The symbol font a font name denotes (case-insensitive: "Wingdings",
// "Wingdings 2", "Symbol"; "Wingdings 3" counts as Symbol: nothing of it is
// mapped), or None for a text font. Thread-safe.
SymbolFont symbolFont(std::string_view fontName);

// True for the private use area U+F000..U+F0FF where Word puts the
// characters of symbol fonts.
inline bool isPrivateUse(char32_t code) { return code >= 0xF000 && code <= 0xF0FF; }

// The check-box glyph (kTicked, kUnticked, kCheckMark, kCrossMark of
// layout.hpp) a symbol-font character draws, or "" when it draws something
// else. Symbol fonts are addressed either by their 8-bit code or by the same
// code in the private use area (U+F0xx); private-use characters in other
// fonts (None) are read as Wingdings, where Word puts them. Thread-safe.
std::string_view symbolGlyph(SymbolFont font, char32_t code);

}  // namespace formproc::docx
