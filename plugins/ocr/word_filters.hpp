// Filters of the words the recogniser read that judge words by each other
// (the ocr reader's other filters judge a word alone). Pure functions.
#pragma once

#include <vector>

#include "engine.hpp"

namespace formproc::ocr {

// Tesseract at times lays out one printed line twice (two overlapping text
// lines of one cell) and reads each word twice, once cut: "Telef" over
// "elefon"; or reads a word's ink again into a longer, less sure word laid
// over it („Jazwa ję” over „Nazwa”). Of two words that overlap by most of the
// smaller one, the one with more letters read with confidence stays; a small
// word inside a large one stays when the large one only repeats it.
void dropDoubleReadings(std::vector<OcrWord>& words);

}  // namespace formproc::ocr
