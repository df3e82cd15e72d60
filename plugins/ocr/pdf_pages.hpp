// Poppler's side of the ocr and page-render plugins: the libraries quieted,
// a PDF opened behind the pixel guards, and rendered pages as Leptonica
// images. One place, so that both plugins refuse the same files the same way.
#pragma once

#include <poppler-document.h>
#include <poppler-image.h>

#include <memory>
#include <string>
#include <string_view>

#include "formproc/sdk/reader.hpp"
#include "page_image.hpp"

namespace formproc::ocr {

// Poppler's and Leptonica's messages about broken files off stderr; the
// switches are process-wide, thrown once. Thread-safe.
void quietLibraries();

// A PDF opened from bytes that outlive it. `status` is Ok with `doc` set, or
// TooLarge (too many bytes, an image over the pixel limits), Malformed or
// Encrypted, with `note` saying why.
struct OpenedPdf {
    std::unique_ptr<poppler::document> doc;
    sdk::Status status = sdk::Status::Ok;
    std::string note;
};
OpenedPdf openPdf(std::string_view bytes);

// A rendered page as a Leptonica image: format_gray8 as 8-bit grey,
// format_argb32 as 32-bit colour. Empty for another format, an invalid image
// or one larger than kMaxSide.
PixPtr toPix(const poppler::image& image);

}  // namespace formproc::ocr
