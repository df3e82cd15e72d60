// Words as the label matcher compares them: check-box glyphs, dot leaders,
// comparison keys. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace formproc::extraction {

// A check-box glyph as readers normalise them ("☒", "☐", "✔", "[x]", ...).
bool isGlyph(std::string_view text);
// A glyph of a ticked box (any glyph but "☐" and "[ ]").
bool isTickedGlyph(std::string_view text);

// A line to write on: three bytes or more of only dots, "…" and "_".
bool isDotLeader(std::string_view text);

// Comparison key of a word: folded (util::foldPl), with punctuation at
// either end removed; empty for a word of punctuation only.
std::string keyOf(std::string_view text);

// The words of `text`, split at spaces, tabs and line breaks.
std::vector<std::string> splitWords(std::string_view text);

// The keys of a label's words (empty keys left out). A form's labels are the
// same for every document: their keys are worked out once per thread. The
// reference stays valid for the life of the calling thread.
const std::vector<std::string>& labelKeys(const std::string& label);

}  // namespace formproc::extraction
