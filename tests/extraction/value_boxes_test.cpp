// Where each value was read: the label matcher and the field-name mapper
// give a value the box of its words or widget, as fractions of its page.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include "formproc/extraction/extracted_json.hpp"
#include "formproc/extraction/field_names.hpp"
#include "formproc/extraction/label_matcher.hpp"
#include "page_image.hpp"
#include "test_support.hpp"

using namespace formproc;
using formproc::ocr::PixPtr;

namespace {

const forms::Form& form(const char* id) { return *test::projectForms()->byId(id); }

// `widthMargin`: the layout spreads a word's box over its letters and a
// space after them, so a value ends up to a letter short of its last word's end.
void checkBox(const validation::Extracted& e, int page, double x, double y, double w, double h,
              double widthMargin = 0.0) {
    REQUIRE(e.box);
    CHECK(e.box->page == page);
    CHECK(e.box->x == Approx(x));
    CHECK(e.box->y == Approx(y));
    CHECK(e.box->w == Approx(w).margin(widthMargin));
    CHECK(e.box->h == Approx(h));
}

}  // namespace

TEST_CASE("a value read beside its label has its words' box, as fractions of its page", "[extraction][boxes]") {
    std::vector<RawDocument::Word> words;
    test::layOutWords(words, 1, 74, 96, "Karta zgłoszeniowa powiatu do uczestnictwa w projekcie", 10, 1.0);
    test::layOutWords(words, 1, 62, 158, "Województwo:", 10, 1.0);
    test::layOutWords(words, 1, 235, 158, "Podkarpackie", 10, 1.0);
    test::layOutWords(words, 2, 62, 173, "Nazwa powiatu:", 10, 1.0);
    test::layOutWords(words, 2, 235, 173, "powiat rzeszowski", 10, 1.0);
    extraction::MatchOptions options;
    options.pages = {{1, 600, 800}, {2, 500, 1000}};
    auto f = extraction::matchLabels(form("karta-powiatu"), words, "text-layer", options);
    REQUIRE(f.count("wojewodztwo"));
    // "Podkarpackie": 12 letters of 6 points from x 235, 10 points high at y 158.
    checkBox(f["wojewodztwo"], 1, 235.0 / 600, 158.0 / 800, 72.0 / 600, 10.0 / 800, 6.0 / 600);
    // Two words: "powiat" (36) + a gap of 4 + "rzeszowski" (60), on a page of another size.
    REQUIRE(f.count("nazwa_powiatu"));
    checkBox(f["nazwa_powiatu"], 2, 235.0 / 500, 173.0 / 1000, 100.0 / 500, 10.0 / 1000, 6.0 / 500);

    // Without the pages' sizes there is no box: a position in unknown units would mislead.
    auto unsized = extraction::matchLabels(form("karta-powiatu"), words, "text-layer");
    REQUIRE(unsized.count("wojewodztwo"));
    CHECK_FALSE(unsized["wojewodztwo"].box);
}

TEST_CASE("a form field's value has its widget's box; the box survives the extracted JSON", "[extraction][boxes]") {
    RawDocument doc;
    doc.pages = {{1, 595, 842}};
    doc.fields.push_back({"nazwa_powiatu", "łęczyński", sdk::ValueKind::Text, 1, 1.0, "acroform"});
    doc.fields.push_back({"nip", "7132863520", sdk::ValueKind::Text, 1, 1.0, "acroform"});
    doc.fieldBoxes.push_back({0, sdk::Box{119, 84.2, 297.5, 105.25}});
    doc.fieldBoxes.push_back({1, sdk::Box{-10, 800, 100, 900}});  // partly off the page: clipped
    const extraction::FieldNameIndex index(form("karta-powiatu"));
    auto f = index.map(doc);
    REQUIRE(f.count("nazwa_powiatu"));
    checkBox(f["nazwa_powiatu"], 1, 0.2, 0.1, 0.3, 0.025);
    REQUIRE(f.count("nip"));
    checkBox(f["nip"], 1, 0.0, 800.0 / 842, 100.0 / 595, 42.0 / 842);
    // The raw fields alone carry no widgets.
    CHECK_FALSE(index.map(doc.fields)["nazwa_powiatu"].box);

    auto back = extraction::extractedFromJson(extraction::extractedToJson(f));
    checkBox(back["nazwa_powiatu"], 1, 0.2, 0.1, 0.3, 0.025);
    // A correction stands where the value was read.
    REQUIRE(extraction::applyCorrection(back, *form("karta-powiatu").field("nazwa_powiatu"), "łęczyński").empty());
    checkBox(back["nazwa_powiatu"], 1, 0.2, 0.1, 0.3, 0.025);
}

namespace {

// The bounding box of the dark pixels of an 8-bit page: {x0, y0, x1, y1}.
std::array<int, 4> inkBox(Pix& pix) {
    std::array<int, 4> box{pixGetWidth(&pix), pixGetHeight(&pix), -1, -1};
    for (int y = 0; y < pixGetHeight(&pix); ++y)
        for (int x = 0; x < pixGetWidth(&pix); ++x) {
            l_uint32 v = 255;
            pixGetPixel(&pix, x, y, &v);
            if (v >= 128) continue;
            box = {std::min(box[0], x), std::min(box[1], y), std::max(box[2], x + 1), std::max(box[3], y + 1)};
        }
    return box;
}

}  // namespace

TEST_CASE("a value read on a page the recogniser turned and straightened is boxed on the page as it is in the file",
          "[extraction][boxes]") {
    // The recogniser read the page turned by `quads` clockwise quarter turns
    // and then straightened by `skew` degrees (ocr::rotate, ocr::rotateGray):
    // in that frame, 800 x 600, the value is the ink at (400, 300)-(520, 315).
    // Where that ink is in the file is found by Leptonica turning the frame back.
    const auto [quads, skew] =
        GENERATE(std::pair{1, 2.0f}, std::pair{3, -1.5f}, std::pair{2, 0.0f}, std::pair{0, 3.0f});
    INFO("quarter turns " << quads << ", skew " << skew);
    const int readWidth = 800, readHeight = 600;
    PixPtr read(pixCreate(readWidth, readHeight, 8));
    pixSetAll(read.get());
    BOX* ink = boxCreate(400, 300, 120, 15);
    pixClearInRect(read.get(), ink);
    boxDestroy(&ink);
    PixPtr unskewed = skew != 0 ? formproc::ocr::rotateGray(*read, -skew) : PixPtr(pixClone(read.get()));
    PixPtr original = formproc::ocr::rotate(*unskewed, 4 - quads);
    REQUIRE(original);
    const auto expected = inkBox(*original);
    const double fileWidth = pixGetWidth(original.get()), fileHeight = pixGetHeight(original.get());

    std::vector<RawDocument::Word> words;
    test::layOutWords(words, 1, 100, 100, "Karta zgłoszeniowa powiatu do uczestnictwa w projekcie", 10, 0.95);
    words.push_back({1, "Nazwa", sdk::Box{250, 300, 300, 315}, 0.95, {}});
    words.push_back({1, "powiatu:", sdk::Box{305, 300, 380, 315}, 0.95, {}});
    words.push_back({1, "rzeszowski", sdk::Box{400, 300, 520, 315}, 0.95, {}});
    extraction::MatchOptions options;
    options.recognised = true;
    options.pages = {{1, static_cast<double>(readWidth), static_cast<double>(readHeight), quads, skew}};
    auto f = extraction::matchLabels(form("karta-powiatu"), words, "ocr", options);
    REQUIRE(f.count("nazwa_powiatu"));
    const auto& box = f["nazwa_powiatu"].box;
    REQUIRE(box);
    // Within three pixels of the ink across the text (a straightened
    // rectangle's bounding box is a little larger), and a letter (12 pixels)
    // along it: the layout spreads a word's box over its letters and a space.
    const double alongX = quads % 2 == 0 ? 13 : 3, alongY = quads % 2 == 0 ? 3 : 13;
    CHECK(box->x * fileWidth == Approx(expected[0]).margin(alongX));
    CHECK(box->y * fileHeight == Approx(expected[1]).margin(alongY));
    CHECK((box->x + box->w) * fileWidth == Approx(expected[2]).margin(alongX));
    CHECK((box->y + box->h) * fileHeight == Approx(expected[3]).margin(alongY));
}

TEST_CASE("a recogniser's turn and skew are taken from its metadata, malformed values ignored", "[extraction][boxes]") {
    RawDocument doc;
    doc.pages = {{1, 600, 800}, {2, 600, 800}, {3, 600, 800}};
    doc.metadata = {{"rotation_page_1", "90"}, {"skew_page_1", "-1.25"},   {"rotation_page_2", "45"},
                    {"skew_page_2", "2x"},     {"rotation_page_3", "270"}, {"skew_page_3", "80"}};
    doc.takePageGeometry();
    CHECK(doc.pages[0].quarterTurns == 1);
    CHECK(doc.pages[0].skew == Approx(-1.25));
    CHECK(doc.pages[1].quarterTurns == 0);  // not a quarter turn
    CHECK(doc.pages[1].skew == 0);
    CHECK(doc.pages[2].quarterTurns == 3);
    CHECK(doc.pages[2].skew == 0);  // no scan is skewed by 80 degrees
}
