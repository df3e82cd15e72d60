// Reading fields, not only the page: the values beside the labels the host
// names (ReadOptions::hints, from the form definitions: identifiers, phones,
// dates, e-mail addresses) read again from their own region with settings
// fit for their kind, as alternatives of the words first read there.
#pragma once

#include <leptonica/allheaders.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine.hpp"
#include "formproc/sdk/reader.hpp"

namespace formproc::ocr {

// The labels are looked for among `words` (read from `page` at `dpi`),
// tolerant of OCR errors, the longest first so that "Telefon osoby do
// kontaktu:" is not taken for "Telefon:"; the words right of a label found
// on the nearest line (a hand writes lower in the cell than the label is
// printed), up to the next label, are its value, and the value's region is
// read again: digits only (Tesseract's choice iterator giving the other
// candidates of each digit; a bare stroke read as I or l is a 1) or, for an
// address, the English engine at the size written and at twice it, a reading
// shaped like an address replacing the page's when those so shaped agree. Each
// reading travels as the alternative of the word it re-reads (split over the
// value's words), for the validator's checksum- and format-guided repairs;
// an address OCR split apart becomes one word. Words read again are marked
// `hinted`.
void readHintedValues(Pix& page, int dpi, std::vector<OcrWord>& words, const std::vector<sdk::ValueHint>& hints,
                      Engine& engine);

// The letters and digits of a label or word, lower case, Polish letters
// without their marks: what label matching compares.
std::string labelKey(std::string_view text);

// `reading` (of the words `texts`, spaces or not) split into one piece per
// word by aligning it with their joined text character by character; empty
// when either is empty or too long.
std::vector<std::string> alignToWords(const std::vector<std::string>& texts, std::string reading);

}  // namespace formproc::ocr
