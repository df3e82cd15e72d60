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

// `text` (a recognised value of a text, place or address field) repaired;
// `known` are the field's usual values (content="position").
std::string repairRecognisedText(std::string_view text, forms::TextContent content,
                                 const std::vector<std::string>& known);

}  // namespace formproc::validation
