// Entry of the text-layer target: the pdf-text reader on a whole PDF
// (poppler's layout, then the reader's own glyph decoding: UTF-16 to code
// points, check-box glyphs of symbol fonts, word splitting and glyph boxes),
// and the glyph rules alone on the same bytes taken as UTF-16 code units and
// font names, where a mutation reaches every branch faster than through a PDF.
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "fuzz_entries.hpp"
#include "fuzz_support.hpp"
#include "glyphs.hpp"
#include "pdf_text.hpp"

namespace formproc::fuzz {

namespace {

void glyphRules(const std::uint8_t* data, std::size_t size) {
    std::vector<unsigned short> units(size / 2);
    for (std::size_t i = 0; i < units.size(); ++i)
        units[i] = static_cast<unsigned short>(data[2 * i] | (data[2 * i + 1] << 8));
    const std::span<const unsigned short> view(units);
    (void)pdf_text::utf16ToUtf8(view);
    (void)pdf_text::documentTextToUtf8(view);
    const std::string_view font(reinterpret_cast<const char*>(data), size < 64 ? size : 64);
    const pdf_text::FontFamily family = pdf_text::fontFamilyOf(font);
    for (const char32_t cp : pdf_text::utf16ToCodePoints(view)) {
        (void)pdf_text::checkMarkOf(cp, family);
        (void)pdf_text::dependsOnFont(cp);
        (void)pdf_text::mayBeWingdingsBox(cp);
        (void)pdf_text::isSeparator(cp);
        (void)pdf_text::isInvisible(cp);
        (void)pdf_text::isOrdinary(cp);
    }
}

}  // namespace

void pdfText(const std::uint8_t* data, std::size_t size) {
    static const std::unique_ptr<sdk::Reader> reader = pdf_text::makeReader();
    glyphRules(data, size);
    readOnce(*reader, data, size, "karta.pdf");
}

}  // namespace formproc::fuzz
