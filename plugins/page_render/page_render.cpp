// page-render: one page of an original as a PNG, for a person to look at (the
// review desk's left half). Not a reader of cards: it claims no format, so the
// pipeline never picks it; the service asks for it by id, and it runs in the
// worker like every other plugin, so a hostile PDF or image that poppler or
// Leptonica chokes on costs a worker, never the service.
//
// Request: ReadOptions::pages holds the one page wanted (none: only count).
// Answer (metadata): "pages" (how many the original has, TIFF pages or PDF
// pages), and for the page wanted "png" (the image's bytes) with "width" and
// "height" (pixels). The page is shown as it is in the file: a PDF page's crop
// box turned by its /Rotate (as the text layer's and the recogniser's words
// are measured), a scan as scanned; the longer side at most kMaxSide pixels.
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>

#include "page_image.hpp"
#include "pdf_pages.hpp"

namespace {

namespace sdk = formproc::sdk;
namespace ocr = formproc::ocr;

constexpr int kMaxSide = 2000;       // pixels on the longer side of what is sent to the browser
constexpr double kDisplayDpi = 110;  // a PDF page at this resolution unless kMaxSide says less
constexpr std::size_t kMaxPages = 500;

using ocr::isImage;
using ocr::isTiff;

// The PNG of a page already scaled to its display size.
bool emitPng(Pix& pix, sdk::Sink& sink) {
    l_uint8* bytes = nullptr;
    size_t size = 0;
    if (pixWriteMem(&bytes, &size, &pix, IFF_PNG) != 0 || bytes == nullptr) return false;
    const std::string png(reinterpret_cast<const char*>(bytes), size);
    lept_free(bytes);
    sink.metadata("png", png);
    sink.metadata("width", std::to_string(pixGetWidth(&pix)));
    sink.metadata("height", std::to_string(pixGetHeight(&pix)));
    return true;
}

// A decoded scan brought to display size: 1-bit and colour-mapped pages to
// grey or colour first, so that scaling averages instead of sampling.
ocr::PixPtr forDisplay(Pix& page) {
    ocr::PixPtr plain(pixRemoveColormap(&page, REMOVE_CMAP_BASED_ON_SRC));
    if (!plain) return nullptr;
    if (pixGetDepth(plain.get()) < 8) plain.reset(pixConvertTo8(plain.get(), 0));
    if (!plain) return nullptr;
    const int longer = std::max(pixGetWidth(plain.get()), pixGetHeight(plain.get()));
    if (longer <= kMaxSide) return plain;
    const auto factor = static_cast<l_float32>(static_cast<double>(kMaxSide) / longer);
    return ocr::PixPtr(pixScale(plain.get(), factor, factor));
}

class PageRenderer final : public sdk::Reader {
public:
    PageRenderer() {
        ocr::quietLibraries();
        _description.id = "page-render";
        _description.version = "1.0.0";
        _description.summary = "Renders a page of an original (PDF, PNG, JPEG, TIFF) as a PNG for the review desk";
        _description.gives = sdk::Gives::None;
    }

    const sdk::Description& describe() const noexcept override { return _description; }

    // Never a candidate for reading a card: asked for by id only.
    sdk::Identification identify(const sdk::Probe&) const noexcept override { return {sdk::Verdict::No, 0}; }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        sdk::support::Notes notes(sink, "page-render", 8);
        return sdk::support::guardRead(notes, [&] { return render(input, sink, options, notes); });
    }

private:
    static sdk::Status render(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options,
                              sdk::support::Notes& notes) {
        if (input.data == nullptr || input.size == 0) return sdk::Status::NotMyFormat;
        const std::string_view bytes(reinterpret_cast<const char*>(input.data), input.size);
        const int wanted = options.pages.empty() ? 0 : options.pages.front();
        if (isImage(bytes.substr(0, 16))) return renderImage(input, wanted, sink, notes);
        if (ocr::hasPdfHeader(bytes)) return renderPdf(bytes, wanted, sink, notes);
        return sdk::Status::Unsupported;
    }

    static sdk::Status renderImage(const sdk::Input& input, int wanted, sdk::Sink& sink, sdk::support::Notes& notes) {
        const std::string_view head(reinterpret_cast<const char*>(input.data), std::min<std::size_t>(input.size, 16));
        int pages = 1;
        if (isTiff(head)) {
            // Pages counted from their directories, without decoding them.
            l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
            pages = 0;
            while (static_cast<std::size_t>(pages) < kMaxPages &&
                   readHeaderMemTiff(input.data, input.size, pages, &w, &h, &bps, &spp, &res, &cmap, &format) == 0)
                ++pages;
        }
        sink.metadata("pages", std::to_string(pages));
        if (wanted == 0) return pages > 0 ? sdk::Status::Ok : sdk::Status::Malformed;
        if (wanted < 1 || wanted > pages) return sdk::Status::Unsupported;
        ocr::DecodedImages decoded = ocr::decodeImages(input.data, input.size, static_cast<std::size_t>(wanted));
        if (decoded.tooLarge) return sdk::Status::TooLarge;
        if (decoded.pages.size() < static_cast<std::size_t>(wanted)) {
            notes("page " + std::to_string(wanted) + " cannot be decoded");
            return sdk::Status::Malformed;
        }
        const ocr::PixPtr shown = forDisplay(*decoded.pages[static_cast<std::size_t>(wanted) - 1]);
        if (!shown || !emitPng(*shown, sink)) return sdk::Status::Internal;
        return sdk::Status::Ok;
    }

    static sdk::Status renderPdf(std::string_view bytes, int wanted, sdk::Sink& sink, sdk::support::Notes& notes) {
        ocr::OpenedPdf opened = ocr::openPdf(bytes);
        if (opened.status != sdk::Status::Ok) {
            if (!opened.note.empty()) notes(opened.note);
            return opened.status;
        }
        const std::unique_ptr<poppler::document> doc = std::move(opened.doc);
        const int pages = std::max(doc->pages(), 0);
        sink.metadata("pages", std::to_string(pages));
        if (wanted == 0) return pages > 0 ? sdk::Status::Ok : sdk::Status::Malformed;
        if (wanted < 1 || wanted > pages) return sdk::Status::Unsupported;
        const std::unique_ptr<poppler::page> page(doc->create_page(wanted - 1));
        if (!page) return sdk::Status::Malformed;
        // The crop box as displayed (turned by /Rotate), in points.
        const poppler::rectf box = page->page_rect(poppler::crop_box);
        double w = std::fabs(box.width()), h = std::fabs(box.height());
        if (!std::isfinite(w) || !std::isfinite(h) || w < 1 || h < 1) return sdk::Status::Malformed;
        if (page->orientation() == poppler::page::landscape || page->orientation() == poppler::page::seascape)
            std::swap(w, h);
        const double dpi = std::min(kDisplayDpi, kMaxSide * 72.0 / std::max(w, h));
        poppler::page_renderer renderer;
        renderer.set_image_format(poppler::image::format_argb32);
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
        const ocr::PixPtr pix = ocr::toPix(image);
        if (!pix || !emitPng(*pix, sink)) {
            notes("page " + std::to_string(wanted) + " cannot be rendered");
            return sdk::Status::Malformed;
        }
        return sdk::Status::Ok;
    }

    sdk::Description _description;
};

}  // namespace

FORMPROC_PLUGIN("page-render", std::make_unique<PageRenderer>())
