// The reader of list fields: a table's rows under its header (readers.hpp).
#include "readers.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "boxes.hpp"
#include "formproc/util/text.hpp"
#include "tokens.hpp"
#include "value_text.hpp"

namespace formproc::extraction {

namespace {

// "1", "2.", "12)": the number of a table's row.
bool isRowNumber(const std::string& text) {
    std::string digits = text;
    if (!digits.empty() && (digits.back() == '.' || digits.back() == ')')) digits.pop_back();
    return !digits.empty() && digits.size() <= 3 &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One table read under one field's label.
class TableReader {
public:
    TableReader(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label)
        : _doc(doc),
          _layout(doc.layout),
          _field(field),
          _label(label),
          _ocr(doc.layout.recognised()),
          _end(doc.labels.nextLabelLine(label.lastLine)) {}

    void read(validation::ExtractedFields& out);

private:
    struct Column {
        const forms::Column* column;
        double x0;
    };
    // A line's words: the cells' and what stands in the Lp. column.
    struct LineWords {
        std::vector<int> cells;
        bool number = false;      // a row's number (or a mark OCR made of one)
        bool lpOnlyText = false;  // other text left of the columns
        bool anyAligned = false;  // a word at a column's (or the Lp. column's) edge
    };
    enum class Role { Row, Skip, End };

    const Token& tok(int index) const { return _layout.tok(index); }
    const Line& line(int index) const { return _layout.line(index); }
    bool findHeader();
    int columnOf(const Token& t) const;
    bool aligned(const Token& t) const;
    bool anyAligned(const Line& l) const;
    bool onlyFooterLeft(int l) const;
    LineWords wordsOf(const Line& l) const;
    Role roleOf(int l, int previous, LineWords& words) const;
    bool closesTable(const Line& current, const LineWords& words) const;
    bool continuesHeader(const LineWords& words) const;
    void addLine(const LineWords& words);

    const LabelledLayout& _doc;
    const Layout& _layout;
    const forms::Field& _field;
    const Occurrence& _label;
    bool _ocr;
    int _end;  // the next label's line
    std::vector<Column> _columns;
    double _lpX = -1;
    int _header = -1;
    std::vector<std::vector<Collected>> _rows;
};

// The header: the first line under the heading that holds a column label.
bool TableReader::findHeader() {
    for (int l = _label.lastLine + 1; l < _end && _header < 0; ++l) {
        for (const auto& column : _field.columns) {
            for (const auto& label : column.labels) {
                const auto& keys = labelKeys(label);
                auto found = _doc.labels.findAll(keys, l, l + 1, true);
                if (found.empty() && keys.size() > 1) found = _doc.labels.findAll({keys.front()}, l, l + 1, true);
                if (!found.empty()) {
                    _columns.push_back({&column, found.front().x0});
                    break;
                }
            }
        }
        if (!_columns.empty()) {
            _header = l;
            for (int index : line(l).tokens)
                if (tok(index).key == "lp" || tok(index).key == "l.p") _lpX = tok(index).x0;
        }
    }
    if (_header < 0) return false;
    std::sort(_columns.begin(), _columns.end(), [](const Column& a, const Column& b) { return a.x0 < b.x0; });
    return true;
}

// The column a word stands in; -1: the Lp. column or left of the table.
int TableReader::columnOf(const Token& t) const {
    int found = -1;
    for (std::size_t i = 0; i < _columns.size(); ++i)
        if (t.x0 + 4.0 >= _columns[i].x0) found = static_cast<int>(i);
    return found;
}

bool TableReader::aligned(const Token& t) const {
    if (_lpX >= 0 && std::abs(t.x0 - _lpX) <= 4.0) return true;
    return std::any_of(_columns.begin(), _columns.end(), [&](const Column& c) { return std::abs(t.x0 - c.x0) <= 4.0; });
}

bool TableReader::anyAligned(const Line& l) const {
    return std::any_of(l.tokens.begin(), l.tokens.end(), [&](int i) { return aligned(tok(i)); });
}

// The lines from `l` to the end of its page hold nothing of the table's
// columns (a page footer), and the table's reach goes on to the next page.
bool TableReader::onlyFooterLeft(int l) const {
    int m = l;
    for (; m < _end && line(m).page == line(l).page; ++m)
        if (anyAligned(line(m))) return false;
    return m < _end;
}

TableReader::LineWords TableReader::wordsOf(const Line& l) const {
    LineWords words;
    for (int index : l.tokens) {
        const Token& t = tok(index);
        if (aligned(t)) words.anyAligned = true;
        if (columnOf(t) >= 0) {
            words.cells.push_back(index);
            continue;
        }
        // OCR misreads a row's number ("1." as "=" or "IE"): a short mark at
        // the Lp. column's edge is one.
        const bool misreadNumber =
            _ocr && _lpX >= 0 && std::abs(t.x0 - _lpX) <= 6.0 && util::utf8Length(t.text) <= 3 && !isDotLeader(t.text);
        if (isRowNumber(t.text) || misreadNumber)
            words.number = true;
        else if (!isDotLeader(t.text))
            words.lpOnlyText = true;
    }
    return words;
}

// A line that ends the table: a signature line ("……………"), text left of
// the columns only, or on a scan a signature or stamp read as words
// without confidence.
bool TableReader::closesTable(const Line& current, const LineWords& words) const {
    if (!current.tokens.empty() && std::all_of(current.tokens.begin(), current.tokens.end(),
                                               [&](int i) { return tok(i).text.empty() || isDotLeader(tok(i).text); }))
        return true;
    if (words.lpOnlyText && words.cells.empty()) return true;
    return _ocr && !_rows.empty() && !words.cells.empty() &&
           std::all_of(words.cells.begin(), words.cells.end(), [&](int i) { return tok(i).confidence < 0.1; });
}

// A line before the first row that is the header's second line. OCR may
// miss the first row's number: on a scan it is only when it holds words
// of the column labels.
bool TableReader::continuesHeader(const LineWords& words) const {
    if (!_rows.empty() || words.number) return false;
    if (!_ocr || words.cells.empty()) return true;
    std::set<std::string> headerKeys;
    for (const auto& column : _columns)
        for (const auto& label : column.column->labels)
            for (const auto& key : labelKeys(label)) headerKeys.insert(key);
    return std::all_of(words.cells.begin(), words.cells.end(), [&](int i) {
        return tok(i).key.empty() || std::any_of(headerKeys.begin(), headerKeys.end(), [&](const std::string& k) {
                   return _doc.labels.sameKey(tok(i).key, k);
               });
    });
}

// What line `l` is to the table, the last line taken being `previous`;
// on a scan a line that starts a row without a number read gets one.
TableReader::Role TableReader::roleOf(int l, int previous, LineWords& words) const {
    const Line& current = line(l);
    // A table may go on at the top of the next page under a repeated header.
    // (On a scan, a header left alone at the foot of a page is followed past
    // the next page's letterhead.)
    if (current.page != line(previous).page && !anyAligned(current))
        return _ocr && _rows.empty() ? Role::Skip : Role::End;
    // A scan's page footer between a table's header and its rows on the next page.
    if (!words.anyAligned) return _ocr && _rows.empty() && onlyFooterLeft(l) ? Role::Skip : Role::End;
    if (closesTable(current, words)) return Role::End;
    if (continuesHeader(words)) return Role::Skip;
    // A line that only continues the cells above must follow them closely.
    const Line& before = line(previous);
    const double gap = current.y0 - before.y1, height = std::max(1.0, before.y1 - before.y0);
    // On a scan a row's number may be missed: a line that stands a row's
    // rule apart from the one above, or opens a page, starts a row; only a
    // wide gap ends the table.
    if (_ocr && !words.number && !_rows.empty() && _lpX >= 0 && !words.cells.empty() &&
        (current.page != before.page || gap > 0.6 * height) && gap <= 3.0 * height)
        words.number = true;
    if (!words.number && !_rows.empty() && gap > 1.2 * height) return Role::End;
    return Role::Row;
}

// Adds a line's cells to the table: a new row, or the cells of the last.
void TableReader::addLine(const LineWords& words) {
    if (words.number || _rows.empty() || _lpX < 0) {
        // Without an Lp. column every line is a row, unless it only continues a column.
        const bool continuation = !words.number && !_rows.empty() && _lpX < 0 && !words.cells.empty() &&
                                  columnOf(tok(words.cells.front())) > 0;
        if (!continuation) _rows.emplace_back(_columns.size());
    }
    auto& row = _rows.back();
    int lastColumn = -1;
    for (int index : words.cells) {
        const int column = columnOf(tok(index));
        auto& cell = row[static_cast<std::size_t>(column)];
        if (column != lastColumn && cell.any) appendLineBreak(cell);
        append(cell, tok(index));
        lastColumn = column;
    }
}

void TableReader::read(validation::ExtractedFields& out) {
    if (!findHeader()) return;
    int previous = _header;
    for (int l = _header + 1; l < _end; ++l) {
        LineWords words = wordsOf(line(l));
        const Role role = roleOf(l, previous, words);
        if (role == Role::End) break;
        if (role == Role::Skip) continue;
        addLine(words);
        previous = l;
    }
    validation::Extracted e;
    e.source = _doc.source;
    e.recognised = _ocr;
    e.page = line(_header).page;
    widen(e.box, _doc.layout, line(_header).tokens);
    int n = 0;
    for (const auto& row : _rows) {
        ++n;
        for (std::size_t i = 0; i < _columns.size(); ++i) {
            if (!row[i].any) continue;
            if (row[i].box) widen(e.box, row[i].box->page, boxArea(*row[i].box));
            e.rows[n][_columns[i].column->id] = valueText(row[i], _ocr);
            e.confidence = std::min(e.confidence, row[i].confidence);
        }
    }
    if (!e.rows.empty()) out[_field.id] = std::move(e);
}

}  // namespace

void readList(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label,
              validation::ExtractedFields& out) {
    TableReader(doc, field, label).read(out);
}

}  // namespace formproc::extraction
