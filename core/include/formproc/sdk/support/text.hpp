// UTF-8 and Polish text helpers for the core and every plugin (header-only,
// part of the SDK so that a plugin needs nothing of the core).
//
// Case mapping and folding know ASCII and the Polish letters
// ąćęłńóśźż / ĄĆĘŁŃÓŚŹŻ only: that is what the documents we read contain, and
// a full Unicode case table would be a dependency for no gain. Any other byte
// sequence (other scripts, malformed UTF-8) is copied through unchanged, so
// the helpers never lose text and never throw on bad input (only
// std::bad_alloc can escape). All functions are thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::sdk::support {

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

struct Decoded {
    char32_t cp;       // kInvalidCodePoint when the bytes are not well-formed UTF-8
    std::size_t size;  // bytes consumed (1 for an invalid byte, so a caller always advances)
};

namespace detail {
constexpr unsigned byteAt(std::string_view s, std::size_t i) noexcept { return static_cast<unsigned char>(s[i]); }
}  // namespace detail

// Decodes one code point at `pos` (pos < text.size()). Strict: rejects
// overlong forms, surrogates and values above U+10FFFF, so that malformed
// input is copied through byte by byte instead of being "repaired".
inline Decoded decodeUtf8At(std::string_view text, std::size_t pos) noexcept {
    const unsigned b0 = detail::byteAt(text, pos);
    if (b0 < 0x80) return {b0, 1};
    std::size_t need = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((b0 & 0xE0U) == 0xC0U) {
        need = 1, cp = b0 & 0x1FU, minimum = 0x80;
    } else if ((b0 & 0xF0U) == 0xE0U) {
        need = 2, cp = b0 & 0x0FU, minimum = 0x800;
    } else if ((b0 & 0xF8U) == 0xF0U) {
        need = 3, cp = b0 & 0x07U, minimum = 0x10000;
    } else {
        return {kInvalidCodePoint, 1};
    }
    if (text.size() - pos <= need) return {kInvalidCodePoint, 1};  // truncated sequence
    for (std::size_t k = 1; k <= need; ++k) {
        const unsigned b = detail::byteAt(text, pos + k);
        if ((b & 0xC0U) != 0x80U) return {kInvalidCodePoint, 1};
        cp = (cp << 6U) | (b & 0x3FU);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {kInvalidCodePoint, 1};
    return {cp, need + 1};
}

// Appends `cp` as UTF-8. A surrogate or a value above U+10FFFF is written as
// U+FFFD, so the output is always valid UTF-8.
inline void appendUtf8(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = kReplacementCharacter;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else {
        out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    }
}

inline std::string utf8(char32_t cp) {
    std::string out;
    appendUtf8(out, cp);
    return out;
}

// True when `text` is well-formed UTF-8.
inline bool isValidUtf8(std::string_view text) noexcept {
    for (std::size_t pos = 0; pos < text.size();) {
        const Decoded d = decodeUtf8At(text, pos);
        if (d.cp == kInvalidCodePoint) return false;
        pos += d.size;
    }
    return true;
}

// `text` with every byte that is not part of well-formed UTF-8 replaced by
// U+FFFD (visibly), and, when `dropControls`, C0 controls other than tab and
// newline removed. For names and texts from strangers shown to people.
inline std::string sanitizeUtf8(std::string_view text, bool dropControls = false) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const Decoded d = decodeUtf8At(text, pos);
        if (d.cp == kInvalidCodePoint)
            appendUtf8(out, kReplacementCharacter);
        else if (dropControls && (d.cp < 0x20 || d.cp == 0x7F) && d.cp != '\t' && d.cp != '\n')
            ;
        else
            out.append(text.substr(pos, d.size));
        pos += d.size;
    }
    return out;
}

// Appends the UTF-16 code units (high surrogate then low one for a pair);
// an unpaired surrogate becomes U+FFFD.
inline void appendUtf16(std::string& out, const std::vector<char16_t>& units) {
    for (std::size_t i = 0; i < units.size(); ++i) {
        const char32_t u = units[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            appendUtf8(out, 0x10000 + ((u - 0xD800) << 10U) + (units[i + 1] - 0xDC00));
            ++i;
        } else {
            appendUtf8(out, u);
        }
    }
}

// Number of code points in a UTF-8 string (continuation bytes not counted).
inline std::size_t utf8Length(std::string_view text) noexcept {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// True for the white space we meet in documents: ASCII space, \t \n \v \f \r.
inline bool isAsciiSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// ASCII white space, U+00A0, U+2000..U+200A, U+202F, U+205F, U+3000.
inline bool isSpaceCodePoint(char32_t cp) noexcept {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

// The Polish capitals and their small letters, plus the ASCII letter each folds to.
struct PolishLetter {
    char32_t upper;
    char32_t lower;
    char ascii;
};

inline constexpr PolishLetter kPolishLetters[] = {
    {0x0104, 0x0105, 'a'},  // Ą ą
    {0x0106, 0x0107, 'c'},  // Ć ć
    {0x0118, 0x0119, 'e'},  // Ę ę
    {0x0141, 0x0142, 'l'},  // Ł ł
    {0x0143, 0x0144, 'n'},  // Ń ń
    {0x00D3, 0x00F3, 'o'},  // Ó ó
    {0x015A, 0x015B, 's'},  // Ś ś
    {0x0179, 0x017A, 'z'},  // Ź ź
    {0x017B, 0x017C, 'z'},  // Ż ż
};

inline char32_t lowerCodePoint(char32_t cp) noexcept {
    if (cp >= 'A' && cp <= 'Z') return cp + ('a' - 'A');
    for (const auto& letter : kPolishLetters)
        if (letter.upper == cp) return letter.lower;
    return cp;
}

inline char32_t upperCodePoint(char32_t cp) noexcept {
    if (cp >= 'a' && cp <= 'z') return cp - ('a' - 'A');
    for (const auto& letter : kPolishLetters)
        if (letter.lower == cp) return letter.upper;
    return cp;
}

// The ASCII letter a Polish letter (either case) folds to, or 0.
inline char foldedPolishLetter(char32_t cp) noexcept {
    for (const auto& letter : kPolishLetters)
        if (letter.lower == cp || letter.upper == cp) return letter.ascii;
    return 0;
}

// Rewrites every well-formed code point through `map`; invalid bytes and
// code points the map leaves alone are copied verbatim (so the original
// encoding is preserved byte for byte where nothing changes).
template <typename Map>
std::string mapCodePoints(std::string_view text, Map map) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const unsigned byte = detail::byteAt(text, pos);
        if (byte < 0x80) {
            // Fast path: the maps send ASCII to ASCII, and most text is ASCII.
            out.push_back(static_cast<char>(map(byte)));
            ++pos;
            continue;
        }
        const Decoded d = decodeUtf8At(text, pos);
        if (d.cp == kInvalidCodePoint) {
            out.push_back(text[pos]);
        } else {
            const char32_t mapped = map(d.cp);
            if (mapped == d.cp)
                out.append(text.substr(pos, d.size));
            else
                appendUtf8(out, mapped);
        }
        pos += d.size;
    }
    return out;
}

// Removes leading and trailing white space (isSpaceCodePoint) without copying.
inline std::string_view trim(std::string_view text) noexcept {
    std::size_t begin = 0;
    while (begin < text.size()) {
        const Decoded d = decodeUtf8At(text, begin);
        if (d.cp == kInvalidCodePoint || !isSpaceCodePoint(d.cp)) break;
        begin += d.size;
    }
    std::size_t end = text.size();
    while (end > begin) {
        // Step back to the lead byte of the last code point (at most 3
        // continuation bytes), then make sure it decodes to exactly that span.
        std::size_t start = end - 1;
        while (start > begin && end - start < 4 && (detail::byteAt(text, start) & 0xC0U) == 0x80U) --start;
        const Decoded d = decodeUtf8At(text, start);
        if (d.cp == kInvalidCodePoint || start + d.size != end || !isSpaceCodePoint(d.cp)) break;
        end = start;
    }
    return text.substr(begin, end - begin);
}

// Trims and collapses every inner run of white space to one ASCII space.
inline std::string collapseSpace(std::string_view text) {
    const std::string_view body = trim(text);
    std::string out;
    out.reserve(body.size());
    bool inSpace = false;
    for (std::size_t pos = 0; pos < body.size();) {
        const Decoded d = decodeUtf8At(body, pos);
        if (d.cp != kInvalidCodePoint && isSpaceCodePoint(d.cp)) {
            // trim() guarantees the run is followed by text.
            if (!inSpace) out.push_back(' ');
            inSpace = true;
        } else {
            out.append(body.substr(pos, d.size));
            inSpace = false;
        }
        pos += d.size;
    }
    return out;
}

// Lower case for ASCII and Polish capitals; everything else unchanged.
inline std::string toLowerPl(std::string_view text) { return mapCodePoints(text, lowerCodePoint); }

// Upper case for ASCII and Polish small letters; everything else unchanged.
inline std::string toUpperPl(std::string_view text) { return mapCodePoints(text, upperCodePoint); }

// Lower case and the Polish letters to ASCII (ą->a, ć->c, ę->e, ł->l, ń->n,
// ó->o, ś->s, ź->z, ż->z). White space is left as it is.
inline std::string foldPl(std::string_view text) {
    return mapCodePoints(text, [](char32_t cp) noexcept {
        if (cp < 0x80) return (cp >= U'A' && cp <= U'Z') ? static_cast<char32_t>(cp + 32) : cp;
        if (const char ascii = foldedPolishLetter(cp)) return static_cast<char32_t>(ascii);
        return lowerCodePoint(cp);
    });
}

// Comparison key: foldPl(collapseSpace(text)).
inline std::string foldKey(std::string_view text) { return foldPl(collapseSpace(text)); }

// Levenshtein distance between two strings, byte by byte (compare folded,
// ASCII keys for letters). Allocates nothing after a thread's first calls.
inline std::size_t editDistance(std::string_view a, std::string_view b) {
    thread_local std::vector<std::size_t> row;
    row.assign(b.size() + 1, 0);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

}  // namespace formproc::sdk::support
