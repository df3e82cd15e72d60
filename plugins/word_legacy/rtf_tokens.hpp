// The tokens of an RTF document: group braces, control words with their
// numeric parameter, control symbols, \'hh bytes, runs of plain text and
// \binN data. Bounded: a parameter is clamped to 32 bits, \bin never reads
// past the input, and nothing is copied (tokens are views of the input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace formproc::word_legacy {

struct RtfToken {
    enum class Kind : std::uint8_t { End, GroupOpen, GroupClose, Word, Symbol, HexByte, Text, Binary };
    Kind kind = Kind::End;
    std::string_view text;  // Word: its name; Text: the run (no braces, backslashes, CR or LF); Binary: the data
    std::int32_t parameter = 0;
    bool hasParameter = false;
    char symbol = 0;         // Symbol: the character after the backslash
    unsigned char byte = 0;  // HexByte
};

// Splits RTF into tokens, one at a time. Not thread-safe (one per read);
// never throws.
class RtfTokenizer {
public:
    explicit RtfTokenizer(std::string_view input) : _input(input) {}

    // The next token; Kind::End at the end of the input.
    RtfToken next();
    // Skips to the end of the group the tokenizer is in (depth counted from
    // the caller's current group): returns after its closing brace, or at
    // the end of the input. Fast over plain text (a picture's hex data).
    void skipGroup();
    std::size_t offset() const { return _at; }

private:
    RtfToken controlWord();

    std::string_view _input;
    std::size_t _at = 0;
};

}  // namespace formproc::word_legacy
