// PoDoFo helpers shared by the letter and form renderers (internal to
// formproc_core: no PoDoFo type appears in a public header).
#pragma once

#include <podofo/podofo.h>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::output::pdf {

// A4 in points.
inline constexpr double kPageWidth = 595.276;
inline constexpr double kPageHeight = 841.89;

// PoDoFo 0.9 keeps process-wide state (the global encodings, FreeType and
// fontconfig handles of its font cache) without documenting it as
// thread-safe: every use of PoDoFo in formproc_core holds this mutex.
std::mutex& podofoMutex();

struct FontFiles {
    std::string regular;
    std::string bold;
};

// The TrueType files used for every PDF formproc writes: DejaVu Sans (all
// Polish letters), else Liberation Sans; FORMPROC_FONT_DIR may name a
// directory holding either pair. Found once per process. Throws
// std::runtime_error listing the places searched when neither is present.
const FontFiles& fontFiles();

// A PDF text string from UTF-8 (PoDoFo keeps it as UTF-16 when not ASCII).
PoDoFo::PdfString utf8(std::string_view text);

struct Fonts {
    PoDoFo::PdfFont* regular = nullptr;
    PoDoFo::PdfFont* bold = nullptr;
};

// The two fonts embedded as subsets with the Identity-H encoding, which
// PoDoFo writes with a ToUnicode CMap: text stays selectable and searchable
// with every Polish letter. Owned by `doc`.
Fonts createFonts(PoDoFo::PdfMemDocument& doc);

// The code points of a UTF-8 string, each as its own string (for breaking a
// word longer than a line between letters).
std::vector<std::string> codePoints(std::string_view text);

// Draws `text` at (x, y) in the regular or bold font at `size` points.
void drawText(PoDoFo::PdfPainter& painter, const Fonts& fonts, double x, double y, double size, bool bold,
              std::string_view text);

// A laid-out page: texts and thin rules in points from the bottom-left.
struct TextOp {
    double x, y, size;
    bool bold;
    double gray;  // 0 black .. 1 white
    std::string text;
};

struct LineOp {
    double x1, y1, x2, y2;
};

struct PageOps {
    std::vector<TextOp> texts;
    std::vector<LineOp> lines;
    std::size_t section = 0;  // which letter of a multi-letter PDF the page belongs to
};

// Adds an A4 page to `doc` and paints `page` on it (rules in dark grey).
void paintPage(PoDoFo::PdfMemDocument& doc, PoDoFo::PdfPainter& painter, const Fonts& fonts, const PageOps& page);

// Width of `text` in points at `size` (sets the font's size).
double textWidth(PoDoFo::PdfFont* font, double size, std::string_view text);

// Title, author, creator and /Lang pl-PL.
void setInfo(PoDoFo::PdfMemDocument& doc, const std::string& title, const std::string& author);

// What a PDF/A document says about itself (Info dictionary and XMP alike).
struct PdfaInfo {
    std::string title;
    std::string author;
    std::string subject;
};

// The sRGB ICC profile PDF/A output intents embed: FORMPROC_ICC_PROFILE, else
// the sRGB.icc of Debian's icc-profiles-free or colord-data (found once per
// process). Throws std::runtime_error listing the places searched when
// there is none.
const std::string& srgbProfileFile();

// Makes `doc` PDF/A-2b (ISO 19005-2, level B) before it is written: PDF 1.7,
// the Info dictionary and an XMP metadata stream saying the same (title,
// author, subject, creator tool, producer, dates, pdfaid part 2 and
// conformance B), an output intent GTS_PDFA1 with the sRGB profile. The
// fonts must be embedded (createFonts does so) and the pages use DeviceRGB
// only. Throws std::runtime_error when the profile cannot be read.
void makePdfA(PoDoFo::PdfMemDocument& doc, const PdfaInfo& info);

// The document's bytes.
std::string toBytes(PoDoFo::PdfMemDocument& doc);

}  // namespace formproc::output::pdf
