#include "pdf_support.hpp"

#include <algorithm>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
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
    for (const char* dir :
         {"/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/dejavu-sans-fonts",
          "/usr/share/fonts/TTF", "/usr/local/share/fonts", "/usr/share/fonts/truetype/liberation",
          "/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/liberation-sans", "/usr/share/fonts/liberation"})
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
        const std::size_t len = std::min<std::size_t>(c >= 0xF0   ? 4
                                                      : c >= 0xE0 ? 3
                                                      : c >= 0xC0 ? 2
                                                                  : 1,
                                                      text.size() - i);
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

namespace {

std::string findSrgbProfile() {
    std::vector<std::string> candidates;
    if (const char* custom = std::getenv("FORMPROC_ICC_PROFILE"); custom && *custom) candidates.emplace_back(custom);
    for (const char* path : {"/usr/share/color/icc/sRGB.icc", "/usr/share/color/icc/colord/sRGB.icc",
                             "/usr/share/color/icc/ghostscript/srgb.icc", "/usr/share/color/icc/sRGB.icm"})
        candidates.emplace_back(path);
    std::error_code ec;
    for (const auto& path : candidates)
        if (fs::is_regular_file(path, ec)) return path;
    std::string searched;
    for (const auto& path : candidates) searched += " " + path;
    throw std::runtime_error("no sRGB ICC profile for PDF/A letters in" + searched +
                             " (install icc-profiles-free or set FORMPROC_ICC_PROFILE)");
}

std::string xmlEscaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                // XML 1.0 has no place for other control characters.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
        }
    }
    return out;
}

struct Stamp {
    std::string pdf;  // D:20261207140000Z
    std::string xmp;  // 2026-12-07T14:00:00Z
};

Stamp nowStamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char pdfDate[32];
    char xmpDate[32];
    std::strftime(pdfDate, sizeof pdfDate, "D:%Y%m%d%H%M%SZ", &utc);
    std::strftime(xmpDate, sizeof xmpDate, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return {pdfDate, xmpDate};
}

std::string xmpPacket(const PdfaInfo& info, const std::string& producer, const Stamp& stamp) {
    std::ostringstream x;
    x << "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      << "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      << " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      << "  <rdf:Description rdf:about=\"\"\n"
      << "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      << "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      << "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
      << "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      << "   <pdfaid:part>2</pdfaid:part>\n"
      << "   <pdfaid:conformance>B</pdfaid:conformance>\n"
      << "   <dc:format>application/pdf</dc:format>\n"
      << "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xmlEscaped(info.title)
      << "</rdf:li></rdf:Alt></dc:title>\n";
    if (!info.author.empty())
        x << "   <dc:creator><rdf:Seq><rdf:li>" << xmlEscaped(info.author) << "</rdf:li></rdf:Seq></dc:creator>\n";
    if (!info.subject.empty())
        x << "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xmlEscaped(info.subject)
          << "</rdf:li></rdf:Alt></dc:description>\n";
    x << "   <dc:language><rdf:Bag><rdf:li>pl-PL</rdf:li></rdf:Bag></dc:language>\n"
      << "   <xmp:CreatorTool>formproc</xmp:CreatorTool>\n"
      << "   <xmp:CreateDate>" << stamp.xmp << "</xmp:CreateDate>\n"
      << "   <xmp:ModifyDate>" << stamp.xmp << "</xmp:ModifyDate>\n"
      << "   <xmp:MetadataDate>" << stamp.xmp << "</xmp:MetadataDate>\n"
      << "   <pdf:Producer>" << xmlEscaped(producer) << "</pdf:Producer>\n"
      << "  </rdf:Description>\n"
      << " </rdf:RDF>\n"
      << "</x:xmpmeta>\n"
      << "<?xpacket end=\"w\"?>";
    return x.str();
}

}  // namespace

const std::string& srgbProfileFile() {
    static const std::string path = findSrgbProfile();
    return path;
}

void makePdfA(PoDoFo::PdfMemDocument& doc, const PdfaInfo& info) {
    using PoDoFo::PdfName;
    std::ifstream in(srgbProfileFile(), std::ios::binary);
    std::ostringstream profileBytes;
    profileBytes << in.rdbuf();
    const std::string profile = profileBytes.str();
    if (!in || profile.size() < 128) throw std::runtime_error("cannot read the ICC profile " + srgbProfileFile());

    doc.SetPdfVersion(PoDoFo::ePdfVersion_1_7);
    // The subsets are embedded now rather than while writing, so that their
    // optional /CIDSet can go: PDF/A-2 requires a CIDSet to list every glyph
    // of the font program exactly, which PoDoFo 0.9 does not promise.
    doc.EmbedSubsetFonts();
    for (PoDoFo::PdfObject* object : doc.GetObjects()) {
        if (!object->IsDictionary()) continue;
        PoDoFo::PdfDictionary& dict = object->GetDictionary();
        const PoDoFo::PdfObject* type = dict.GetKey(PdfName("Type"));
        if (type && type->IsName() && type->GetName() == PdfName("FontDescriptor")) dict.RemoveKey(PdfName("CIDSet"));
    }
    const Stamp stamp = nowStamp();
    const std::string producer = "formproc (PoDoFo)";
    setInfo(doc, info.title, info.author);
    PoDoFo::PdfDictionary& infoDict = doc.GetInfo()->GetObject()->GetDictionary();
    if (!info.subject.empty()) infoDict.AddKey(PdfName("Subject"), utf8(info.subject));
    infoDict.AddKey(PdfName("Producer"), PoDoFo::PdfString(producer));
    infoDict.AddKey(PdfName("CreationDate"), PoDoFo::PdfString(stamp.pdf));
    infoDict.AddKey(PdfName("ModDate"), PoDoFo::PdfString(stamp.pdf));

    PoDoFo::PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();
    // XMP, uncompressed so that any tool finds the PDF/A identification.
    const std::string xmp = xmpPacket(info, producer, stamp);
    PoDoFo::PdfObject* metadata = doc.GetObjects().CreateObject("Metadata");
    metadata->GetDictionary().AddKey(PdfName("Subtype"), PdfName("XML"));
    metadata->GetStream()->Set(xmp.data(), static_cast<PoDoFo::pdf_long>(xmp.size()), PoDoFo::TVecFilters());
    catalog.AddKey(PdfName("Metadata"), metadata->Reference());

    PoDoFo::PdfObject* icc = doc.GetObjects().CreateObject();
    icc->GetDictionary().AddKey(PdfName("N"), static_cast<PoDoFo::pdf_int64>(3));
    icc->GetStream()->Set(profile.data(), static_cast<PoDoFo::pdf_long>(profile.size()));
    PoDoFo::PdfDictionary intent;
    intent.AddKey(PdfName("Type"), PdfName("OutputIntent"));
    intent.AddKey(PdfName("S"), PdfName("GTS_PDFA1"));
    intent.AddKey(PdfName("OutputConditionIdentifier"), PoDoFo::PdfString("sRGB IEC61966-2.1"));
    intent.AddKey(PdfName("Info"), PoDoFo::PdfString("sRGB IEC61966-2.1"));
    intent.AddKey(PdfName("DestOutputProfile"), icc->Reference());
    PoDoFo::PdfArray intents;
    intents.push_back(intent);
    catalog.AddKey(PdfName("OutputIntents"), intents);
}

std::string toBytes(PoDoFo::PdfMemDocument& doc) {
    PoDoFo::PdfRefCountedBuffer buffer;
    PoDoFo::PdfOutputDevice device(&buffer);
    doc.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
}

}  // namespace formproc::output::pdf
