// Leptonica work on one scanned page: decoding with size guards, grey
// conversion, binarisation, orientation and skew, and check-box detection.
// Nothing here knows about the SDK or Tesseract.
//
// Every function returns an empty PixPtr (or an empty list) on failure and
// never throws except std::bad_alloc from the standard library.
#pragma once

#include <leptonica/allheaders.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::ocr {

struct PixDeleter {
    void operator()(Pix* pix) const noexcept {
        if (pix != nullptr) pixDestroy(&pix);
    }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Limits against hostile images: a real card is an A4 page at 150-600 dpi.
inline constexpr int kMaxSide = 12000;
inline constexpr double kMaxPixels = 100e6;

// What a decoded input gave: its pages, and whether the input was refused.
struct DecodedImages {
    std::vector<PixPtr> pages;
    std::vector<int> dpi;  // per page: the resolution recorded in the file, 0 when none
    bool tooLarge = false;
    bool malformed = false;
    std::size_t pagesInFile = 0;  // for TIFF: pages seen (may be more than decoded)
};

// What the first bytes of a file say: a PNG, JPEG or TIFF scan; a TIFF; a PDF
// (its header within the first 1,024 bytes, as readers allow).
bool isImage(std::string_view head);
bool isTiff(std::string_view head);
bool hasPdfHeader(std::string_view head);

// Decodes a PNG, JPEG or TIFF (all pages, up to maxPages) from memory. The
// declared size is checked before the pixels are decoded.
DecodedImages decodeImages(const unsigned char* data, std::size_t size, std::size_t maxPages);

// The resolution to assume for a page: the recorded one when plausible, else
// what an A4 page of this size would have.
int effectiveDpi(const Pix& pix, int recordedDpi);

// 8-bit grey, colour map removed. Empty on failure.
PixPtr toGray(Pix& pix);

// Grey scaled to a resolution Tesseract reads well (about 300 dpi); `dpi` is
// updated to the result's.
PixPtr normaliseResolution(Pix& gray, int& dpi);

// The share of a grey page's pixels clearly darker than its paper (the
// brightest tenth of the page): text, rules, smudges. A blank page or one
// rendered white gives about 0; a scan too blurred to read still gives ink.
double inkShare(Pix& gray);

// Black-on-white 1-bit image: background normalisation then Otsu, which
// keeps pale stamps and uneven lighting from turning into black blotches.
PixPtr binarise(Pix& gray);

// One Otsu threshold for the whole page (a tenth of binarise()'s cost): good
// enough to find the text lines' angle and orientation, not for reading.
PixPtr quickBinarise(Pix& gray);

// The skew of a binary page in degrees, 0 when none was found with
// confidence.
float findSkew(Pix& binary);

// Grey rotated by `degrees` (area-mapped, white brought in): rotating the
// grey page and binarising it again keeps strokes smooth, where rotating
// the binary page by shears leaves steps in them.
PixPtr rotateGray(Pix& gray, float degrees);

// True when the text of a binary page is upright beyond doubt (Leptonica's
// orientation test, Latin text at 150-300 dpi).
bool clearlyUpright(Pix& binary);

// Rotates clockwise by quads * 90 degrees.
PixPtr rotate(Pix& pix, int quads);

// A printed square check box found on the page, in pixels.
struct CheckBox {
    int x = 0, y = 0, w = 0, h = 0;
    double ink = 0;  // share of dark pixels inside the frame
    bool ticked = false;
    bool marked = false;  // found under a mark that runs out of it
};

// Finds hollow squares of check-box size (2-8 mm a side at `dpi`) and judges
// the ink inside each; then boxes a hand-drawn mark runs out of, whose
// frame is found among the page's straight runs (`marked`).
std::vector<CheckBox> findCheckBoxes(Pix& binary, int dpi);

// findCheckBoxes on the page as binarised for reading, then on the grey page
// cut at a plain threshold well under its paper: a blurred scan's thin frames
// break apart under the adaptive threshold (a box read as two pieces) and hold
// under the plain one. Boxes found the second way only are added.
std::vector<CheckBox> findCheckBoxes(Pix& gray, Pix& binary, int dpi);

// A box a hand crossed so heavily that its frame is lost under the strokes
// (both passes above miss it), where the recogniser read a short word
// ("X", "XA", "A") in the rectangle left, top, right, bottom: the word must
// be about the size of the boxes found on the page, stand in the column of
// one of them, and lie between two horizontal rules a box's height apart
// (the frame's top and bottom). The box is a found box's size, in that
// column, and judged by the ink inside it. nullopt when the word is no
// such box.
std::optional<CheckBox> boxUnderMark(Pix& binary, const std::vector<CheckBox>& boxes, int left, int top, int right,
                                     int bottom);

// A copy of `page` (1 or 8 bit) for the recogniser with the check boxes
// blanked, so that they are not read as letters ("O", "D", "[]"). Table
// rules stay: Tesseract's layout analysis finds and drops them itself, and
// removing them beforehand left fragments it read as words.
PixPtr blankCheckBoxes(Pix& page, const std::vector<CheckBox>& boxes);

}  // namespace formproc::ocr
