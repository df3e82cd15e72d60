#include "formproc/util/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace formproc::util {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

struct Decoded {
    char32_t cp;       // kInvalid when the bytes are not well-formed UTF-8
    std::size_t size;  // bytes consumed (1 for an invalid byte, so we always advance)
};

constexpr unsigned byteAt(std::string_view s, std::size_t i) noexcept {
    return static_cast<unsigned char>(s[i]);
}

// Decodes one code point at `pos` (pos < text.size()). Strict: rejects
// overlong forms, surrogates and values above U+10FFFF, so that malformed
// input is copied through byte by byte instead of being "repaired".
Decoded decodeAt(std::string_view text, std::size_t pos) noexcept {
    const unsigned b0 = byteAt(text, pos);
    if (b0 < 0x80) return {b0, 1};
    std::size_t need = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((b0 & 0xE0U) == 0xC0U) {
        need = 1;
        cp = b0 & 0x1FU;
        minimum = 0x80;
    } else if ((b0 & 0xF0U) == 0xE0U) {
        need = 2;
        cp = b0 & 0x0FU;
        minimum = 0x800;
    } else if ((b0 & 0xF8U) == 0xF0U) {
        need = 3;
        cp = b0 & 0x07U;
        minimum = 0x10000;
    } else {
        return {kInvalid, 1};
    }
    if (text.size() - pos <= need) return {kInvalid, 1};  // truncated sequence
    for (std::size_t k = 1; k <= need; ++k) {
        const unsigned b = byteAt(text, pos + k);
        if ((b & 0xC0U) != 0x80U) return {kInvalid, 1};
        cp = (cp << 6U) | (b & 0x3FU);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {kInvalid, 1};
    return {cp, need + 1};
}

void appendUtf8(std::string& out, char32_t cp) {
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

bool isSpaceCp(char32_t cp) noexcept {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// The Polish capitals and their small letters, in the same order, plus the
// ASCII letter each folds to.
struct PolishLetter {
    char32_t upper;
    char32_t lower;
    char ascii;
};

constexpr PolishLetter kPolish[] = {
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

char32_t lowerCp(char32_t cp) noexcept {
    if (cp >= 'A' && cp <= 'Z') return cp + ('a' - 'A');
    for (const auto& letter : kPolish)
        if (letter.upper == cp) return letter.lower;
    return cp;
}

char32_t upperCp(char32_t cp) noexcept {
    if (cp >= 'a' && cp <= 'z') return cp - ('a' - 'A');
    for (const auto& letter : kPolish)
        if (letter.lower == cp) return letter.upper;
    return cp;
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
        const unsigned byte = byteAt(text, pos);
        if (byte < 0x80) {
            // Fast path: our maps send ASCII to ASCII, and most text is ASCII.
            out.push_back(static_cast<char>(map(byte)));
            ++pos;
            continue;
        }
        const Decoded d = decodeAt(text, pos);
        if (d.cp == kInvalid) {
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

}  // namespace

bool isAsciiSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view text) noexcept {
    std::size_t begin = 0;
    while (begin < text.size()) {
        const Decoded d = decodeAt(text, begin);
        if (d.cp == kInvalid || !isSpaceCp(d.cp)) break;
        begin += d.size;
    }
    std::size_t end = text.size();
    while (end > begin) {
        // Step back to the lead byte of the last code point (at most 3
        // continuation bytes), then make sure it decodes to exactly that span.
        std::size_t start = end - 1;
        while (start > begin && end - start < 4 && (byteAt(text, start) & 0xC0U) == 0x80U) --start;
        const Decoded d = decodeAt(text, start);
        if (d.cp == kInvalid || start + d.size != end || !isSpaceCp(d.cp)) break;
        end = start;
    }
    return text.substr(begin, end - begin);
}

std::string collapseSpace(std::string_view text) {
    const std::string_view body = trim(text);
    std::string out;
    out.reserve(body.size());
    bool inSpace = false;
    std::size_t pos = 0;
    while (pos < body.size()) {
        const Decoded d = decodeAt(body, pos);
        if (d.cp != kInvalid && isSpaceCp(d.cp)) {
            // trim() guarantees the run is followed by text, so emitting the
            // single space on the first space of a run is safe.
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

std::string toLowerPl(std::string_view text) {
    return mapCodePoints(text, lowerCp);
}

std::string toUpperPl(std::string_view text) {
    return mapCodePoints(text, upperCp);
}

std::string foldPl(std::string_view text) {
    return mapCodePoints(text, [](char32_t cp) noexcept {
        if (cp < 0x80) return (cp >= U'A' && cp <= U'Z') ? static_cast<char32_t>(cp + 32) : cp;  // no Polish letter is ASCII
        const char32_t lower = lowerCp(cp);
        for (const auto& letter : kPolish)
            if (letter.lower == lower) return static_cast<char32_t>(letter.ascii);
        return lower;
    });
}

std::string foldKey(std::string_view text) {
    return foldPl(collapseSpace(text));
}

bool equalsFolded(std::string_view a, std::string_view b) {
    return foldKey(a) == foldKey(b);
}

bool startsWith(std::string_view text, std::string_view prefix) noexcept {
    return text.starts_with(prefix);
}

bool endsWith(std::string_view text, std::string_view suffix) noexcept {
    return text.ends_with(suffix);
}

}  // namespace formproc::util

namespace formproc::util {

std::size_t utf8Length(std::string_view text) noexcept {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    // The label matcher asks for every word against every label's first word:
    // no allocation per call.
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

}  // namespace formproc::util
