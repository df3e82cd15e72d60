#include "pdf_pages.hpp"

#include <poppler-global.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "formproc/sdk/support/pdf_image_limits.hpp"

namespace formproc::ocr {

namespace {

void silencePoppler(const std::string&, void*) {}

}  // namespace

void quietLibraries() {
    static std::once_flag quieted;
    std::call_once(quieted, [] {
        poppler::set_debug_error_function(silencePoppler, nullptr);
        setMsgSeverity(L_SEVERITY_NONE);
    });
}

OpenedPdf openPdf(std::string_view bytes) {
    OpenedPdf out;
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        out.status = sdk::Status::TooLarge;
        return out;
    }
    // Pixel limits before poppler decodes an image (JBIG2, JPEG, Flate, JPX, CCITT).
    if (const auto image = sdk::support::oversizedPdfImage(bytes)) {
        out.status = sdk::Status::TooLarge;
        out.note = "refused before decoding: " + *image;
        return out;
    }
    out.doc.reset(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!out.doc) {
        out.status = sdk::Status::Malformed;
        out.note = "poppler cannot load the document";
    } else if (out.doc->is_locked()) {
        out.status = sdk::Status::Encrypted;
        out.note = "the document needs a password to open";
        out.doc.reset();
    }
    return out;
}

PixPtr toPix(const poppler::image& image) {
    if (!image.is_valid()) return nullptr;
    const bool gray = image.format() == poppler::image::format_gray8;
    if (!gray && image.format() != poppler::image::format_argb32) return nullptr;
    const int w = image.width(), h = image.height();
    if (w <= 0 || h <= 0 || w > kMaxSide || h > kMaxSide) return nullptr;
    PixPtr pix(pixCreate(w, h, gray ? 8 : 32));
    if (!pix) return nullptr;
    const char* rows = image.const_data();
    const int stride = image.bytes_per_row();
    l_uint32* data = pixGetData(pix.get());
    const int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < h; ++y) {
        const auto* src = reinterpret_cast<const unsigned char*>(rows + static_cast<std::ptrdiff_t>(y) * stride);
        l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
        if (gray) {
            for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, src[x]);
            continue;
        }
        for (int x = 0; x < w; ++x) {  // native-endian 0xAARRGGBB words
            std::uint32_t argb = 0;
            std::memcpy(&argb, src + static_cast<std::ptrdiff_t>(x) * 4, 4);
            composeRGBPixel(static_cast<l_int32>((argb >> 16) & 0xff), static_cast<l_int32>((argb >> 8) & 0xff),
                            static_cast<l_int32>(argb & 0xff), &line[x]);
        }
    }
    pixSetResolution(pix.get(), 0, 0);
    return pix;
}

}  // namespace formproc::ocr
