// Entry of the image target: what the ocr reader does to a scan before
// Tesseract sees it: the size guards and decoding of PNG, JPEG and TIFF (all
// pages), grey conversion, resolution, binarisation, skew and orientation,
// check-box detection and blanking. Tesseract itself is left out: it is not
// ours to fuzz and costs seconds a page.
#include "fuzz_entries.hpp"
#include "page_image.hpp"

namespace formproc::fuzz {

namespace {

// Pages larger than this are decoded (the guards are what is fuzzed) but not
// processed further: at a second or more each, they would only slow the run.
constexpr double kMaxProcessedPixels = 4e6;

void preparePage(Pix& pix, int recordedDpi) {
    int dpi = ocr::effectiveDpi(pix, recordedDpi);
    const ocr::PixPtr gray = ocr::toGray(pix);
    if (!gray) return;
    const ocr::PixPtr scaled = ocr::normaliseResolution(*gray, dpi);
    if (!scaled) return;
    const ocr::PixPtr quick = ocr::quickBinarise(*scaled);
    if (quick) {
        (void)ocr::clearlyUpright(*quick);
        const float skew = ocr::findSkew(*quick);
        if (skew != 0) (void)ocr::rotateGray(*scaled, skew);
    }
    const ocr::PixPtr binary = ocr::binarise(*scaled);
    if (!binary) return;
    const std::vector<ocr::CheckBox> boxes = ocr::findCheckBoxes(*binary, dpi);
    if (!boxes.empty()) {
        const ocr::CheckBox& b = boxes.front();
        (void)ocr::boxUnderMark(*binary, boxes, b.x, b.y + 2 * b.h, b.x + b.w, b.y + 3 * b.h);
    }
    (void)ocr::blankCheckBoxes(*binary, boxes);
    (void)ocr::rotate(*binary, 1);
}

}  // namespace

void imageDecoding(const std::uint8_t* data, std::size_t size) {
    static const int quiet = setMsgSeverity(L_SEVERITY_NONE);  // as the ocr plugin: no stderr per bad file
    (void)quiet;
    ocr::DecodedImages decoded = ocr::decodeImages(data, size, 3);
    for (std::size_t i = 0; i < decoded.pages.size(); ++i) {
        Pix& page = *decoded.pages[i];
        const double pixels = static_cast<double>(pixGetWidth(&page)) * static_cast<double>(pixGetHeight(&page));
        if (pixels > kMaxProcessedPixels) continue;
        preparePage(page, i < decoded.dpi.size() ? decoded.dpi[i] : 0);
    }
}

}  // namespace formproc::fuzz
