// A document's words as the label matcher sees them: tokens (one word each,
// with its box) gathered into lines in reading order, and a scan's page
// furniture marked.
#pragma once

#include <string>
#include <vector>

#include "formproc/document/document.hpp"

namespace formproc::extraction {

struct Token {
    std::string text;
    std::string key;  // keyOf(text)
    int page = 0;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double confidence = 1.0;
    int line = -1;
    bool used = false;                      // part of a field's label (set by LabelFinder)
    bool furniture = false;                 // a running header or footer of the page, never a value
    std::vector<std::string> alternatives;  // other readings of its word (on the word's first part)
    std::size_t span = 1;                   // parts of its word those readings stand for
};

struct Line {
    int page = 0;
    double y0 = 0, y1 = 0;
    std::vector<int> tokens;     // sorted by x0
    bool hasLabel = false;       // set by LabelFinder
    bool hasPlainLabel = false;  // a label not ticked like a check box
};

// The tokens and lines of one document. Built once; afterwards only the
// label finder marks tokens as used and lines as holding labels. Not
// thread-safe while it is being marked.
class Layout {
public:
    // `recognised`: the words come from OCR; a scan's running headers and
    // footers are then marked as furniture.
    Layout(const std::vector<RawDocument::Word>& words, bool recognised);

    bool recognised() const { return _recognised; }
    const std::vector<Token>& tokens() const { return _tokens; }
    const Token& tok(int index) const { return _tokens[static_cast<std::size_t>(index)]; }
    Token& tok(int index) { return _tokens[static_cast<std::size_t>(index)]; }
    const Line& line(int index) const { return _lines[static_cast<std::size_t>(index)]; }
    Line& line(int index) { return _lines[static_cast<std::size_t>(index)]; }
    int lineCount() const { return static_cast<int>(_lines.size()); }

    // A section heading: "3.", "4)", "IV." as the line's first word.
    bool startsLikeHeading(const Line& l) const;

private:
    void tokenize(const std::vector<RawDocument::Word>& words);
    void buildLines();
    void findPageFurniture();

    bool _recognised;
    std::vector<Token> _tokens;
    std::vector<Line> _lines;
};

}  // namespace formproc::extraction
