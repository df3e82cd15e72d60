// The ocr plugin's filters that judge the recogniser's words by each other
// (word_filters.hpp), on words laid out here as Tesseract gives them (pixels).
#include <catch2/catch.hpp>

#include <algorithm>

#include "word_filters.hpp"

using formproc::ocr::OcrWord;

namespace {

OcrWord word(const std::string& text, int left, int top, int right, int bottom, double confidence) {
    OcrWord w;
    w.text = text;
    w.left = left;
    w.top = top;
    w.right = right;
    w.bottom = bottom;
    w.confidence = confidence;
    return w;
}

std::vector<std::string> texts(const std::vector<OcrWord>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(w.text);
    return out;
}

}  // namespace

TEST_CASE("ocr words: a ghost reading laid over a label's word is dropped, the word stays", "[ocr][plugin]") {
    // „Nazwa jednostki” of a hand-filled card, its first word read again a
    // little lower as „Jazwa ję”, over it and up to the next word.
    std::vector<OcrWord> words = {word("Nazwa", 174, 753, 221, 775, 0.96), word("jednostki", 268, 752, 398, 775, 0.96),
                                  word("Jazwa ję", 195, 760, 272, 781, 0.67),
                                  word("Starostwo", 667, 772, 837, 802, 0.97)};
    formproc::ocr::dropDoubleReadings(words);
    CHECK(texts(words) == std::vector<std::string>{"Nazwa", "jednostki", "Starostwo"});

    // A long word less sure than a short one it covers, but no reading of it: kept.
    std::vector<OcrWord> apart = {word("ul.", 100, 100, 130, 120, 0.97), word("ulica Długa", 110, 102, 260, 122, 0.6)};
    formproc::ocr::dropDoubleReadings(apart);
    CHECK(apart.size() == 2);
    // The same word read twice, once cut: the fuller reading stays.
    std::vector<OcrWord> twice = {word("Telef", 100, 100, 160, 120, 0.7), word("Telefon", 100, 101, 180, 121, 0.9)};
    formproc::ocr::dropDoubleReadings(twice);
    CHECK(texts(twice) == std::vector<std::string>{"Telefon"});
    // A word read more surely than the ghost's first word is the one kept either way round.
    std::vector<OcrWord> sure = {word("Jazwa ję", 195, 760, 272, 781, 0.99), word("Nazwa", 174, 753, 221, 775, 0.5)};
    formproc::ocr::dropDoubleReadings(sure);
    CHECK(sure.size() == 2);
}
