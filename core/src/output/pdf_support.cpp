#include "pdf_support.hpp"

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace formproc::output::pdf {

namespace fs = std::filesystem;

std::mutex& podofoMutex() {
    static std::mutex mutex;
    return mutex;
}

namespace {

FontFiles findFontFiles() {
    std::vector<std::string> dirs;
    if (const char* custom = std::getenv("FORMPROC_FONT_DIR"); custom && *custom) dirs.emplace_back(custom);
    // Debian/Ubuntu, Fedora, Arch, a local install.
    for (const char* dir : {"/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/dejavu-sans-fonts",
                            "/usr/share/fonts/TTF", "/usr/local/share/fonts", "/usr/share/fonts/truetype/liberation",
                            "/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/liberation-sans",
                            "/usr/share/fonts/liberation"})
        dirs.emplace_back(dir);
    const std::pair<const char*, const char*> pairs[] = {{"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"},
                                                         {"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"}};
    std::error_code ec;
    for (const auto& [regular, bold] : pairs)
        for (const auto& dir : dirs) {
            const fs::path r = fs::path(dir) / regular, b = fs::path(dir) / bold;
            if (fs::is_regular_file(r, ec) && fs::is_regular_file(b, ec)) return {r.string(), b.string()};
        }
    std::string searched;
    for (const auto& dir : dirs) searched += " " + dir;
    throw std::runtime_error("no font for PDF output: DejaVu Sans or Liberation Sans (regular and bold) not found in" +
                             searched + " (install fonts-dejavu-core or set FORMPROC_FONT_DIR)");
}

}  // namespace

const FontFiles& fontFiles() {
    static const FontFiles files = findFontFiles();
    return files;
}

PoDoFo::PdfString utf8(std::string_view text) {
    const std::string copy(text);
    return PoDoFo::PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(copy.c_str()));
}

std::vector<std::string> codePoints(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = std::min<std::size_t>(c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, text.size() - i);
        out.emplace_back(text.substr(i, len));
        i += len;
    }
    return out;
}

void drawText(PoDoFo::PdfPainter& painter, const Fonts& fonts, double x, double y, double size, bool bold,
              std::string_view text) {
    PoDoFo::PdfFont* font = bold ? fonts.bold : fonts.regular;
    font->SetFontSize(static_cast<float>(size));
    painter.SetFont(font);
    painter.DrawText(x, y, utf8(text));
}

void paintPage(PoDoFo::PdfMemDocument& doc, PoDoFo::PdfPainter& painter, const Fonts& fonts, const PageOps& page) {
    PoDoFo::PdfPage* pdfPage = doc.CreatePage(PoDoFo::PdfRect(0, 0, kPageWidth, kPageHeight));
    painter.SetPage(pdfPage);
    painter.SetStrokingColor(0.35, 0.35, 0.35);
    painter.SetStrokeWidth(0.6);
    for (const auto& line : page.lines) painter.DrawLine(line.x1, line.y1, line.x2, line.y2);
    for (const auto& op : page.texts) {
        painter.SetColor(op.gray, op.gray, op.gray);
        drawText(painter, fonts, op.x, op.y, op.size, op.bold, op.text);
    }
    painter.FinishPage();
}

Fonts createFonts(PoDoFo::PdfMemDocument& doc) {
    const FontFiles& files = fontFiles();
    const PoDoFo::PdfEncoding* identity = PoDoFo::PdfEncodingFactory::GlobalIdentityEncodingInstance();
    Fonts fonts;
    fonts.regular = doc.CreateFontSubset("DejaVu Sans", false, false, false, identity, files.regular.c_str());
    fonts.bold = doc.CreateFontSubset("DejaVu Sans Bold", true, false, false, identity, files.bold.c_str());
    if (!fonts.regular || !fonts.bold) throw std::runtime_error("cannot load the font " + files.regular);
    return fonts;
}

double textWidth(PoDoFo::PdfFont* font, double size, std::string_view text) {
    if (text.empty()) return 0.0;
    font->SetFontSize(static_cast<float>(size));
    return font->GetFontMetrics()->StringWidth(utf8(text));
}

void setInfo(PoDoFo::PdfMemDocument& doc, const std::string& title, const std::string& author) {
    PoDoFo::PdfInfo* info = doc.GetInfo();
    info->SetTitle(utf8(title));
    if (!author.empty()) info->SetAuthor(utf8(author));
    info->SetCreator(PoDoFo::PdfString("formproc"));
    doc.GetCatalog()->GetDictionary().AddKey(PoDoFo::PdfName("Lang"), PoDoFo::PdfString("pl-PL"));
}

std::string toBytes(PoDoFo::PdfMemDocument& doc) {
    PoDoFo::PdfRefCountedBuffer buffer;
    PoDoFo::PdfOutputDevice device(&buffer);
    doc.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
}

}  // namespace formproc::output::pdf
