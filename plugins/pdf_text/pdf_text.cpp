// pdf-text: words with positions from the text layer of a PDF, for cards typed
// in a word processor and exported to PDF.
//
// poppler-cpp lays the text out (TextOutputDev, the engine of pdftotext) and
// hands back one box per word, in points with the origin at the top-left of
// the page as displayed (crop box, page rotation applied). This reader adds
// what the layout matcher in the core needs on top of that:
//   - check-box glyphs of every common source (Unicode ballot boxes, Word's
//     Wingdings/Wingdings 2 codes, ZapfDingbats) become "☒" or "☐", each a
//     word of its own even when glued to the label after it;
//   - pages whose text layer decodes to garbage (a broken ToUnicode map) are
//     left out, and a document without any usable text layer is declined
//     with NotMyFormat so that the host hands it to the OCR reader.
//
// Font names are asked for only on pages that hold symbol-font codes: with
// them poppler-cpp copies its font table into every word and looks every
// non-embedded font up through fontconfig, which costs time and, under
// LeakSanitizer, a one-time fontconfig allocation reported as a leak.
//
// Hostile input is expected: poppler parses and lays out the document; this
// file only bounds what it pushes and never lets an exception escape read().
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "formproc/sdk/support/pdf_image_limits.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <poppler-rectangle.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glyphs.hpp"
#include "pdf_text.hpp"

namespace {

namespace sdk = formproc::sdk;
namespace pt = formproc::pdf_text;

// Limits against hostile files. A real card has a few hundred words a page.
constexpr std::size_t kMaxWordsPerDocument = 500000;
constexpr std::size_t kMaxWordBytes = 4096;  // longer runs are cut (no real word is this long)
constexpr int kMaxNotes = 20;                // diagnostics per read
// A page whose text is less than this share of ordinary characters has a
// broken text layer. Measured: every page with text in the shared corpus and
// the hostile set scores 0.99 or more; text decoded through a ToUnicode map
// into private-use or control codes scores near 0.
constexpr double kMinOrdinaryShare = 0.3;

struct PageWord {
    std::string text;
    sdk::Box box;
};

// What one page's text layer gave.
struct PageText {
    std::vector<PageWord> words;
    std::size_t judged = 0;    // characters other than separators
    std::size_t ordinary = 0;  // of which ordinary (see pt::isOrdinary)
    bool wantsFonts = false;   // a glyph's meaning depends on a font name it was read without
};

// A Wingdings box is about as wide as its line is tall; the letters that share
// its code in a text font (o, q, r, x) are narrow (below 0.45). Only a wide
// lone such letter makes it worth laying the page out again with font names.
constexpr double kMinDingbatAspect = 0.6;

double finiteOrZero(double v) { return std::isfinite(v) ? v : 0.0; }

sdk::Box toBox(const poppler::rectf& r) {
    sdk::Box box{finiteOrZero(r.left()), finiteOrZero(r.top()), finiteOrZero(r.right()), finiteOrZero(r.bottom())};
    if (box.x0 > box.x1) std::swap(box.x0, box.x1);
    if (box.y0 > box.y1) std::swap(box.y0, box.y1);
    return box;
}

sdk::Box unite(const sdk::Box& a, const sdk::Box& b) {
    return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

// Splits one poppler text box into words: at separators, and around every
// check-box glyph, which becomes "☒" or "☐" with its own glyph's box.
class BoxSplitter {
public:
    BoxSplitter(const poppler::text_box& box, PageText& out) : _box(box), _out(out) {}

    void split() {
        // ustring holds UTF-16; an unpaired surrogate from a hostile ToUnicode
        // map becomes U+FFFD, as nothing invalid may leave the plugin.
        const poppler::ustring text = _box.text();
        const std::u32string cps = pt::utf16ToCodePoints({text.data(), text.size()});
        _wordBox = toBox(_box.bbox());
        // poppler keeps one box per glyph of the word, and a glyph per code
        // point of its text; char_bbox() answers an empty rectangle past the
        // end. A text layer may map a glyph to nothing or to several code
        // points, so the glyph boxes are trusted only when the counts agree.
        _glyphBoxes.reserve(cps.size());
        for (std::size_t i = 0; i < cps.size(); ++i) {
            const poppler::rectf r = _box.char_bbox(i);
            if (r.is_empty()) break;
            _glyphBoxes.push_back(toBox(r));
        }
        _aligned = _glyphBoxes.size() == cps.size();
        _count = cps.size();
        const bool loneWideLetter = cps.size() == 1 && pt::mayBeWingdingsBox(cps[0]) &&
                                    _wordBox.x1 - _wordBox.x0 >= kMinDingbatAspect * (_wordBox.y1 - _wordBox.y0);

        for (std::size_t i = 0; i < cps.size(); ++i) {
            const char32_t cp = cps[i];
            if (pt::isSeparator(cp)) {
                flush();
                continue;
            }
            ++_out.judged;
            if (pt::isInvisible(cp)) continue;
            pt::FontFamily family = pt::FontFamily::Text;
            if (pt::dependsOnFont(cp)) {
                if (_box.has_font_info())
                    family = familyAt(i);
                else if (cp >= 0x80 || loneWideLetter)
                    _out.wantsFonts = true;
            }
            const pt::CheckMark mark = pt::checkMarkOf(cp, family);
            if (mark != pt::CheckMark::None) {
                ++_out.ordinary;
                flush();
                _current = mark == pt::CheckMark::Ticked ? pt::kTickedBox : pt::kEmptyBox;
                _first = _last = i;
                flush();
                continue;
            }
            if (pt::isOrdinary(cp)) ++_out.ordinary;
            if (_current.empty()) _first = i;
            _last = i;
            if (_current.size() < kMaxWordBytes) pt::appendUtf8(_current, cp);
        }
        flush();
    }

private:
    // The font of glyph i. Every poppler word has at least one glyph, so
    // glyph 0 is always there; beyond the boxes known to exist poppler does
    // not check the index, so the word's first font stands in.
    pt::FontFamily familyAt(std::size_t i) const {
        const std::size_t glyph = i < _glyphBoxes.size() ? i : 0;
        return pt::fontFamilyOf(_box.get_font_name(static_cast<int>(glyph)));
    }

    sdk::Box boxOf(std::size_t first, std::size_t last) const {
        if (_aligned) {
            sdk::Box box = _glyphBoxes[first];
            for (std::size_t k = first + 1; k <= last; ++k) box = unite(box, _glyphBoxes[k]);
            return box;
        }
        if (first == 0 && last + 1 >= _count) return _wordBox;
        // Without glyph boxes, share the word's box out by code points; only
        // horizontal words can be cut along x.
        if (_box.rotation() != 0 || _count == 0) return _wordBox;
        const double step = (_wordBox.x1 - _wordBox.x0) / static_cast<double>(_count);
        return {_wordBox.x0 + step * static_cast<double>(first), _wordBox.y0,
                _wordBox.x0 + step * static_cast<double>(last + 1), _wordBox.y1};
    }

    void flush() {
        if (_current.empty()) return;
        _out.words.push_back({std::move(_current), boxOf(_first, _last)});
        _current.clear();
    }

    const poppler::text_box& _box;
    PageText& _out;
    sdk::Box _wordBox;
    std::vector<sdk::Box> _glyphBoxes;
    bool _aligned = false;
    std::size_t _count = 0;
    std::string _current;
    std::size_t _first = 0;
    std::size_t _last = 0;
};

void silencePoppler(const std::string&, void*) {}

// poppler-cpp builds its process-wide GlobalParams (font directories, encodings,
// character maps) when the first document is opened and tears it down when the
// last one is closed: reading one card at a time, every card paid for a fresh
// one. A small empty document held open for the life of the plugin keeps it.
std::string emptyDocument() {
    std::string pdf = "%PDF-1.4\n";
    const std::string objects[] = {"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                                   "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>"};
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < std::size(objects); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj" + objects[i] + "endobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 4\n0000000000 65535 f \n";
    for (const std::size_t offset : offsets) {
        std::string number = std::to_string(offset);
        pdf += std::string(10 - number.size(), '0') + number + " 00000 n \n";
    }
    pdf += "trailer<</Size 4/Root 1 0 R>>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

void keepPopplerParams() {
    static const std::string bytes = emptyDocument();
    static const std::unique_ptr<poppler::document> keeper(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
}

class PdfTextReader final : public sdk::Reader {
public:
    PdfTextReader() {
        // poppler prints every syntax error of a broken file to stderr; the
        // switch is process-wide, so it is thrown once.
        static std::once_flag silenced;
        std::call_once(silenced, [] { poppler::set_debug_error_function(silencePoppler, nullptr); });
        _description.id = "pdf-text";
        _description.version = "1.0.0";
        _description.summary = "Reads the words and their positions from the text layer of PDF documents";
        _description.formats = {{"application/pdf", {"pdf"}, {{{sdk::Magic::kAnywhere, "%PDF-"}}}}};
        _description.gives = sdk::Gives::Words;
        _description.provenance = "text-layer";
    }

    const sdk::Description& describe() const noexcept override { return _description; }

    sdk::Identification identify(const sdk::Probe& probe) const noexcept override {
        // Below the AcroForm reader (60): a fillable form is read by it, and a
        // PDF without form fields falls through to this reader.
        if (!hasPdfHeader(probe.head)) return {sdk::Verdict::No, 0};
        return {sdk::Verdict::Maybe, 50};
    }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        sdk::support::Notes notes(sink, "pdf-text", kMaxNotes);
        return sdk::support::guardRead(notes, [&] { return readDocument(input, sink, options, notes); });
    }

private:
    static bool hasPdfHeader(std::string_view head) {
        return head.substr(0, 1024).find("%PDF-") != std::string_view::npos;
    }

    static sdk::Status readDocument(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options,
                                    sdk::support::Notes& notes) {
        if (input.data == nullptr || input.size == 0) return sdk::Status::NotMyFormat;
        const std::string_view data(reinterpret_cast<const char*>(input.data), input.size);
        if (!hasPdfHeader(data)) {
            notes("no %PDF- header");
            return sdk::Status::NotMyFormat;
        }
        if (input.size > static_cast<std::size_t>(INT_MAX)) return sdk::Status::TooLarge;
        // Pixel limits before poppler decodes anything (a JBIG2 content stream is decoded for its text).
        if (const auto image = sdk::support::oversizedPdfImage(data)) {
            notes("refused before decoding: " + *image);
            return sdk::Status::TooLarge;
        }

        static std::once_flag kept;  // not at load: the host process never reads
        std::call_once(kept, keepPopplerParams);
        // The document reads the caller's bytes in place; they outlive it.
        const std::unique_ptr<poppler::document> doc(
            poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
        if (!doc) {
            notes("poppler cannot load the document");
            return sdk::Status::Malformed;
        }
        if (doc->is_locked()) {
            notes("the document needs a password to open");
            return sdk::Status::Encrypted;
        }

        const std::pair<poppler::ustring, std::string_view> info[] = {
            {doc->get_title(), "title"}, {doc->get_producer(), "producer"}, {doc->get_creator(), "creator"}};
        for (const auto& [value, key] : info) {
            const std::string text = pt::documentTextToUtf8({value.data(), value.size()});
            if (!text.empty()) sink.metadata(key, text);
        }
        const int pageCount = std::max(doc->pages(), 0);
        sink.metadata("pages", std::to_string(pageCount));
        if (doc->is_encrypted()) sink.metadata("encrypted", "1");
        if (pageCount == 0) {
            notes("the document has no pages");
            return sdk::Status::Malformed;
        }
        const auto pagesToRead =
            static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(pageCount), options.maxPages));
        if (pagesToRead < pageCount)
            notes("read the first " + std::to_string(pagesToRead) + " of " + std::to_string(pageCount) + " pages");

        int textPages = 0;
        std::size_t wordsPushed = 0;
        bool truncated = false;
        for (int index = 0; index < pagesToRead; ++index) {
            const int number = index + 1;
            if (!options.wantsPage(number)) continue;
            const std::unique_ptr<poppler::page> page(doc->create_page(index));
            if (!page) {
                notes("page " + std::to_string(number) + " cannot be loaded");
                continue;
            }
            const auto [width, height] = displayedSize(*page);
            sink.page(number, width, height);

            // Symbol-font codes are rare (private-use U+F0xx, þ ý ü ¨ £, a wide
            // lone o q r x); only then is the page laid out again with font
            // names. Raw Wingdings 2 letters (O..T) and ZapfDingbats digits do
            // not trigger it alone: as lone words they are ordinary letters
            // and digits far more often than boxes.
            PageText text = layOut(*page, 0);
            if (text.wantsFonts) text = layOut(*page, poppler::page::text_list_include_font);
            if (text.judged == 0) {  // no text layer on this page: a scan, or blank
                sink.pageContent(number, sdk::PageContent::NoTextLayer);
                continue;
            }
            if (static_cast<double>(text.ordinary) < kMinOrdinaryShare * static_cast<double>(text.judged)) {
                notes("page " + std::to_string(number) + " text layer unusable");
                sink.pageContent(number, sdk::PageContent::GarbageText);
                continue;
            }
            ++textPages;
            if (!options.wantWords) continue;
            for (const PageWord& word : text.words) {
                if (wordsPushed >= kMaxWordsPerDocument) {
                    truncated = true;
                    break;
                }
                sink.word(number, word.text, word.box, 1.0);
                ++wordsPushed;
            }
            if (truncated) break;
        }

        sink.metadata("text_pages", std::to_string(textPages));
        if (truncated) notes("word limit reached, words truncated");
        if (textPages == 0) {
            notes("no page has a usable text layer");
            return sdk::Status::NotMyFormat;
        }
        return sdk::Status::Ok;
    }

    static PageText layOut(const poppler::page& page, int options) {
        PageText text;
        for (const poppler::text_box& box : page.text_list(options)) BoxSplitter(box, text).split();
        return text;
    }

    // The page's size as poppler lays its text out: the crop box, turned by
    // the page's /Rotate.
    static std::pair<double, double> displayedSize(const poppler::page& page) {
        const poppler::rectf box = page.page_rect(poppler::crop_box);
        double width = std::fabs(finiteOrZero(box.width()));
        double height = std::fabs(finiteOrZero(box.height()));
        const poppler::page::orientation_enum orientation = page.orientation();
        if (orientation == poppler::page::landscape || orientation == poppler::page::seascape) std::swap(width, height);
        return {width, height};
    }

    sdk::Description _description;
};

}  // namespace

std::unique_ptr<formproc::sdk::Reader> formproc::pdf_text::makeReader() { return std::make_unique<PdfTextReader>(); }

// Not in a program that links the reader in (fuzz targets, tests).
#ifndef FORMPROC_READER_STATIC
FORMPROC_PLUGIN("pdf-text", formproc::pdf_text::makeReader())
#endif
