// Leptonica work of the ocr plugin on pages drawn here pixel by pixel: a
// check box crossed so heavily that its frame is buried under the strokes,
// found where the recogniser read the mark as a short word; the resolution a
// page is taken at; the quick binary that orientation and skew are judged on.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "page_image.hpp"

using formproc::ocr::CheckBox;
using formproc::ocr::PixPtr;

namespace {

// A white 1-bit page.
PixPtr blankPage() { return PixPtr(pixCreate(400, 400, 1)); }

void line(Pix& pix, int x0, int y0, int x1, int y1, int width) {
    pixRenderLine(&pix, x0, y0, x1, y1, width, L_SET_PIXELS);
}

// A printed 20-pixel frame with its top-left corner at (x, y).
void frame(Pix& pix, int x, int y) {
    line(pix, x, y, x + 19, y, 1);
    line(pix, x, y + 19, x + 19, y + 19, 1);
    line(pix, x, y, x, y + 19, 1);
    line(pix, x + 19, y, x + 19, y + 19, 1);
}

// A hand's thick cross over the frame at (x, y), running 6 pixels out of it.
void cross(Pix& pix, int x, int y) {
    line(pix, x - 6, y - 6, x + 25, y + 25, 4);
    line(pix, x - 6, y + 25, x + 25, y - 6, 4);
}

// A white two-page 1-bit TIFF (G4) of the given page sizes, as file bytes.
std::string twoPageTiff(int w1, int h1, int w2, int h2) {
    PIXA* pixa = pixaCreate(2);
    pixaAddPix(pixa, pixCreate(w1, h1, 1), L_INSERT);
    pixaAddPix(pixa, pixCreate(w2, h2, 1), L_INSERT);
    l_uint8* bytes = nullptr;
    size_t size = 0;
    const bool written = pixaWriteMemMultipageTiff(&bytes, &size, pixa) == 0;
    pixaDestroy(&pixa);
    REQUIRE(written);
    std::string out(reinterpret_cast<const char*>(bytes), size);
    lept_free(bytes);
    return out;
}

}  // namespace

TEST_CASE("ocr page image: a box buried under a hand's cross is found where a mark was read", "[ocr][plugin]") {
    PixPtr page = blankPage();
    REQUIRE(page);
    // The boxes of the column found whole (an empty one above).
    frame(*page, 50, 50);
    const std::vector<CheckBox> found = {{50, 50, 20, 20, 0.0, false, false}};
    frame(*page, 50, 150);
    cross(*page, 50, 150);
    // The recogniser read the cross as "X" over the extent of its strokes.
    auto box = formproc::ocr::boxUnderMark(*page, found, 44, 144, 76, 176);
    REQUIRE(box);
    CHECK(box->ticked);
    CHECK(box->x == 50);
    CHECK(box->y == Approx(150).margin(2));

    // A printed word in the column ("N"): stems, no frame's rules.
    line(*page, 52, 250, 52, 269, 2);
    line(*page, 67, 250, 67, 269, 2);
    line(*page, 52, 250, 67, 269, 2);
    CHECK_FALSE(formproc::ocr::boxUnderMark(*page, found, 50, 250, 70, 270));

    // A crossed frame outside the column of boxes, and a word of another size.
    frame(*page, 200, 150);
    cross(*page, 200, 150);
    CHECK_FALSE(formproc::ocr::boxUnderMark(*page, found, 194, 144, 226, 176));
    CHECK_FALSE(formproc::ocr::boxUnderMark(*page, found, 44, 144, 120, 176));
    CHECK_FALSE(formproc::ocr::boxUnderMark(*page, {}, 44, 144, 76, 176));
}

TEST_CASE("ocr page image: a recorded resolution is taken unless it makes a card a poster", "[ocr][plugin]") {
    // An A4 page scanned at 200 dpi: 1654 x 2339 pixels.
    PixPtr page(pixCreate(1654, 2339, 1));
    REQUIRE(page);
    CHECK(formproc::ocr::effectiveDpi(*page, 200) == 200);
    CHECK(formproc::ocr::effectiveDpi(*page, 150) == 150);  // A3 at 150 dpi is as large
    // 72 dpi (pdfimages' default) would make it 23 inches wide: from A4 instead.
    CHECK(formproc::ocr::effectiveDpi(*page, 72) == 200);
    CHECK(formproc::ocr::effectiveDpi(*page, 96) == 200);
    CHECK(formproc::ocr::effectiveDpi(*page, 0) == 200);
    // A small page at 72 dpi is believed.
    PixPtr small(pixCreate(595, 842, 1));
    REQUIRE(small);
    CHECK(formproc::ocr::effectiveDpi(*small, 72) == 72);
}

TEST_CASE("ocr page image: the quick binary shows the same skew as the one for reading", "[ocr][plugin]") {
    // Twenty lines of text in Leptonica's bitmap font, turned by 1.5 degrees.
    PixPtr page(pixCreate(1200, 1400, 8));
    REQUIRE(page);
    pixSetAll(page.get());
    L_BMF* font = bmfCreate(nullptr, 10);
    REQUIRE(font);
    for (int line = 0; line < 20; ++line) {
        l_int32 width = 0, overflow = 0;
        pixSetTextline(page.get(), font, "Nazwa jednostki zglaszajacej: Starostwo Powiatowe", 0, 80, 120 + 55 * line,
                       &width, &overflow);
    }
    bmfDestroy(&font);
    PixPtr turned = formproc::ocr::rotateGray(*page, 1.5f);
    REQUIRE(turned);
    PixPtr quick = formproc::ocr::quickBinarise(*turned);
    PixPtr full = formproc::ocr::binarise(*turned);
    REQUIRE(quick);
    REQUIRE(full);
    CHECK(pixGetDepth(quick.get()) == 1);
    const float fromQuick = formproc::ocr::findSkew(*quick);
    const float fromFull = formproc::ocr::findSkew(*full);
    CHECK(std::abs(fromQuick) == Approx(1.5).margin(0.3));
    CHECK(fromQuick == Approx(fromFull).margin(0.1));
    CHECK(formproc::ocr::clearlyUpright(*quick) == formproc::ocr::clearlyUpright(*full));
}

TEST_CASE("ocr page image: a TIFF page too large is refused from its directory, before its pixels are decoded",
          "[ocr][plugin][limits]") {
    // A small first page, then one 16,000 pixels wide (over kMaxSide); both
    // white, G4-compressed, so the file is a few hundred bytes.
    const std::string huge = twoPageTiff(200, 300, 16000, 40);
    auto decode = [](const std::string& tiff) {
        return formproc::ocr::decodeImages(reinterpret_cast<const unsigned char*>(tiff.data()), tiff.size(), 5);
    };
    formproc::ocr::DecodedImages decoded = decode(huge);
    CHECK(decoded.tooLarge);
    CHECK(decoded.pages.empty());
    CHECK(decoded.pagesInFile == 1);  // the second page was judged by its header, never decoded

    // The same two pages with a second page of a card's size are both read.
    decoded = decode(twoPageTiff(200, 300, 1240, 1754));
    CHECK_FALSE(decoded.tooLarge);
    REQUIRE(decoded.pages.size() == 2);
    CHECK(pixGetWidth(decoded.pages[1].get()) == 1240);
}

TEST_CASE("ocr page image: a box crossed lightly by hand is ticked, an empty one is not", "[ocr][plugin]") {
    // Two printed 4 mm boxes at 300 dpi (48 pixels, a 2-pixel frame); a pen's
    // thin cross (2 pixels) in the first covers about a tenth of its inside.
    PixPtr large(pixCreate(600, 400, 1));
    for (const int x : {100, 300}) {
        BOX* frameBox = boxCreate(x, 100, 48, 48);
        pixRenderBox(large.get(), frameBox, 2, L_SET_PIXELS);
        boxDestroy(&frameBox);
    }
    line(*large, 108, 108, 140, 140, 2);
    line(*large, 108, 140, 140, 108, 2);
    const std::vector<CheckBox> boxes = formproc::ocr::findCheckBoxes(*large, 300);
    REQUIRE(boxes.size() == 2);
    const CheckBox& crossed = boxes[0].x < boxes[1].x ? boxes[0] : boxes[1];
    const CheckBox& empty = boxes[0].x < boxes[1].x ? boxes[1] : boxes[0];
    INFO("ink of the crossed box " << crossed.ink << ", of the empty one " << empty.ink);
    CHECK(crossed.ink < 0.3);  // a light mark, far from a filled box
    CHECK(crossed.ticked);
    CHECK_FALSE(empty.ticked);
}

TEST_CASE("ocr page image: thin grey frames the adaptive threshold loses are found on the grey page", "[ocr][plugin]") {
    // Four 2.5 mm boxes at 200 dpi, as a scanner greys a printed frame (a
    // 1-pixel line of grey 100 on paper of 235), two crossed in black, each
    // before its label (dark letter-sized bars), in two columns.
    PIX* raw = pixCreate(900, 500, 8);
    pixSetAllArbitrary(raw, 235);
    for (int i = 0; i < 4; ++i) {
        const int x = 100 + (i % 2) * 400, y = 100 + (i / 2) * 60;
        BOX* b = boxCreate(x, y, 20, 20);
        pixRenderBoxArb(raw, b, 1, 100, 100, 100);
        boxDestroy(&b);
        if (i == 0 || i == 3) {
            pixRenderLineArb(raw, x + 4, y + 4, x + 15, y + 15, 2, 40, 40, 40);
            pixRenderLineArb(raw, x + 4, y + 15, x + 15, y + 4, 2, 40, 40, 40);
        }
        for (int k = 0; k < 12; ++k) {
            BOX* letter = boxCreate(x + 30 + k * 12, y + 3, 7, 15);
            pixSetInRectArbitrary(raw, letter, 50);
            boxDestroy(&letter);
        }
    }
    PixPtr gray(raw);
    PixPtr binary = formproc::ocr::binarise(*gray);
    REQUIRE(binary);
    const std::vector<CheckBox> boxes = formproc::ocr::findCheckBoxes(*gray, *binary, 200);
    INFO("found on the adaptive binary alone: " << formproc::ocr::findCheckBoxes(*binary, 200).size());
    REQUIRE(boxes.size() == 4);
    for (const auto& b : boxes) {
        const bool shouldBeTicked = (b.x < 300 && b.y < 130) || (b.x > 300 && b.y > 130);
        INFO("box at " << b.x << "," << b.y << " ink " << b.ink);
        CHECK(b.ticked == shouldBeTicked);
    }
    // A page with no box gains none from the second look.
    PixPtr plain(pixCreate(400, 300, 8));
    pixSetAllArbitrary(plain.get(), 235);
    PixPtr plainBinary = formproc::ocr::binarise(*plain);
    CHECK(formproc::ocr::findCheckBoxes(*plain, *plainBinary, 200).empty());
}
