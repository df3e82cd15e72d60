#include "symbols.hpp"

#include <string>

#include "layout.hpp"

namespace formproc::docx {

SymbolFont symbolFont(std::string_view font) {
    std::string lower(font);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (lower.rfind("wingdings 2", 0) == 0) return SymbolFont::Wingdings2;
    if (lower.rfind("wingdings 3", 0) == 0) return SymbolFont::Symbol;  // arrows: nothing we map
    if (lower.rfind("wingdings", 0) == 0) return SymbolFont::Wingdings;
    if (lower == "symbol") return SymbolFont::Symbol;
    return SymbolFont::None;
}

std::string_view symbolGlyph(SymbolFont font, char32_t code) {
    if (isPrivateUse(code)) code -= 0xF000;
    if (font == SymbolFont::Symbol) return {};
    if (font == SymbolFont::Wingdings2) {
        switch (code) {
            case 0x51:
            case 0x52:
            case 0x53:
            case 0x54: return kTicked;  // boxes with a cross or a tick
            case 0xA3: return kUnticked;
            case 0x50: return kCheckMark;
            case 0x4F: return kCrossMark;
            default: return {};
        }
    }
    switch (code) {
        case 0xFE:
        case 0x78:
        case 0xFD: return kTicked;
        case 0xA8:
        case 0x6F: return kUnticked;
        case 0xFC: return kCheckMark;
        case 0xFB: return kCrossMark;
        default: return {};
    }
}

}  // namespace formproc::docx
