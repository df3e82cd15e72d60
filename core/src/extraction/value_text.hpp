// A value's words as they are collected beside a label, and the text made
// of them: joined, words broken at a line's end mended, and on OCR'd pages
// cleaned up (a table's rules, stray marks at either end, the lost dot of
// initials). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "layout.hpp"

namespace formproc::extraction {

struct Collected {
    std::string text;
    int page = 0;
    double confidence = 1.0;
    bool any = false;
    std::optional<PageBox> box;  // the words' union on `page`, in page units
    // The words taken, for readings built from their alternatives and
    // for telling a stray mark at either end from the value.
    struct Part {
        std::string text;
        const std::vector<std::string>* alternatives = nullptr;  // the token's, which outlives this
        double confidence = 1.0;
        double y0 = 0, y1 = 0;
        std::size_t span = 1;  // parts the alternatives stand for, this one first
    };
    std::vector<Part> parts;
};

// Adds a token's word to the value (a dot leader adds nothing; a
// recognised word loses a table's rule read at its ends).
void append(Collected& c, const Token& token);

// Marks a line break: a word broken at the end of a line ("Sanitarno-")
// continues without a space.
void appendLineBreak(Collected& c);

// The text of a value as collected: joined, and when `recognised`
// without stray marks at its ends, initials dotted.
std::string valueText(const Collected& c, bool recognised);

// Readings of a value with one word (all its parts, which the value must
// hold) replaced by one of its alternatives; at most twelve.
std::vector<std::string> alternativesOf(const Collected& c);

}  // namespace formproc::extraction
