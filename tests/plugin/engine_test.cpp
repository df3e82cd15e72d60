// The ocr plugin's Tesseract engine on its own: second readings of a region
// with digits only, their variants from Tesseract's choice iterator, and
// the hinted reading's pieces: a reading split over words, label keys.
#include <leptonica/allheaders.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine.hpp"
#include "hinted_values.hpp"
#include "page_image.hpp"

using namespace formproc;

namespace {

constexpr int kWidth = 900, kHeight = 160;

// One line of text in Leptonica's own bitmap font, black on white, grey,
// with a margin all round.
ocr::PixPtr lineOfText(const char* text) {
    ocr::PixPtr page(pixCreate(kWidth, kHeight, 8));
    REQUIRE(page);
    pixSetAll(page.get());
    L_BMF* font = bmfCreate(nullptr, 10);  // capitals about 25 pixels high
    REQUIRE(font);
    l_int32 width = 0, overflow = 0;
    pixSetTextline(page.get(), font, text, 0, 40, 100, &width, &overflow);
    bmfDestroy(&font);
    return page;
}

std::size_t differences(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return 99;
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
    return n;
}

}  // namespace

TEST_CASE("digits are read again with only digits allowed, choices one character apart", "[plugin][ocr]") {
    ocr::Engine engine;
    std::string error;
    REQUIRE(engine.ready(error));
    ocr::PixPtr line = lineOfText("NIP 717-27-43-601");
    const std::vector<std::string> readings = engine.readDigits(*line, 200, 0, 0, kWidth, kHeight);
    REQUIRE_FALSE(readings.empty());
    // "NIP" has no digit to be: what is left is the number.
    CHECK(readings.front().find("717-27-43-601") != std::string::npos);
    CHECK(readings.size() <= 9);
    for (const auto& r : readings) {
        INFO(r);
        CHECK(std::all_of(r.begin(), r.end(),
                          [](char c) { return std::string("0123456789-/. ").find(c) != std::string::npos; }));
        CHECK(differences(r, readings.front()) <= 1);
    }
    // The engine is left as it was: the next whole reading is not held to digits.
    const std::vector<ocr::OcrWord> words = engine.recognise(*line, 200);
    CHECK(std::any_of(words.begin(), words.end(), [](const ocr::OcrWord& w) { return w.text == "NIP"; }));
    // With phone characters allowed, brackets survive.
    ocr::PixPtr phone = lineOfText("(81) 532-17-40");
    const auto phoneReadings = engine.readDigits(*phone, 200, 0, 0, kWidth, kHeight, true);
    REQUIRE_FALSE(phoneReadings.empty());
    CHECK(phoneReadings.front().find("(81)") != std::string::npos);
}

TEST_CASE("an address is read by the English engine, its \"@\" kept", "[plugin][ocr]") {
    ocr::Engine engine;
    std::string error;
    REQUIRE(engine.ready(error));
    ocr::PixPtr line = lineOfText("jan.kowalski@example.pl");
    std::string text;
    double confidence = 0;
    // With Polish loaded too this line read "jan.kowalskiQexample.pl".
    REQUIRE(engine.readEmail(*line, 200, 0, 0, kWidth, kHeight, 1.0f, text, confidence));
    CHECK(text == "jan.kowalski@example.pl");
    REQUIRE(engine.readEmail(*line, 200, 0, 0, kWidth, kHeight, 2.0f, text, confidence));
    CHECK(text == "jan.kowalski@example.pl");
    CHECK(confidence > 0.3);
    // A region outside the image reads nothing.
    CHECK_FALSE(engine.readEmail(*line, 200, kWidth + 10, 0, kWidth + 90, kHeight, 1.0f, text, confidence));
}

TEST_CASE("a value's reading is split over the words OCR first read", "[plugin][ocr]") {
    using formproc::ocr::alignToWords;
    // Tesseract's digits-only line drops the spaces and a letter it cannot make a digit of.
    CHECK(alignToWords({"(81)", "532", "17", "4A"}, "(81)532174") ==
          std::vector<std::string>{"(81)", "532", "17", "4"});
    CHECK(alignToWords({"717-2I-43", "601"}, "717-21-43 601") == std::vector<std::string>{"717-21-43", "601"});
    CHECK(alignToWords({"12", "34"}, "1234") == std::vector<std::string>{"12", "34"});
    // A word the reading lost gets an empty piece; nothing to align gives nothing.
    CHECK(alignToWords({"12", "xyz", "34"}, "1234") == std::vector<std::string>{"12", "", "34"});
    CHECK(alignToWords({}, "1234").empty());
    CHECK(alignToWords({"12"}, std::string(300, '1')).empty());
}

TEST_CASE("labels are compared by their letters without Polish marks", "[plugin][ocr]") {
    using formproc::ocr::labelKey;
    CHECK(labelKey("Adres e-mail:") == "adresemail");
    CHECK(labelKey("Miejscowość") == "miejscowosc");
    CHECK(labelKey("ŻÓŁĆ, Ęą") == "zolcea");
    CHECK(labelKey("Kod TERYT gminy") == "kodterytgminy");
    CHECK(labelKey("„—”") == "");
}
