// Table rows of the legacy Word formats laid out on a grid, as the DOCX
// reader lays out w:tbl with its w:tblGrid.
//
// The .doc binary and RTF describe each row by its own cell edges (twips from
// the margin) and no table-wide grid, so the grid is made here the way Word
// makes one when it saves DOCX: the union of every row's edges. A cell then
// starts at the grid column of its left edge and spans the columns up to its
// right edge, so rows that split a column differently still line up.
#pragma once

#include <string>
#include <vector>

#include "layout.hpp"

namespace formproc::word_legacy {

// One cell of a row as the document defines it.
struct CellSpec {
    long left = 0;             // twips
    long right = 0;            // twips
    bool mergedLeft = false;   // a horizontal continuation: part of the cell before it
    bool mergedAbove = false;  // a vertical continuation: its text belongs to the cell above
};

// The rows of one table, kept until the table ends. Not thread-safe.
class TableGrid {
public:
    // Edges closer than this (twips, about 0.5 mm) are one grid line.
    static constexpr long kTolerance = 30;
    // Rows held before they are laid out anyway (bounds memory).
    static constexpr std::size_t kMaxRows = 10000;

    // Adds a row: `cells` as defined (may be fewer than `texts`, or none),
    // `texts` the text of each cell in order. Lays the held rows out first
    // when kMaxRows are held.
    void addRow(std::vector<CellSpec> cells, std::vector<std::string> texts, docx::Layout& layout);
    bool empty() const { return _rows.empty(); }
    // Lays the held rows out into `layout` (one line per row, see layout.hpp)
    // and forgets them.
    void flush(docx::Layout& layout);

private:
    struct Row {
        std::vector<CellSpec> cells;
        std::vector<std::string> texts;
    };
    std::vector<Row> _rows;
};

}  // namespace formproc::word_legacy
