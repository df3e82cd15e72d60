// Repairs of names and addresses read by OCR, by what the field holds: the
// marks a recogniser leaves in a line of text (a quote or dash before the
// first word, a colon after the last, a period glued between two words,
// „ul..3 Maja”), capitals it lost where Polish spelling requires them (the
// street after „ul.”, the place after „w” in an office's name, every part of
// a person's name), a digit read for the first letter of a word („5tarosta”)
// and a stanowisko a letter off one of the values the form expects.
//
// Each repair rests on a rule of the language or of the form, never on what
// one card says; a value with nothing to repair comes back as it was.
// Pure functions; thread-safe; they never throw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formproc/forms/form.hpp"

namespace formproc::validation {

class Lexicon;

// `text` (a recognised value of a text, place or address field) repaired;
// `known` are the field's usual values (content="position"). With a
// `lexicon`, a word of a person's name, an office's name or an address that
// it does not know becomes the one word a confusion of the recogniser's away
// that it knows („Urszuła” → „Urszula”, „Dfuga” → „Długa”); `guessed` tells
// whether a word was so changed (a person confirms those, as every value a
// repair changed a letter of: names are many and a lexicon holds the common ones).
std::string repairRecognisedText(std::string_view text, forms::TextContent content,
                                 const std::vector<std::string>& known, const Lexicon* lexicon = nullptr,
                                 bool* guessed = nullptr);

// True when a recognised value is noise, not words: of its words of three
// letters or more (abbreviations in capitals aside, and never a value with a
// digit, which a lexicon cannot judge; at least one) `lexicon` knows none of four
// letters or more and at most half of the shorter ones („aaa aaawatine”).
bool looksLikeNoise(std::string_view text, const Lexicon& lexicon);

}  // namespace formproc::validation
