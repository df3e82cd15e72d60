// The single-byte Windows code pages legacy Word documents use for 8-bit
// text: 1250 (Central European, Polish), 1251 (Cyrillic), 1252 (Western),
// 1257 (Baltic). Any other code page is read as 1252. Thread-safe.
#pragma once

namespace formproc::word_legacy {

// A font with SYMBOL_CHARSET: its bytes are glyph codes, not text.
inline constexpr int kSymbolCodePage = -2;

bool knownCodePage(int codePage);

// The Unicode code point of `byte` in `codePage` (ASCII below 0x80; U+FFFD
// for a byte the code page leaves undefined).
char32_t decodeByte(int codePage, unsigned char byte);

// The code page of a font's character set (RTF \fcharset, a .doc FFN's chs):
// 238 -> 1250, 204 -> 1251, 0 -> 1252, 186 -> 1257, 2 -> kSymbolCodePage,
// others (including DEFAULT_CHARSET) -> `documentCodePage`.
int codePageOfCharset(int charset, int documentCodePage);

}  // namespace formproc::word_legacy
