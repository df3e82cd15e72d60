#include "glyphs.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "formproc/sdk/support/pdf_doc_encoding.hpp"

namespace formproc::pdf_text {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct CodeMark {
    unsigned char code;
    CheckMark mark;
};

// Symbol-font tables: the code a glyph has in the font (what poppler reports
// without a ToUnicode map, or U+F000 + code when Word exported one) and the
// check-box meaning of that glyph. Only box and tick/cross glyphs are listed.
constexpr std::array kWingdings{
    CodeMark{0x6F, CheckMark::Empty},   // 'o' white square
    CodeMark{0x71, CheckMark::Empty},   // 'q' shadowed white square
    CodeMark{0x72, CheckMark::Empty},   // 'r' shadowed white square
    CodeMark{0x78, CheckMark::Ticked},  // 'x' X in a rectangle box
    CodeMark{0xA8, CheckMark::Empty},   // white medium square
    CodeMark{0xFB, CheckMark::Ticked},  // ballot X
    CodeMark{0xFC, CheckMark::Ticked},  // check mark
    CodeMark{0xFD, CheckMark::Ticked},  // ballot box with X
    CodeMark{0xFE, CheckMark::Ticked},  // ballot box with check
};

constexpr std::array kWingdings2{
    CodeMark{0x4F, CheckMark::Ticked},  // 'O' ballot script X
    CodeMark{0x50, CheckMark::Ticked},  // 'P' check mark
    CodeMark{0x51, CheckMark::Ticked},  // 'Q' ballot box with script X
    CodeMark{0x52, CheckMark::Ticked},  // 'R' ballot box with bold check
    CodeMark{0x53, CheckMark::Ticked},  // 'S' ballot box with light X
    CodeMark{0x54, CheckMark::Ticked},  // 'T' ballot box with bold script X
    CodeMark{0xA3, CheckMark::Empty},   // white square
};

constexpr std::array kZapfDingbats{
    CodeMark{0x33, CheckMark::Ticked},  // '3' check mark
    CodeMark{0x34, CheckMark::Ticked},  // '4' heavy check mark
    CodeMark{0x37, CheckMark::Ticked},  // '7' ballot X
    CodeMark{0x38, CheckMark::Ticked},  // '8' heavy ballot X
    CodeMark{0x6F, CheckMark::Empty},   // 'o' lower right drop-shadowed square
    CodeMark{0x70, CheckMark::Empty},   // 'p' upper right drop-shadowed square
    CodeMark{0x71, CheckMark::Empty},   // 'q' lower right shadowed square
    CodeMark{0x72, CheckMark::Empty},   // 'r' upper right shadowed square
};

template <std::size_t N>
CheckMark lookUp(const std::array<CodeMark, N>& table, char32_t code) {
    for (const CodeMark& entry : table)
        if (entry.code == code) return entry.mark;
    return CheckMark::None;
}

template <std::size_t N>
bool listed(const std::array<CodeMark, N>& table, char32_t code) {
    return lookUp(table, code) != CheckMark::None;
}

// Check marks that mean the same in every font.
CheckMark unicodeMark(char32_t cp) {
    switch (cp) {
        case 0x2612:   // ☒ ballot box with X (Word's check-box content control)
        case 0x2611:   // ☑ ballot box with check
        case 0x2713:   // ✓ check mark
        case 0x2714:   // ✔ heavy check mark
        case 0x2717:   // ✗ ballot X
        case 0x2718:   // ✘ heavy ballot X
        case 0x2327:   // ⌧ X in a rectangle box
        case 0x22A0:   // ⊠ squared times
        case 0x2BBD:   // ⮽ ballot box with light X
        case 0x1F5F4:  // 🗴 ballot script X
        case 0x1F5F5:  // 🗵 ballot box with script X
        case 0x1F5F7:  // 🗷 ballot box with bold script X
        case 0x1F5F8:  // 🗸 light check mark
        case 0x1F5F9:  // 🗹 ballot box with bold check
            return CheckMark::Ticked;
        case 0x2610:  // ☐ ballot box
        case 0x25A1:  // □ white square
        case 0x25A2:  // ▢ white square with rounded corners
        case 0x25FB:  // ◻ white medium square
        case 0x25FD:  // ◽ white medium small square
        case 0x2B1C:  // ⬜ white large square
        case 0x274F:  // ❏ lower right drop-shadowed white square
        case 0x2750:  // ❐ upper right drop-shadowed white square
        case 0x2751:  // ❑ lower right shadowed white square
        case 0x2752:  // ❒ upper right shadowed white square
            return CheckMark::Empty;
        default: return CheckMark::None;
    }
}

bool isPrivateSymbolCode(char32_t cp) { return cp >= 0xF020 && cp <= 0xF0FF; }

}  // namespace

std::u32string utf16ToCodePoints(std::span<const unsigned short> units) {
    std::u32string out;
    out.reserve(units.size());
    for (std::size_t k = 0; k < units.size(); ++k) {
        char32_t u = units[k];
        if (u >= 0xD800 && u <= 0xDFFF) {
            if (u <= 0xDBFF && k + 1 < units.size() && units[k + 1] >= 0xDC00 && units[k + 1] <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (char32_t{units[k + 1]} - 0xDC00);
                ++k;
            } else {
                u = kReplacement;
            }
        }
        out.push_back(u);
    }
    return out;
}

std::string utf16ToUtf8(std::span<const unsigned short> units) {
    std::string out;
    out.reserve(units.size());
    for (const char32_t cp : utf16ToCodePoints(units)) appendUtf8(out, cp);
    return out;
}

std::string documentTextToUtf8(std::span<const unsigned short> units) {
    // Bytes of a string without a byte order mark stay below U+0100; UTF-16
    // text in that range differs from PDFDocEncoding only in controls, which
    // a title does not hold.
    if (std::any_of(units.begin(), units.end(), [](unsigned short u) { return u > 0xFF; })) return utf16ToUtf8(units);
    std::string out;
    out.reserve(units.size());
    for (const unsigned short u : units) appendUtf8(out, sdk::support::pdfDocToUnicode(static_cast<unsigned char>(u)));
    return out;
}

FontFamily fontFamilyOf(std::string_view fontName) {
    // A subset prefix is six upper-case letters and '+'.
    if (fontName.size() > 7 && fontName[6] == '+' &&
        std::all_of(fontName.begin(), fontName.begin() + 6, [](char c) { return c >= 'A' && c <= 'Z'; }))
        fontName.remove_prefix(7);
    // Lower case without spaces, hyphens and underscores: "Wingdings 2",
    // "Wingdings-2" and "Wingdings2" are one font.
    std::string key;
    key.reserve(fontName.size());
    for (char c : fontName) {
        if (c == ' ' || c == '-' || c == '_' || c == ',') continue;
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    const auto starts = [&](std::string_view prefix) { return key.compare(0, prefix.size(), prefix) == 0; };
    if (starts("wingdings2")) return FontFamily::Wingdings2;
    // Wingdings 3 holds arrows only; treating it as Wingdings would invent boxes.
    if (starts("wingdings3")) return FontFamily::Symbol;
    if (starts("wingdings")) return FontFamily::Wingdings;
    if (key.find("dingbats") != std::string::npos || starts("d050000l")) return FontFamily::ZapfDingbats;
    if (starts("symbol") || starts("webdings") || starts("standardsymbols")) return FontFamily::Symbol;
    return FontFamily::Text;
}

bool dependsOnFont(char32_t cp) {
    if (isPrivateSymbolCode(cp)) return true;
    return listed(kWingdings, cp) || listed(kWingdings2, cp) || listed(kZapfDingbats, cp);
}

bool mayBeWingdingsBox(char32_t cp) { return cp == 'o' || cp == 'q' || cp == 'r' || cp == 'x'; }

CheckMark checkMarkOf(char32_t cp, FontFamily family) {
    if (const CheckMark mark = unicodeMark(cp); mark != CheckMark::None) return mark;
    const bool privateCode = isPrivateSymbolCode(cp);
    const char32_t code = privateCode ? cp - 0xF000 : cp;
    switch (family) {
        case FontFamily::Wingdings: return lookUp(kWingdings, code);
        case FontFamily::Wingdings2: return lookUp(kWingdings2, code);
        case FontFamily::ZapfDingbats: return lookUp(kZapfDingbats, code);
        case FontFamily::Symbol: return CheckMark::None;
        case FontFamily::Text:
            // Word writes symbol-font glyphs as U+F0xx; when the font name does
            // not tell which font (renamed, missing), Wingdings is by far the
            // usual source of check boxes. Raw codes in a text font are letters.
            return privateCode ? lookUp(kWingdings, code) : CheckMark::None;
    }
    return CheckMark::None;
}

bool isSeparator(char32_t cp) {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isInvisible(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF;
}

bool isOrdinary(char32_t cp) {
    struct Range {
        char32_t first;
        char32_t last;
    };
    static constexpr Range kRanges[] = {
        {0x0021, 0x007E},  // ASCII letters, digits, punctuation
        {0x00A1, 0x024F},  // Latin-1 Supplement, Latin Extended-A and -B (Polish letters)
        {0x02B0, 0x036F},  // spacing modifiers and combining diacritics (ˇ ˛ ´)
        {0x0370, 0x052F},  // Greek, Cyrillic
        {0x1E00, 0x1EFF},  // Latin Extended Additional
        {0x2010, 0x2027},  // dashes, quotes, bullets, ellipsis
        {0x2030, 0x205E},  // per mille, primes, guillemets
        {0x20A0, 0x20CF},  // currency signs
        {0x2100, 0x23FF},  // letterlike, number forms, arrows, mathematical, technical
        {0x2460, 0x27BF},  // enclosed numbers, box drawing, shapes, symbols, dingbats
        {0xFB00, 0xFB06},  // Latin ligatures
    };
    for (const Range& range : kRanges)
        if (cp >= range.first && cp <= range.last) return true;
    return false;
}

}  // namespace formproc::pdf_text
