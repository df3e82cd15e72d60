// ocr: words with boxes and confidences from scanned cards, for the core's
// label matcher.
//
// Inputs are PNG, JPEG and TIFF images (every page of a TIFF) and PDFs whose
// pages are scans; the host offers a PDF here only after the text-layer and
// AcroForm readers declined it. PDF pages are rendered with poppler at 200
// dpi, which also covers pages that mix a text layer with scanned parts.
//
// Each page goes through Leptonica (grey, background-normalised Otsu
// binarisation, orientation by Leptonica's quick test and, when that is not
// sure, by reading the page as it stands and only when that reads badly or
// sideways Tesseract's OSD; deskew of the grey page), then check boxes are found
// as hollow squares in the binary page and judged by the ink inside them;
// they become the words "☒" / "☐" the matcher expects, and are blanked from
// the grey page Tesseract reads, so that they are not misread as "O", "D" or
// "[]".
//
// Check boxes a hand crossed over their edges are found by a second pass on
// the page's straight horizontal and vertical runs (page_image.cpp).
//
// After the page is read, words read with little confidence (small or
// slanted hand-writing) are read again from their own region at twice the
// size; the values beside the labels the host names (ReadOptions::hints:
// identifiers, phones, dates, e-mail addresses) are read again from their
// region with settings fit for their kind (digits only with Tesseract's
// choice iterator, or an English engine), and other words that look like
// identifiers with digits only; a second reading travels as the word's
// alternative (Sink::alternatives), for the validator's checksum- and
// format-guided repairs.
// Noise a scan adds is dropped: dotted leaders and rules read as letters,
// specks of dust, words read twice over each other, accents read apart
// from their letters.
//
// Pages are read side by side when the host allows more than one thread
// (ReadOptions::threads, a worker reading alone): a batch of as many pages
// as threads, one engine per thread, each engine kept for later documents;
// the sink hears of the pages in page order.
//
// Boxes are pushed in points (1/72 inch) with the origin at the top-left of
// the upright page: the matcher's distances (wrapped-label indent, the gap
// between a box and its label, table columns) are tuned in points.
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "formproc/sdk/support/text.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <poppler-rectangle.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine.hpp"
#include "hinted_values.hpp"
#include "page_image.hpp"
#include "pdf_pages.hpp"
#include "word_filters.hpp"
#include "words.hpp"

namespace {

namespace sdk = formproc::sdk;
namespace ocr = formproc::ocr;

// Scanned cards are mostly 200 or 300 dpi; at 200 Tesseract reads their 10-12
// pt type as well and in half the time of 300 (measured on the samples).
constexpr int kRenderDpi = 200;
// The pixel budget of one rendered PDF page (A3 at 400 dpi is 31 Mpx).
constexpr double kMaxRenderPixels = 60e6;
// Below this a rendered page is too coarse to read.
constexpr int kMinRenderDpi = 150;
// A page no word of which is legible counts as a degraded scan, not a blank
// page, when this share of it is ink (ocr::inkShare; a card's text is 3-8 %).
constexpr double kIllegibleInk = 0.01;

// A readable page has at least this many words read with confidence.
constexpr int kMinConfidentWords = 15;
constexpr double kConfident = 0.5;
// A page Leptonica cannot tell the orientation of, read as it stands with
// at least this mean word confidence (and kMinConfidentWords), is upright:
// turned pages read as this give a few words with confidence among much noise.
constexpr double kUprightConfidence = 0.7;
// OSD's confidence below which its verdict is not acted on.
constexpr float kMinOsdConfidence = 1.5f;
constexpr int kMaxNotes = 20;

const char* const kTicked = "☒";
const char* const kEmpty = "☐";

using ocr::hasPdfHeader;
using ocr::isImage;

// A word as pushed: points, origin top-left.
struct PageWord {
    std::string text;
    sdk::Box box;
    double confidence = 0;
    int line = 0;
    std::vector<std::string> alternatives;
};

// Table rules and frame fragments that survive line removal come out as
// runs of bars; they carry nothing and would be read as values.
bool isRuleNoise(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return c == '|' || c == '!' || c == '[' || c == ']' || c == '_';
    });
}

// A dotted leader read as a string of "o", "0" and dots with no confidence
// ("...40000000006", "oooooj").
bool isDotNoise(std::string_view text, double confidence) {
    if (confidence >= 0.5 || text.size() < 6) return false;
    const auto dots = std::count_if(text.begin(), text.end(), [](char c) {
        return c == '.' || c == ',' || c == 'o' || c == '0' || c == 'O' || c == ':' || c == '\'';
    });
    return static_cast<double>(dots) >= 0.6 * static_cast<double>(text.size());
}

std::size_t utf8Letters(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A speck of dust read as a dot or a dash, or a stray symbol read without
// confidence: no letter or digit, and either smaller than any glyph of
// the card's type or all but unread.
// One to three ASCII letters: what a hand's cross over a check box is
// read as ("X", "XA", "A", "K"); never digits (a row's "1.").
bool isShortLetters(const std::string& text) {
    return !text.empty() && text.size() <= 3 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

bool isSpeck(const ocr::OcrWord& w, int dpi) {
    const double height = (w.bottom - w.top) * 72.0 / dpi;
    const double width = (w.right - w.left) * 72.0 / dpi;
    // A smudge or a stretch of a rule read as a letter or two, unread; a
    // speck smaller than any glyph of the card's type, read as anything.
    if (w.confidence < 0.05 && (w.text.size() <= 3 || height < 4.0)) return true;
    if (width < 2.0 && height < 2.0) return true;
    // A letter or two stretched over a span no glyph has: a rule's stretch.
    if (w.confidence < 0.5 && utf8Letters(w.text) <= 2 && width > 4.0 * std::max(height, 3.0)) return true;
    const bool symbols = std::none_of(w.text.begin(), w.text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c & 0x80) != 0;
    });
    if (!symbols) return false;
    return w.confidence < 0.3;
}

// A run of dashes ("——", "--", "==") read without confidence, or a dash
// longer than any printed one: a fragment of a rule or of a signature line,
// not a value.
bool isDashNoise(std::string_view text, double confidence, double widthPoints = 0) {
    if (confidence >= 0.6 && widthPoints <= 10.0) return false;
    std::string rest(text);
    for (const char* dash : {"—", "–", "-", "=", "_", "~"}) {
        for (std::size_t at = rest.find(dash); at != std::string::npos; at = rest.find(dash))
            rest.erase(at, std::strlen(dash));
    }
    return rest.empty() && (text.size() >= 2 || widthPoints > 10.0);
}

bool endsWith(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// Tesseract reads the "@" of e-mail addresses as "©" and, the glyph being
// wide, splits the address there: "jan©" "example.pl". Rejoined here, as an
// address is one value.
// Looks like the domain of an address: lower-case labels joined by dots.
bool looksLikeDomain(std::string_view text) {
    if (text.find('.') == std::string_view::npos || text.front() == '.' || text.back() == '.') return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'; });
}

bool looksLikeLocalPart(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    });
}

// The "@" of an all lower-case address read as "Q" ("janQexample.pl") or
// as "Q@" ("janQ@example.pl"): the reading as printed becomes the word's
// alternative.
void repairAt(ocr::OcrWord& w) {
    std::string& t = w.text;
    const std::size_t q = t.find('Q');
    if (q == std::string::npos || q == 0 || t.find('Q', q + 1) != std::string::npos) return;
    const std::string_view local = std::string_view(t).substr(0, q);
    std::string_view rest = std::string_view(t).substr(q + 1);
    if (!rest.empty() && rest.front() == '@')
        rest.remove_prefix(1);
    else if (t.find('@') != std::string::npos)
        return;
    if (rest.empty() || !looksLikeLocalPart(local) || !looksLikeDomain(rest)) return;
    std::string repaired = std::string(local) + "@" + std::string(rest);
    w.alternatives.insert(w.alternatives.begin(), t);
    t = std::move(repaired);
}

void repairAddresses(std::vector<ocr::OcrWord>& words) {
    for (auto& w : words) {
        ocr::replaceAll(w.text, "©", "@");
        repairAt(w);
        // A dash between words is the Polish en dash; Tesseract reads it long.
        if (w.text == "—") w.text = "–";
    }
    std::vector<ocr::OcrWord> out;
    out.reserve(words.size());
    for (auto& w : words) {
        if (!out.empty()) {
            ocr::OcrWord& prev = out.back();
            const int height = std::max(1, prev.bottom - prev.top);
            const bool sameLine = prev.line == w.line && w.left - prev.right < 2 * height;
            if (sameLine && (endsWith(prev.text, "@") || (!w.text.empty() && w.text.front() == '@'))) {
                prev.text += w.text;
                prev.right = std::max(prev.right, w.right);
                prev.top = std::min(prev.top, w.top);
                prev.bottom = std::max(prev.bottom, w.bottom);
                prev.confidence = std::min(prev.confidence, w.confidence);
                continue;
            }
        }
        out.push_back(std::move(w));
    }
    words = std::move(out);
}

// An accent read apart from its letter ("ś" of "Uścimów" as "Uścimów" and a
// "4" above it): a short word read with little confidence that stands over
// another word, within its width and touching its top.
void dropLooseAccents(std::vector<ocr::OcrWord>& words) {
    std::vector<bool> dropped(words.size(), false);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const ocr::OcrWord& a = words[i];
        if (a.confidence >= 0.5 || a.text.size() > 2) continue;
        for (std::size_t j = 0; j < words.size(); ++j) {
            if (i == j || dropped[j]) continue;
            const ocr::OcrWord& b = words[j];
            const int height = b.bottom - b.top;
            if (b.text.size() < 3 || a.left < b.left || a.right > b.right) continue;
            if (a.bottom < b.top - height / 3 || a.bottom > b.top + height / 2) continue;
            if (a.bottom - a.top > height / 2) continue;
            dropped[i] = true;
            break;
        }
    }
    std::vector<ocr::OcrWord> kept;
    kept.reserve(words.size());
    for (std::size_t i = 0; i < words.size(); ++i)
        if (!dropped[i]) kept.push_back(std::move(words[i]));
    words = std::move(kept);
}

struct PageResult {
    std::vector<PageWord> words;
    double width = 0, height = 0;  // points
    int rotation = 0;              // degrees turned clockwise to read it
    float skew = 0;
    int dpi = 0;
    int confidentWords = 0;
    double meanConfidence = 0;
    double ink = 0;  // ocr::inkShare of the page as it came
};

// A page waiting to be read, and what reading it gave.
struct PageJob {
    ocr::PixPtr gray;
    int dpi = 0;
    int number = 0;
    PageResult result;
    bool processed = false;
};

class OcrReader final : public sdk::Reader {
public:
    OcrReader() {
        ocr::quietLibraries();  // both report every problem of a broken file on stderr
        _description.id = "ocr";
        _description.version = "1.0.0";
        _description.summary = "Scanned cards (PNG, JPEG, TIFF, image-only PDF) read with Tesseract";
        _description.formats = {
            {"image/png", {"png"}, {{{0, "\x89PNG\r\n\x1a\n"}}}},
            {"image/jpeg", {"jpg", "jpeg"}, {{{0, "\xFF\xD8\xFF"}}}},
            {"image/tiff", {"tif", "tiff"}, {{{0, std::string("II*\0", 4)}}, {{0, std::string("MM\0*", 4)}}}},
            {"application/pdf", {"pdf"}, {{{sdk::Magic::kAnywhere, "%PDF-"}}}},
        };
        _description.gives = sdk::Gives::Words | sdk::Gives::PageRecognition;
        _description.provenance = "ocr";
    }

    const sdk::Description& describe() const noexcept override { return _description; }

    sdk::Identification identify(const sdk::Probe& probe) const noexcept override {
        if (isImage(probe.head)) return {sdk::Verdict::Yes, 70};
        // Below pdf-acroform (60) and pdf-text (50): a PDF reaches OCR only
        // when neither finds anything to read in it.
        if (hasPdfHeader(probe.head)) return {sdk::Verdict::Maybe, 40};
        return {sdk::Verdict::No, 0};
    }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        // The engines are the reader's; a worker reads one document at a
        // time, the lock only keeps a careless host from sharing them.
        std::lock_guard lock(_mutex);
        sdk::support::Notes notes(sink, "ocr", kMaxNotes);
        _noteSink = &notes;
        const sdk::Status status = sdk::support::guardRead(notes, [&] { return readDocument(input, sink, options); });
        _noteSink = nullptr;
        return status;
    }

private:
    // Notes of the read in progress (set by read()).
    void note(sdk::Sink& /*sink*/, std::string_view text) noexcept {
        if (_noteSink) (*_noteSink)(text);
    }

    sdk::Status readDocument(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) {
        if (input.data == nullptr || input.size == 0) return sdk::Status::NotMyFormat;
        const std::string_view head(reinterpret_cast<const char*>(input.data), std::min<std::size_t>(input.size, 4096));
        const bool image = isImage(head);
        if (!image && !hasPdfHeader(head)) return sdk::Status::NotMyFormat;
        if (options.maxPages == 0) return sdk::Status::Ok;

        std::string error;
        if (_engines.empty()) _engines.push_back(std::make_unique<ocr::Engine>());
        if (!_engines.front()->ready(error)) {
            note(sink, "" + error);
            return sdk::Status::ToolMissing;
        }
        sink.metadata("ocr_engine", ocr::Engine::version());
        sink.metadata("ocr_lang", _engines.front()->language());
        _pagesRead = 0;
        _threadsUsed = 0;
        _readable = 0;
        _unreadable = 0;
        _illegibleWithInk = 0;
        const sdk::Status status = image ? readImages(input, sink, options) : readPdf(input, sink, options);
        if (status != sdk::Status::Ok) return status;
        if (_pagesRead > 0 && _readable == 0) {
            note(sink, "no page holds enough legible text");
            // Ink on a page no word of which could be read: something was
            // scanned, too degraded to read (a fax, a blurred photograph),
            // unlike a blank page or a file that renders white.
            if (_illegibleWithInk > 0) sink.metadata("illegible_pages_with_ink", std::to_string(_illegibleWithInk));
            return sdk::Status::Unreadable;
        }
        return sdk::Status::Ok;
    }

    sdk::Status readImages(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) {
        ocr::DecodedImages decoded = ocr::decodeImages(input.data, input.size, options.maxPages);
        if (decoded.tooLarge) {
            note(sink, "the image is larger than 12000 x 12000 pixels or 100 megapixels");
            return sdk::Status::TooLarge;
        }
        if (decoded.malformed || decoded.pages.empty()) {
            note(sink, "the image cannot be decoded");
            return sdk::Status::Malformed;
        }
        sink.metadata("pages", std::to_string(decoded.pages.size()));
        std::vector<PageJob> batch;
        for (std::size_t i = 0; i < decoded.pages.size(); ++i) {
            if (!options.wantsPage(static_cast<int>(i) + 1)) continue;
            Pix& pix = *decoded.pages[i];
            const int dpi = ocr::effectiveDpi(pix, decoded.dpi[i]);
            if (i == 0) sink.metadata("dpi", std::to_string(dpi));
            ocr::PixPtr gray = ocr::toGray(pix);
            decoded.pages[i].reset();  // the original is no longer needed
            if (!gray) {
                note(sink, "page " + std::to_string(i + 1) + " cannot be converted to grey");
                continue;
            }
            batch.push_back({std::move(gray), dpi, static_cast<int>(i) + 1, {}, false});
            if (batch.size() >= batchFor(options)) readBatch(batch, sink, options);
        }
        readBatch(batch, sink, options);
        return sdk::Status::Ok;
    }

    sdk::Status readPdf(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) {
        // The document reads the caller's bytes in place; they outlive it.
        ocr::OpenedPdf opened = ocr::openPdf(std::string_view(reinterpret_cast<const char*>(input.data), input.size));
        if (opened.status != sdk::Status::Ok) {
            if (!opened.note.empty()) note(sink, opened.note);
            return opened.status;
        }
        const std::unique_ptr<poppler::document> doc = std::move(opened.doc);
        const int pageCount = std::max(doc->pages(), 0);
        sink.metadata("pages", std::to_string(pageCount));
        if (pageCount == 0) return sdk::Status::Malformed;
        const int toRead =
            static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(pageCount), options.maxPages));
        if (toRead < pageCount)
            note(sink, "read the first " + std::to_string(toRead) + " of " + std::to_string(pageCount) + " pages");
        sink.metadata("dpi", std::to_string(kRenderDpi));

        poppler::page_renderer renderer;
        renderer.set_image_format(poppler::image::format_gray8);
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        std::vector<PageJob> batch;
        for (int index = 0; index < toRead; ++index) {
            const int number = index + 1;
            if (!options.wantsPage(number)) continue;
            const std::unique_ptr<poppler::page> page(doc->create_page(index));
            if (!page) {
                note(sink, "page " + std::to_string(number) + " cannot be loaded");
                continue;
            }
            const poppler::rectf rect = page->page_rect();
            const double w = std::abs(rect.width()), h = std::abs(rect.height());
            if (!std::isfinite(w) || !std::isfinite(h) || w < 1 || h < 1) {
                note(sink, "page " + std::to_string(number) + " has no size");
                continue;
            }
            // A page too large for the budget is rendered coarser, down to a
            // resolution still worth reading; beyond that it is no card.
            int dpi = kRenderDpi;
            const double pixelsAt72 = w * h;
            while (dpi > kMinRenderDpi && pixelsAt72 * (dpi / 72.0) * (dpi / 72.0) > kMaxRenderPixels) dpi -= 25;
            if (pixelsAt72 * (dpi / 72.0) * (dpi / 72.0) > kMaxRenderPixels) {
                note(sink, "page " + std::to_string(number) + " is too large to render");
                return sdk::Status::TooLarge;
            }
            const poppler::image rendered = renderer.render_page(page.get(), dpi, dpi);
            ocr::PixPtr gray = ocr::toPix(rendered);
            if (!gray) {
                note(sink, "page " + std::to_string(number) + " cannot be rendered");
                continue;
            }
            batch.push_back({std::move(gray), dpi, number, {}, false});
            if (batch.size() >= batchFor(options)) readBatch(batch, sink, options);
        }
        readBatch(batch, sink, options);
        return sdk::Status::Ok;
    }

    // At most as many pages side by side as the host allows threads, and no
    // more than engines can be had (each holds its own model, ~40 MiB).
    static std::size_t threadsFor(const sdk::ReadOptions& options) {
        constexpr unsigned kMaxThreads = 4;
        return std::clamp(options.threads, 1U, kMaxThreads);
    }

    // Pages taken into one batch: twice the threads, so that a light page
    // (a card's last, half empty) does not leave a thread idle while a dense
    // one is read; at 200 dpi a grey A4 page holds 4 MiB.
    static std::size_t batchFor(const sdk::ReadOptions& options) {
        const std::size_t threads = threadsFor(options);
        return threads == 1 ? 1 : 2 * threads;
    }

    // Reads the pages of `batch` side by side, one engine per thread, then
    // hands them to the sink in page order, and empties the batch. A thread
    // loads its engine itself (0.3 s, while the first reads); pages of a
    // thread whose engine cannot load are read by the first engine after.
    void readBatch(std::vector<PageJob>& batch, sdk::Sink& sink, const sdk::ReadOptions& options) {
        if (batch.empty()) return;
        const std::size_t threads = std::min(batch.size(), threadsFor(options));
        while (_engines.size() < threads) _engines.push_back(std::make_unique<ocr::Engine>());
        std::vector<std::exception_ptr> failures(threads);
        std::vector<char> done(batch.size(), 0);
        std::atomic<std::size_t> working{0};
        std::atomic<std::size_t> next{0};  // pages go to whichever thread is free
        auto work = [&](std::size_t thread) {
            try {
                std::string error;
                if (!_engines[thread]->ready(error)) return;
                ++working;
                for (std::size_t i = next++; i < batch.size(); i = next++) {
                    batch[i].processed =
                        processPage(*batch[i].gray, batch[i].dpi, batch[i].result, *_engines[thread], options.hints);
                    done[i] = 1;
                }
            } catch (...) {
                failures[thread] = std::current_exception();
            }
        };
        std::vector<std::thread> helpers;
        for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t);
        work(0);
        for (auto& helper : helpers) helper.join();
        for (const auto& failure : failures)
            if (failure) std::rethrow_exception(failure);
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (!done[i])
                batch[i].processed =
                    processPage(*batch[i].gray, batch[i].dpi, batch[i].result, *_engines[0], options.hints);
        for (auto& job : batch) emitPage(job, sink, options);
        batch.clear();
        if (working > _threadsUsed) {
            _threadsUsed = working;
            sink.metadata("ocr_threads", std::to_string(_threadsUsed));
        }
    }

    void emitPage(PageJob& job, sdk::Sink& sink, const sdk::ReadOptions& options) {
        const int number = job.number;
        PageResult& result = job.result;
        ++_pagesRead;
        if (!job.processed) {
            note(sink, "page " + std::to_string(number) + " cannot be processed");
            sink.pageContent(number, sdk::PageContent::Unreadable);
            ++_unreadable;
            return;
        }
        sink.page(number, result.width, result.height);
        sink.metadata("rotation_page_" + std::to_string(number), std::to_string(result.rotation));
        if (result.skew != 0.0f) {
            char skew[32];
            std::snprintf(skew, sizeof skew, "%.2f", static_cast<double>(result.skew));
            sink.metadata("skew_page_" + std::to_string(number), skew);
        }
        if (result.confidentWords < kMinConfidentWords) {
            sink.pageContent(number, sdk::PageContent::Unreadable);
            ++_unreadable;
            if (result.ink >= kIllegibleInk) ++_illegibleWithInk;
            note(sink, "page " + std::to_string(number) + " is barely legible (" +
                           std::to_string(result.confidentWords) + " words read with confidence)");
        } else {
            ++_readable;
        }
        if (!options.wantWords) return;
        for (const auto& w : result.words) {
            sink.word(number, w.text, w.box, w.confidence);
            if (!w.alternatives.empty()) sink.alternatives(w.alternatives);
        }
    }

    // A page read as it stands is upright when it was read with confidence
    // and its words lie along the lines: Tesseract also reads a page turned
    // by a quarter, as vertical text, with confidence, but its words are then
    // boxes taller than wide.
    static bool readUpright(const PageResult& result) {
        if (result.meanConfidence < kUprightConfidence || result.confidentWords < kMinConfidentWords) return false;
        int words = 0, lying = 0;
        for (const auto& w : result.words) {
            if (w.confidence < kConfident || utf8Letters(w.text) < 3) continue;
            ++words;
            if (w.box.x1 - w.box.x0 > w.box.y1 - w.box.y0) ++lying;
        }
        return words >= kMinConfidentWords / 2 && lying * 10 >= words * 9;
    }

    // Turns the grey page by `quads` quarter turns, takes out the skew its
    // quick binary (`quick`, turned with it) shows, and binarises the result
    // for reading (the one full binarisation of a page) into `binary`; the
    // skew in degrees. Empties `gray` on failure.
    static float straighten(ocr::PixPtr& gray, ocr::PixPtr quick, ocr::PixPtr& binary, int quads) {
        binary.reset();
        if (quads != 0) {
            gray = ocr::rotate(*gray, quads);
            quick = gray ? ocr::rotate(*quick, quads) : nullptr;
            if (!gray || !quick) {
                gray.reset();
                return 0;
            }
        }
        const float skew = ocr::findSkew(*quick);
        if (skew != 0.0f)
            if (ocr::PixPtr straight = ocr::rotateGray(*gray, skew)) gray = std::move(straight);
        binary = ocr::binarise(*gray);
        if (!binary) gray.reset();
        return skew;
    }

    // One page from grey pixels to words in points. False when Leptonica
    // fails on it (out of memory or a degenerate image).
    static bool processPage(Pix& page, int dpi, PageResult& result, ocr::Engine& engine,
                            const std::vector<sdk::ValueHint>& hints) {
        ocr::PixPtr gray = ocr::normaliseResolution(page, dpi);
        if (!gray) return false;
        const double ink = ocr::inkShare(*gray);
        // Orientation and skew are judged on a quick binary; the page is
        // binarised for reading once it is straight.
        ocr::PixPtr quick = ocr::quickBinarise(*gray);
        if (!quick) return false;
        ocr::PixPtr binary;

        // Most pages come upright, which Leptonica's ascender/descender
        // count tells in a few milliseconds. Where it is not sure (a sparse
        // page: a card's last, mostly its signature) the page is read as it
        // stands first: read with confidence, it is upright. Only a page read
        // badly is given to Tesseract's OSD, which lays the whole page out
        // (0.3-0.8 s).
        bool osd = ocr::clearlyUpright(*quick);
        if (!osd) {
            ocr::PixPtr asIsGray(pixClone(gray.get())), asIsBinary;
            const float asIsSkew = straighten(asIsGray, ocr::PixPtr(pixClone(quick.get())), asIsBinary, 0);
            if (!asIsGray) return false;
            recognise(*asIsGray, *asIsBinary, dpi, result, engine, hints);
            if (readUpright(result)) {
                result.rotation = 0;
                result.skew = asIsSkew;
                result.dpi = dpi;
                result.ink = ink;
                return true;
            }
            result = PageResult();
        }
        int quads = 0;
        float osdConfidence = 0;
        if (!osd) {
            // OSD sees the page binarised for reading (a rare case: no need
            // to save the time there).
            ocr::PixPtr full = ocr::binarise(*gray);
            if (!full) return false;
            ocr::PixPtr reduced(dpi >= 250 ? pixReduceRankBinaryCascade(full.get(), 1, 0, 0, 0) : pixClone(full.get()));
            const int reducedDpi = dpi >= 250 ? dpi / 2 : dpi;
            osd = reduced && engine.orientation(*reduced, reducedDpi, quads, osdConfidence) &&
                  osdConfidence >= kMinOsdConfidence;
        }
        if (!osd) quads = 0;
        const float skew = straighten(gray, std::move(quick), binary, quads);
        if (!gray) return false;

        recognise(*gray, *binary, dpi, result, engine, hints);
        // Without a confident OSD verdict, a page read badly may be upside
        // down: the turn that reads better wins.
        if (!osd && result.meanConfidence < 0.6) {
            ocr::PixPtr turnedGray = ocr::rotate(*gray, 2);
            ocr::PixPtr turned = ocr::rotate(*binary, 2);
            if (turned && turnedGray) {
                PageResult other;
                recognise(*turnedGray, *turned, dpi, other, engine, hints);
                if (other.meanConfidence > result.meanConfidence + 0.1) {
                    result = std::move(other);
                    quads = 2;
                }
            }
        }
        result.rotation = quads * 90;
        result.skew = skew;
        result.dpi = dpi;
        result.ink = ink;
        return true;
    }

    static void recognise(Pix& gray, Pix& binary, int dpi, PageResult& result, ocr::Engine& engine,
                          const std::vector<sdk::ValueHint>& hints) {
        std::vector<ocr::CheckBox> boxes = ocr::findCheckBoxes(gray, binary, dpi);
        // Tesseract is given the grey page: a thin rule or stroke of a 1-bit
        // scan, once rotated, is grey and an own threshold cuts it into
        // dashes, which it then reads as letters.
        ocr::PixPtr clean = ocr::blankCheckBoxes(gray, boxes);
        Pix& page = clean ? *clean : gray;
        std::vector<ocr::OcrWord> words = engine.recognise(page, dpi);
        rereadWeakWords(page, dpi, words, engine);
        ocr::readHintedValues(page, dpi, words, hints, engine);
        rereadIdentifiers(page, dpi, words, engine);
        clean.reset();
        dropDoubleReadings(words);
        dropLooseAccents(words);
        repairAddresses(words);

        const double scale = 72.0 / dpi;
        auto toPoints = [scale](double x0, double y0, double x1, double y1) {
            return sdk::Box{x0 * scale, y0 * scale, x1 * scale, y1 * scale};
        };
        result.width = pixGetWidth(&binary) * scale;
        result.height = pixGetHeight(&binary) * scale;
        double sum = 0;
        int counted = 0;
        std::vector<ocr::CheckBox> crossed;
        for (const auto& w : words) {
            if (isShortLetters(w.text))
                if (auto box = ocr::boxUnderMark(binary, boxes, w.left, w.top, w.right, w.bottom)) {
                    crossed.push_back(*box);
                    continue;
                }
            if (ocr::isBlank(w.text) || isRuleNoise(w.text) ||
                isDashNoise(w.text, w.confidence, (w.right - w.left) * 72.0 / dpi) ||
                isDotNoise(w.text, w.confidence) || isSpeck(w, dpi))
                continue;
            // A dotted leader or a rule read as letters: a "word" flatter
            // than any letter, read without confidence.
            if (w.confidence < 0.5 && (w.bottom - w.top) * 72.0 / dpi < 2.5) continue;
            // A word standing on a check box is a fragment of its tick.
            const double cx = (w.left + w.right) / 2.0, cy = (w.top + w.bottom) / 2.0;
            const bool onBox = std::any_of(boxes.begin(), boxes.end(), [&](const ocr::CheckBox& b) {
                return cx >= b.x && cx <= b.x + b.w && cy >= b.y && cy <= b.y + b.h;
            });
            if (onBox) continue;
            result.words.push_back(
                {w.text, toPoints(w.left, w.top, w.right, w.bottom), w.confidence, w.line, w.alternatives});
            sum += w.confidence;
            ++counted;
            if (w.confidence >= kConfident) ++result.confidentWords;
        }
        result.meanConfidence = counted > 0 ? sum / counted : 0;
        boxes.insert(boxes.end(), crossed.begin(), crossed.end());
        for (const auto& b : boxes) {
            // Clear verdicts far from the threshold are sure; a faint mark or
            // a smudge near it is worth a human look.
            const double sure = (b.ink < 0.03 || b.ink > 0.15) ? 0.95 : 0.6;
            result.words.push_back(
                {b.ticked ? kTicked : kEmpty, toPoints(b.x, b.y, b.x + b.w, b.y + b.h), sure, -1, {}});
        }
    }

    // A word that may be an identifier, a postal code or a phone number:
    // mostly digits, the rest letters OCR confuses with digits.
    static bool looksLikeIdentifier(const std::string& text) {
        if (text.size() < 4 || text.size() > 32) return false;
        int digits = 0;
        for (char c : text) {
            if (c >= '0' && c <= '9')
                ++digits;
            else if (!std::strchr("-/.OoDQIlizZSsGbBTgq|()", c))
                return false;
        }
        return digits >= 3 && digits * 2 >= static_cast<int>(text.size());
    }

    // Such words are read again from their own region with digits only;
    // where that reading differs, the recogniser's first reading stays the
    // word and the digit reading becomes its alternative (the validator
    // takes it only when the field's checksum or format asks for it).
    static void rereadIdentifiers(Pix& page, int dpi, std::vector<ocr::OcrWord>& words, ocr::Engine& engine) {
        constexpr int kMaxRereads = 40;  // a card has a dozen identifiers
        int rereads = 0;
        for (auto& w : words) {
            if (rereads >= kMaxRereads) break;
            if (w.hinted || !looksLikeIdentifier(w.text) || w.right - w.left > 3000 || w.bottom - w.top > 300) continue;
            ++rereads;
            const int pad = std::max(2, (w.bottom - w.top) / 4);
            for (std::string digits :
                 engine.readDigits(page, dpi, w.left - pad, w.top - pad, w.right + pad, w.bottom + pad)) {
                digits.erase(std::remove(digits.begin(), digits.end(), ' '), digits.end());
                if (digits.empty() || digits == w.text) continue;
                if (std::find(w.alternatives.begin(), w.alternatives.end(), digits) == w.alternatives.end())
                    w.alternatives.push_back(std::move(digits));
            }
        }
    }

    // Words read with little confidence (small or slanted hand-writing)
    // are read again from their own region at twice the size, as one line;
    // a reading clearly more confident replaces the first, which becomes
    // its alternative.
    static void rereadWeakWords(Pix& page, int dpi, std::vector<ocr::OcrWord>& words, ocr::Engine& engine) {
        constexpr double kWeak = 0.7;
        constexpr int kMaxRereads = 60;
        int rereads = 0;
        for (auto& w : words) {
            if (rereads >= kMaxRereads) break;
            if (w.confidence >= kWeak || w.text.size() < 3) continue;
            const bool letters = std::any_of(w.text.begin(), w.text.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            });
            if (!letters) continue;
            const int height = w.bottom - w.top;
            // A word, not a block: a region scaled up stays small.
            if (w.right - w.left > 3000 || height > 300) continue;
            ++rereads;
            const int pad = std::max(3, height / 3);
            std::string text;
            double confidence = 0;
            if (!engine.readLine(page, dpi, w.left - pad, w.top - pad, w.right + pad, w.bottom + pad, 2.0f, text,
                                 confidence))
                continue;
            // The padded region may catch a rule or a box's edge: bars at
            // either end go.
            const auto bar = [](char c) { return c == '|' || c == '[' || c == ']' || c == '_' || c == ' '; };
            while (!text.empty() && bar(text.front())) text.erase(text.begin());
            while (!text.empty() && bar(text.back())) text.pop_back();
            if (text.empty()) continue;
            if (confidence < w.confidence + 0.15 || text == w.text) continue;
            w.alternatives.insert(w.alternatives.begin(), w.text);
            w.text = std::move(text);
            w.confidence = confidence;
        }
    }

    sdk::Description _description;
    std::mutex _mutex;
    std::vector<std::unique_ptr<ocr::Engine>> _engines;  // one per thread reading pages, kept for later documents
    sdk::support::Notes* _noteSink = nullptr;
    int _pagesRead = 0;
    std::size_t _threadsUsed = 0;  // most pages of this document read side by side
    int _readable = 0;
    int _unreadable = 0;        // pages reported Unreadable
    int _illegibleWithInk = 0;  // of those, pages with ink (kIllegibleInk)
};

}  // namespace

FORMPROC_PLUGIN("ocr", std::make_unique<OcrReader>())
