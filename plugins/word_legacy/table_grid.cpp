#include "table_grid.hpp"

#include <algorithm>

namespace formproc::word_legacy {

namespace {

constexpr long kDefaultWidth = 1440;  // one inch, for cells no row definition gives

// Cells the texts need: missing definitions continue to the right.
void completeCells(std::vector<CellSpec>& cells, std::size_t count) {
    while (cells.size() < count) {
        const long left = cells.empty() ? 0 : cells.back().right;
        cells.push_back({left, left + kDefaultWidth, false, false});
    }
    for (auto& cell : cells)
        if (cell.right <= cell.left) cell.right = cell.left + 1;
}

// The grid lines: every edge, those within the tolerance of the one before
// taken as the same line.
std::vector<long> gridLines(const std::vector<std::vector<CellSpec>*>& rows) {
    std::vector<long> edges;
    for (const auto* cells : rows)
        for (const auto& cell : *cells) {
            edges.push_back(cell.left);
            edges.push_back(cell.right);
        }
    std::sort(edges.begin(), edges.end());
    std::vector<long> lines;
    for (const long edge : edges)
        if (lines.empty() || edge - lines.back() > TableGrid::kTolerance) lines.push_back(edge);
    return lines;
}

long columnOf(const std::vector<long>& lines, long edge) {
    // The last line at or before edge + tolerance.
    const auto it = std::upper_bound(lines.begin(), lines.end(), edge + TableGrid::kTolerance);
    return it == lines.begin() ? 0 : static_cast<long>(it - lines.begin()) - 1;
}

}  // namespace

void TableGrid::addRow(std::vector<CellSpec> cells, std::vector<std::string> texts, docx::Layout& layout) {
    if (_rows.size() >= kMaxRows) flush(layout);
    completeCells(cells, texts.size());
    texts.resize(cells.size());
    _rows.push_back({std::move(cells), std::move(texts)});
}

void TableGrid::flush(docx::Layout& layout) {
    std::vector<std::vector<CellSpec>*> all;
    for (auto& row : _rows) all.push_back(&row.cells);
    const std::vector<long> lines = gridLines(all);
    for (auto& row : _rows) {
        std::vector<docx::LayoutItem> items;
        for (std::size_t i = 0; i < row.cells.size(); ++i) {
            const CellSpec& cell = row.cells[i];
            const long column = columnOf(lines, cell.left);
            const long span = std::max(1L, columnOf(lines, cell.right) - column);
            if (cell.mergedLeft && !items.empty()) {
                items.back().x1 += 1000.0 * static_cast<double>(span);
                continue;
            }
            items.push_back(docx::cellItem(cell.mergedAbove ? std::string() : std::move(row.texts[i]), column, span));
        }
        layout.addRow(std::move(items));
    }
    _rows.clear();
}

}  // namespace formproc::word_legacy
