// Where each value was read: the label matcher and the field-name mapper
// give a value the box of its words or widget, as fractions of its page.
#include <catch2/catch.hpp>

#include "formproc/extraction/extracted_json.hpp"
#include "formproc/extraction/field_names.hpp"
#include "formproc/extraction/label_matcher.hpp"
#include "test_support.hpp"

using namespace formproc;

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
