// The synthetic layout a word-processing document is reported as.
//
// Word files carry no positions, so the reader invents them with a fixed
// convention that the core label matcher relies on:
//   - the document is a sequence of lines: a paragraph outside a table is one
//     line, a table row is one line; line k spans y0 = 20k .. y1 = 20k + 10;
//   - a paragraph is one item at x0 = 0, x1 = 1000, or, when it contains tabs,
//     one item per tab-separated piece at x0 = 1000 * i;
//   - a table row has one item per cell at x0 = 1000 * column (grid columns,
//     so a cell spanning two columns moves the next one by 2000), x1 = x0 +
//     1000 * span - 1; empty cells still give an (empty) item so columns
//     stay known; rows and paragraphs without any text give no line at all;
//   - explicit page breaks move to the next page; line numbers keep growing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formproc/sdk/reader.hpp"

namespace formproc::docx {

struct LayoutItem {
    std::string text;
    double x0 = 0;
    double x1 = 0;
};

// Bounds on what one document may produce, so that a hostile file (an ODT
// row repeated a million times, say) can flood neither memory nor the sink.
inline constexpr std::size_t kMaxLines = 100000;
inline constexpr std::size_t kMaxItems = 1000000;
inline constexpr std::size_t kMaxItemsPerLine = 512;

// One table cell as the walkers see it: its text and grid position.
inline LayoutItem cellItem(std::string text, long column, long span) {
    return {std::move(text), 1000.0 * static_cast<double>(column), 1000.0 * static_cast<double>(column + span) - 1};
}

class Layout {
public:
    // Adds a paragraph line (split at tabs); nothing when it has no text.
    void addParagraph(std::string_view text);
    // Adds a table-row line; nothing when no cell has text. Returns whether
    // the line was added.
    bool addRow(std::vector<LayoutItem> cells);
    // Adds a copy of the last line (an ODT row repeated); false when full.
    bool repeatLastLine();
    void pageBreak() { ++_page; }
    int page() const { return _page; }
    bool pageHasLines() const { return !_lines.empty() && _lines.back().page == _page; }
    int pages() const { return _page; }
    bool hasText() const { return _hasText; }
    bool truncated() const { return _truncated; }
    std::size_t lineCount() const { return _lines.size(); }

    // Pushes sink.page() for each page and sink.word() for each item.
    void emit(sdk::Sink& sink, const sdk::ReadOptions& options) const;

private:
    struct Line {
        int page = 1;
        std::vector<LayoutItem> items;
    };
    bool admit(std::size_t items);

    std::vector<Line> _lines;
    std::size_t _items = 0;
    int _page = 1;
    bool _hasText = false;
    bool _truncated = false;
};

// Collapses white space (tabs, new lines, no-break spaces) to single spaces,
// trims, drops zero-width characters and soft hyphens, and puts spaces
// around check-box glyphs so that they stand as words of their own.
std::string normaliseText(std::string_view text);

// UTF-8 encoding of one code point (invalid ones become U+FFFD).
std::string utf8(char32_t codePoint);

// Decodes the UTF-8 sequence at `at` into `codePoint`; returns its length in
// bytes (1, with U+FFFD, for a byte that does not start a valid sequence).
std::size_t decodeUtf8(std::string_view text, std::size_t at, char32_t& codePoint);

// Check-box glyphs as every reader reports them.
inline constexpr std::string_view kTicked = "☒";
inline constexpr std::string_view kUnticked = "☐";
inline constexpr std::string_view kCheckMark = "✔";
inline constexpr std::string_view kCrossMark = "✘";

}  // namespace formproc::docx
