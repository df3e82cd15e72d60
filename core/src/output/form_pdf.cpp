#include "formproc/output/form_pdf.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

#include "formproc/output/polish.hpp"
#include "formproc/util/text.hpp"
#include "formproc/validation/checks.hpp"
#include "pdf_support.hpp"

namespace formproc::output {

namespace {

// The text of row n's (1-based) cell in `column`, as the form shows it; ""
// when the card has no such row or cell.
std::string cellValue(const std::vector<Row>* values, int n, const forms::Column& column) {
    if (!values || n > static_cast<int>(values->size())) return {};
    const Scalar* cell = findCell((*values)[static_cast<std::size_t>(n - 1)], column.id);
    if (!cell) return {};
    const Value v = std::visit([](const auto& x) { return Value(x); }, *cell);
    return formFieldText(column.type, column.options, v);
}

using forms::FieldType;
using PoDoFo::PdfName;

constexpr double kMargin = 42.5;  // 15 mm
constexpr double kWidth = pdf::kPageWidth - 2 * kMargin;
constexpr double kLabelWidth = 190.0;
constexpr double kBoxX = kMargin + kLabelWidth + 8.0;
constexpr double kBoxWidth = kWidth - kLabelWidth - 8.0;
constexpr double kLabelSize = 9.0;
constexpr double kLabelLeading = 11.0;
constexpr double kValueSize = 9.0;
constexpr double kBoxHeight = 16.0;
constexpr double kCheckSize = 10.5;
constexpr double kRowGap = 5.0;
// Glyphs kept in the embedded subset beyond those printed, so that a person
// filling the blank form in a viewer can type any Polish text.
constexpr const char* kTypingGlyphs =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "ĄĆĘŁŃÓŚŹŻąćęłńóśźżÄÖÜßäöüÁÉÍÚÝáéíúýČčĎďĚěŇňŘřŠšŤťŮůŽžÂâÎîŞşŢţĂă„”“«»–—…§°€·×’‘";

const forms::Option* optionOf(const std::vector<forms::Option>& options, const std::string& code) {
    for (const auto& option : options)
        if (option.code == code) return &option;
    return nullptr;
}

// One line of text broken into lines of at most `width` points.
std::vector<std::string> wrap(PoDoFo::PdfFont* font, double size, const std::string& text, double width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t space = text.find(' ', start);
        if (space == std::string::npos) space = text.size();
        const std::string word = text.substr(start, space - start);
        start = space + 1;
        if (word.empty()) {
            if (space >= text.size()) break;
            continue;
        }
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && pdf::textWidth(font, size, candidate) > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
        if (space >= text.size()) break;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

// Like wrap(), but a word wider than the line is broken between letters:
// every character of the text stays on the page.
std::vector<std::string> wrapAnywhere(PoDoFo::PdfFont* font, double size, const std::string& text, double width) {
    std::vector<std::string> out;
    for (const auto& line : wrap(font, size, text, width)) {
        if (pdf::textWidth(font, size, line) <= width) {
            out.push_back(line);
            continue;
        }
        std::string piece;
        for (const auto& letter : pdf::codePoints(line)) {
            if (!piece.empty() && pdf::textWidth(font, size, piece + letter) > width) {
                out.push_back(piece);
                piece.clear();
            }
            piece += letter;
        }
        if (!piece.empty()) out.push_back(piece);
    }
    if (out.empty()) out.push_back(text);
    return out;
}

struct Rect {
    double x, y, w, h;  // lower-left corner
};

// The form is laid out first (positions of labels, boxes and widgets), then
// painted: a widget needs its page to exist, a page its content.
struct StaticText {
    double x, y, size;
    bool bold;
    std::string text;
    double gray = 0.0;  // 0 black .. 1 white
};

struct Fill {
    Rect rect;
    double gray;
};

struct Rule {
    double x1, y1, x2, y2;
};

enum class WidgetKind { Text, MultilineText, Checkbox };

struct Widget {
    std::vector<std::string> name;  // the partial names, root first
    WidgetKind kind = WidgetKind::Text;
    Rect rect{};
    std::string text;  // text fields: the value shown
    bool ticked = false;
};

struct Page {
    std::vector<StaticText> texts;
    std::vector<Rect> boxes;   // input boxes: light fill and a frame (the plain layout)
    std::vector<Fill> fills;   // cell backgrounds
    std::vector<Rect> frames;  // cell borders and check-box frames
    std::vector<Rule> rules;   // thin lines
    std::vector<Rect> images;  // where the header image goes
    std::vector<Widget> widgets;
};

class FormLayout {
public:
    FormLayout(pdf::Fonts fonts, const forms::Form& form, const Result* values)
        : _fonts(fonts), _form(form), _values(values) {
        newPage();
    }

    void header(const std::string& subtitle) {
        centred(_form.title, 14.0, true);
        _y -= 4.0;
        if (!subtitle.empty()) centred(subtitle, 9.5, false);
        centred("Formularz " + _form.id + ", wersja " + _form.version, 7.5, false);
        _y -= 10.0;
    }

    void field(const forms::Field& field) {
        if (field.page > _formPage && _formPage > 0 && !atTop()) newPage();
        _formPage = std::max(_formPage, field.page);
        switch (field.type) {
            case FieldType::Checkbox: checkbox(field); break;
            case FieldType::Set: set(field); break;
            case FieldType::List: list(field); break;
            default: scalar(field); break;
        }
    }

    std::vector<Page>& pages() { return _pages; }

private:
    Page& page() { return _pages.back(); }
    bool atTop() const { return _y >= pdf::kPageHeight - kMargin - 0.01; }
    void newPage() {
        _pages.emplace_back();
        _y = pdf::kPageHeight - kMargin;
    }
    void ensure(double height) {
        if (_y - height < kMargin && !atTop()) newPage();
    }

    const FieldValue* value(const std::string& id) const { return _values ? _values->field(id) : nullptr; }

    void centred(const std::string& text, double size, bool bold) {
        PoDoFo::PdfFont* font = bold ? _fonts.bold : _fonts.regular;
        for (const auto& line : wrap(font, size, text, kWidth)) {
            const double w = pdf::textWidth(font, size, line);
            page().texts.push_back({kMargin + (kWidth - w) / 2.0, _y - size, size, bold, line});
            _y -= size * 1.3;
        }
    }

    // Label lines at (x, top), returning their height.
    double label(const std::string& text, double x, double top, double width, double size, bool bold) {
        PoDoFo::PdfFont* font = bold ? _fonts.bold : _fonts.regular;
        const auto lines = wrap(font, size, text, width);
        double y = top;
        for (const auto& line : lines) {
            page().texts.push_back({x, y - size, size, bold, line});
            y -= size * 1.22;
        }
        return static_cast<double>(lines.size()) * size * 1.22;
    }

    void scalar(const forms::Field& field) {
        std::string text;
        if (const FieldValue* fv = value(field.id)) text = formFieldText(field.type, field.options, fv->value);
        const bool multiline = field.valuePosition == forms::ValuePosition::Below;
        if (multiline) {
            const double labelHeight =
                static_cast<double>(wrap(_fonts.regular, kLabelSize, field.label(), kWidth).size()) * kLabelLeading;
            const double boxHeight = 58.0;
            ensure(labelHeight + boxHeight + kRowGap);
            _y -= label(field.label(), kMargin, _y, kWidth, kLabelSize, false) + 2.0;
            Rect r{kMargin, _y - boxHeight, kWidth, boxHeight};
            page().boxes.push_back(r);
            page().widgets.push_back({{field.id}, WidgetKind::MultilineText, r, text, false});
            _y -= boxHeight + kRowGap;
            return;
        }
        const double labelHeight =
            static_cast<double>(wrap(_fonts.regular, kLabelSize, field.label(), kLabelWidth).size()) * kLabelLeading;
        const double rowHeight = std::max(labelHeight, kBoxHeight);
        ensure(rowHeight + kRowGap);
        label(field.label(), kMargin, _y - 2.0, kLabelWidth, kLabelSize, false);
        Rect r{kBoxX, _y - kBoxHeight, kBoxWidth, kBoxHeight};
        page().boxes.push_back(r);
        page().widgets.push_back({{field.id}, WidgetKind::Text, r, text, false});
        _y -= rowHeight + kRowGap;
    }

    void checkbox(const forms::Field& field) {
        bool ticked = false;
        if (const FieldValue* fv = value(field.id))
            if (const auto* b = std::get_if<bool>(&fv->value)) ticked = *b;
        const double textX = kMargin + kCheckSize + 8.0;
        const double labelHeight =
            static_cast<double>(wrap(_fonts.regular, kLabelSize, field.label(), kWidth - kCheckSize - 8.0).size()) *
            kLabelLeading;
        ensure(std::max(labelHeight, kCheckSize) + kRowGap);
        Rect r{kMargin, _y - kCheckSize - 0.5, kCheckSize, kCheckSize};
        page().boxes.push_back(r);
        page().widgets.push_back({{field.id}, WidgetKind::Checkbox, r, {}, ticked});
        label(field.label(), textX, _y, kWidth - kCheckSize - 8.0, kLabelSize, false);
        _y -= std::max(labelHeight, kCheckSize) + kRowGap + 2.0;
    }

    void set(const forms::Field& field) {
        std::vector<std::string> chosen;
        if (const FieldValue* fv = value(field.id))
            if (const auto* codes = std::get_if<std::vector<std::string>>(&fv->value)) chosen = *codes;
        ensure(kLabelLeading * 2 + kCheckSize);
        _y -= label(field.label(), kMargin, _y, kWidth, kLabelSize, true) + 3.0;
        const double columnWidth = kWidth / 2.0;
        const double textWidth = columnWidth - kCheckSize - 12.0;
        for (std::size_t i = 0; i < field.options.size(); i += 2) {
            double rowHeight = kCheckSize;
            for (std::size_t k = i; k < std::min(i + 2, field.options.size()); ++k)
                rowHeight = std::max(
                    rowHeight,
                    static_cast<double>(wrap(_fonts.regular, 8.5, field.options[k].labels.front(), textWidth).size()) *
                        8.5 * 1.22);
            ensure(rowHeight + 4.0);
            for (std::size_t k = i; k < std::min(i + 2, field.options.size()); ++k) {
                const auto& option = field.options[k];
                const double x = kMargin + 8.0 + static_cast<double>(k - i) * columnWidth;
                Rect r{x, _y - kCheckSize - 0.5, kCheckSize, kCheckSize};
                page().boxes.push_back(r);
                const bool ticked = std::find(chosen.begin(), chosen.end(), option.code) != chosen.end();
                page().widgets.push_back({{field.id, option.code}, WidgetKind::Checkbox, r, {}, ticked});
                label(option.labels.front(), x + kCheckSize + 6.0, _y, textWidth, 8.5, false);
            }
            _y -= rowHeight + 4.0;
        }
        _y -= kRowGap;
    }

    void list(const forms::Field& field) {
        const std::vector<Row>* rows = nullptr;
        if (const FieldValue* fv = value(field.id)) rows = std::get_if<std::vector<Row>>(&fv->value);
        const int rowCount = std::max(field.rows > 0 ? field.rows : 3, rows ? static_cast<int>(rows->size()) : 0);

        // Column widths: names wide, codes and numbers narrow.
        const double numberWidth = 24.0;
        std::vector<double> weights;
        double total = 0;
        for (const auto& column : field.columns) {
            double w = 2.0;
            if (column.type == FieldType::Digits || column.type == FieldType::Integer) w = 1.0;
            if (column.type == FieldType::Enum) w = 1.5;
            weights.push_back(w);
            total += w;
        }
        std::vector<double> widths;
        for (double w : weights) widths.push_back((kWidth - numberWidth) * w / total);

        double headerHeight = kLabelLeading;
        for (std::size_t c = 0; c < field.columns.size(); ++c)
            headerHeight = std::max(
                headerHeight,
                static_cast<double>(wrap(_fonts.bold, 8.0, field.columns[c].labels.front(), widths[c] - 6.0).size()) *
                    8.0 * 1.22);
        ensure(kLabelLeading * 2 + headerHeight + kBoxHeight * 2);
        _y -= label(field.label(), kMargin, _y, kWidth, kLabelSize, true) + 3.0;

        auto drawHeader = [&] {
            page().texts.push_back({kMargin + 2.0, _y - 8.0, 8.0, true, "Lp."});
            double x = kMargin + numberWidth;
            for (std::size_t c = 0; c < field.columns.size(); ++c) {
                label(field.columns[c].labels.front(), x + 3.0, _y, widths[c] - 6.0, 8.0, true);
                x += widths[c];
            }
            _y -= headerHeight + 2.0;
        };
        drawHeader();
        for (int n = 1; n <= rowCount; ++n) {
            if (_y - kBoxHeight - 2.0 < kMargin) {
                newPage();
                drawHeader();
            }
            page().texts.push_back({kMargin + 4.0, _y - 11.5, kValueSize, false, std::to_string(n) + "."});
            double x = kMargin + numberWidth;
            for (std::size_t c = 0; c < field.columns.size(); ++c) {
                const auto& column = field.columns[c];
                const std::string text = cellValue(rows, n, column);
                Rect r{x + 1.0, _y - kBoxHeight, widths[c] - 2.0, kBoxHeight};
                page().boxes.push_back(r);
                page().widgets.push_back({{field.id, std::to_string(n), column.id}, WidgetKind::Text, r, text, false});
                x += widths[c];
            }
            _y -= kBoxHeight + 2.0;
        }
        _y -= kRowGap + 2.0;
    }

    pdf::Fonts _fonts;
    const forms::Form& _form;
    const Result* _values;
    std::vector<Page> _pages;
    double _y = 0;
    int _formPage = 0;
};

// --- the form as issued -------------------------------------------------------------

// Lays a form out as its layout description says (IssuedForm): the header
// image and annex line on every page, the title, numbered sections as
// bordered tables, the signature lines, the footer.
class IssuedComposer {
public:
    IssuedComposer(pdf::Fonts fonts, const forms::Form& form, const IssuedForm& layout, const Result* values,
                   double imageAspect)
        : _fonts(fonts), _form(form), _layout(layout), _values(values), _imageAspect(imageAspect) {
        newPage();
    }

    void compose() {
        for (const auto& line : _layout.title) centred(line, 13.0, true);
        if (!_layout.subtitle.empty()) centred(_layout.subtitle, 9.0, false);
        _y -= 6.0;
        std::set<std::string> placed;
        for (const auto& section : _layout.sections) {
            for (const auto& id : section.fields) placed.insert(id);
            if (!section.other.empty()) placed.insert(section.other);
            this->section(section);
        }
        if (!_layout.placeDateField.empty()) placed.insert(_layout.placeDateField);
        // A field the layout forgets still has its place: no value is lost.
        IssuedSection rest{"Pozostałe pola", SectionKind::Rows, {}, 0, 0, {}, {}};
        for (const auto& field : _form.fields)
            if (!placed.count(field.id) && field.type != FieldType::List && field.type != FieldType::Set)
                rest.fields.push_back(field.id);
        if (!rest.fields.empty()) section(rest);
        signatures();
        footers();
    }

    std::vector<Page>& pages() { return _pages; }

private:
    static constexpr double kMarginX = 56.7;  // 20 mm, as the Word originals
    static constexpr double kTop = 28.0;
    static constexpr double kBottom = 56.0;
    static constexpr double kWidth = pdf::kPageWidth - 2 * kMarginX;
    static constexpr double kSize = 9.0;
    static constexpr double kLeading = 1.22;
    static constexpr double kPad = 2.5;
    static constexpr double kLabelGray = 0.93;

    Page& page() { return _pages.back(); }
    const FieldValue* value(const std::string& id) const { return _values ? _values->field(id) : nullptr; }
    PoDoFo::PdfFont* font(bool bold) const { return bold ? _fonts.bold : _fonts.regular; }

    void newPage() {
        _pages.emplace_back();
        _y = pdf::kPageHeight - kTop;
        if (_imageAspect > 0) {
            const double h = kWidth / _imageAspect;
            page().images.push_back({kMarginX, _y - h, kWidth, h});
            _y -= h + 2.0;
        }
        if (!_layout.annex.empty()) {
            const double w = pdf::textWidth(_fonts.regular, 8.0, _layout.annex);
            page().texts.push_back({kMarginX + kWidth - w, _y - 8.0, 8.0, false, _layout.annex, 0.15});
            _y -= 16.0;
        }
    }

    void ensure(double height) {
        if (_y - height < kBottom) newPage();
    }

    void centred(const std::string& text, double size, bool bold) {
        for (const auto& line : wrap(font(bold), size, text, kWidth)) {
            const double w = pdf::textWidth(font(bold), size, line);
            page().texts.push_back({kMarginX + (kWidth - w) / 2.0, _y - size, size, bold, line});
            _y -= size * 1.3;
        }
    }

    // Wrapped lines at (x, top); returns their height.
    double lines(const std::vector<std::string>& text, double x, double top, double size, bool bold) {
        double y = top;
        for (const auto& line : text) {
            page().texts.push_back({x, y - size, size, bold, line});
            y -= size * kLeading;
        }
        return static_cast<double>(text.size()) * size * kLeading;
    }

    double heightOf(std::size_t lineCount) const {
        return static_cast<double>(lineCount) * kSize * kLeading + 2 * kPad;
    }

    void sectionTitle(const std::string& title, double firstRow) {
        const auto wrapped = wrap(_fonts.bold, 10.0, title, kWidth);
        ensure(static_cast<double>(wrapped.size()) * 12.5 + firstRow + 4.0);
        _y -= 4.0;
        _y -= lines(wrapped, kMarginX, _y, 10.0, true) + 2.0;
    }

    void section(const IssuedSection& s) {
        switch (s.kind) {
            case SectionKind::Rows: rows(s); break;
            case SectionKind::Table: table(s); break;
            case SectionKind::Options: options(s); break;
            case SectionKind::Declarations: declarations(s); break;
            case SectionKind::TextBox: textBox(s); break;
        }
    }

    std::string scalarText(const forms::Field& field) const {
        const FieldValue* fv = value(field.id);
        return fv ? formFieldText(field.type, field.options, fv->value) : std::string();
    }

    // A value cell: one line when the value fits, else wrapped lines (and a
    // multi-line field) tall enough for all of it.
    struct Cell {
        std::vector<std::string> lines;
        bool multiline = false;
    };
    Cell valueCell(const std::string& text, double width) const {
        if (text.empty() || pdf::textWidth(_fonts.regular, kSize, text) <= width - 2 * kPad) return {{text}, false};
        return {wrapAnywhere(_fonts.regular, kSize, text, width - 2 * kPad), true};
    }

    void rows(const IssuedSection& s) {
        const double labelWidth = kWidth * _layout.labelShare;
        const double valueWidth = kWidth - labelWidth;
        bool first = true;
        for (const auto& id : s.fields) {
            const forms::Field& field = *_form.field(id);
            const auto label = wrap(_fonts.regular, kSize, _layout.label(field), labelWidth - 2 * kPad);
            const Cell cell = valueCell(scalarText(field), valueWidth);
            const double h = std::max(heightOf(label.size()), heightOf(cell.lines.size()));
            if (first) sectionTitle(s.title, h);
            first = false;
            ensure(h);
            const double bottom = _y - h;
            page().fills.push_back({{kMarginX, bottom, labelWidth, h}, kLabelGray});
            page().frames.push_back({kMarginX, bottom, labelWidth, h});
            page().frames.push_back({kMarginX + labelWidth, bottom, valueWidth, h});
            lines(label, kMarginX + kPad, _y - kPad + 1.0, kSize, false);
            page().widgets.push_back({{field.id},
                                      cell.multiline ? WidgetKind::MultilineText : WidgetKind::Text,
                                      {kMarginX + labelWidth + 0.5, bottom + 0.5, valueWidth - 1.0, h - 1.0},
                                      scalarText(field),
                                      false});
            _y = bottom;
        }
    }

    void table(const IssuedSection& s) {
        const forms::Field& field = *_form.field(s.fields.front());
        const std::vector<Row>* values = nullptr;
        if (const FieldValue* fv = value(field.id)) values = std::get_if<std::vector<Row>>(&fv->value);
        const int minimum = _values ? s.rows : (s.blankRows > 0 ? s.blankRows : (s.rows > 0 ? s.rows : field.rows));
        const int count = std::max(minimum, values ? static_cast<int>(values->size()) : 0);
        std::vector<double> widths;
        const std::size_t columns = field.columns.size() + 1;
        for (std::size_t c = 0; c < columns; ++c)
            widths.push_back(kWidth * (s.widths.empty() ? 1.0 / static_cast<double>(columns) : s.widths[c]));

        std::vector<std::vector<std::string>> header{{"Lp."}};
        for (std::size_t c = 0; c < field.columns.size(); ++c)
            header.push_back(wrap(_fonts.bold, kSize, field.columns[c].labels.front(), widths[c + 1] - 2 * kPad));
        std::size_t headerLines = 1;
        for (const auto& h : header) headerLines = std::max(headerLines, h.size());
        const double headerHeight = heightOf(headerLines);
        sectionTitle(s.title, headerHeight + heightOf(1));
        auto drawHeader = [&] {
            double x = kMarginX;
            for (std::size_t c = 0; c < columns; ++c) {
                page().fills.push_back({{x, _y - headerHeight, widths[c], headerHeight}, kLabelGray});
                page().frames.push_back({x, _y - headerHeight, widths[c], headerHeight});
                lines(header[c], x + kPad, _y - kPad + 1.0, kSize, true);
                x += widths[c];
            }
            _y -= headerHeight;
        };
        drawHeader();
        for (int n = 1; n <= count; ++n) {
            std::vector<Cell> cells;
            std::size_t most = 1;
            for (std::size_t c = 0; c < field.columns.size(); ++c) {
                const auto& column = field.columns[c];
                const std::string text = cellValue(values, n, column);
                cells.push_back(valueCell(text, widths[c + 1]));
                most = std::max(most, cells.back().lines.size());
            }
            const double h = heightOf(most);
            if (_y - h < kBottom) {
                newPage();
                drawHeader();
            }
            page().frames.push_back({kMarginX, _y - h, widths[0], h});
            lines({std::to_string(n) + "."}, kMarginX + kPad, _y - kPad + 1.0, kSize, false);
            double x = kMarginX + widths[0];
            for (std::size_t c = 0; c < field.columns.size(); ++c) {
                page().frames.push_back({x, _y - h, widths[c + 1], h});
                page().widgets.push_back({{field.id, std::to_string(n), field.columns[c].id},
                                          cells[c].multiline ? WidgetKind::MultilineText : WidgetKind::Text,
                                          {x + 0.5, _y - h + 0.5, widths[c + 1] - 1.0, h - 1.0},
                                          cellValue(values, n, field.columns[c]),
                                          false});
                x += widths[c + 1];
            }
            _y -= h;
        }
    }

    void checkbox(const std::vector<std::string>& name, bool ticked, double x, double top) {
        const double box = 8.5;
        const Rect r{x, top - box - 1.0, box, box};
        page().frames.push_back(r);
        page().widgets.push_back({name, WidgetKind::Checkbox, r, {}, ticked});
    }

    void options(const IssuedSection& s) {
        const forms::Field& field = *_form.field(s.fields.front());
        std::vector<std::string> chosen;
        if (const FieldValue* fv = value(field.id))
            if (const auto* codes = std::get_if<std::vector<std::string>>(&fv->value)) chosen = *codes;
        const forms::Field* other = s.other.empty() ? nullptr : _form.field(s.other);
        const std::size_t perColumn = (field.options.size() + 1) / 2;
        const double columnWidth = kWidth / 2.0;
        const double textWidth = columnWidth - 18.0;
        sectionTitle(s.title, heightOf(1));
        for (std::size_t row = 0; row < perColumn; ++row) {
            double height = kSize * kLeading;
            std::vector<std::vector<std::string>> texts(2);
            for (std::size_t side = 0; side < 2; ++side) {
                const std::size_t k = row + side * perColumn;
                if (k >= field.options.size()) continue;
                std::string label = field.options[k].labels.front();
                if (other && k + 1 == field.options.size()) label += ":";
                texts[side] = wrap(_fonts.regular, kSize, label, textWidth);
                height = std::max(height, static_cast<double>(texts[side].size()) * kSize * kLeading);
            }
            // The „Inne (jakie?)” text goes under its option, across its column.
            Cell otherCell;
            const bool otherHere = other && field.options.size() - 1 == row + perColumn;
            if (otherHere) otherCell = valueCell(scalarText(*other), textWidth);
            const double otherHeight = otherHere ? heightOf(otherCell.lines.size()) : 0.0;
            ensure(height + otherHeight + 3.0);
            for (std::size_t side = 0; side < 2; ++side) {
                const std::size_t k = row + side * perColumn;
                if (k >= field.options.size()) continue;
                const double x = kMarginX + static_cast<double>(side) * columnWidth;
                const bool ticked = std::find(chosen.begin(), chosen.end(), field.options[k].code) != chosen.end();
                checkbox({field.id, field.options[k].code}, ticked, x, _y);
                lines(texts[side], x + 14.0, _y, kSize, false);
                if (otherHere && side == 1) {
                    const double top = _y - height - 1.0;
                    page().widgets.push_back({{other->id},
                                              otherCell.multiline ? WidgetKind::MultilineText : WidgetKind::Text,
                                              {x + 14.0, top - otherHeight, textWidth, otherHeight},
                                              scalarText(*other),
                                              false});
                    page().rules.push_back({x + 14.0, top - otherHeight, x + 14.0 + textWidth, top - otherHeight});
                }
            }
            _y -= height + otherHeight + 3.0;
        }
    }

    void declarations(const IssuedSection& s) {
        bool first = true;
        for (const auto& id : s.fields) {
            const forms::Field& field = *_form.field(id);
            const auto text = wrap(_fonts.regular, kSize, _layout.label(field), kWidth - 14.0);
            const double h = static_cast<double>(text.size()) * kSize * kLeading + 3.0;
            if (first) sectionTitle(s.title, h);
            first = false;
            ensure(h);
            bool ticked = false;
            if (const FieldValue* fv = value(id))
                if (const auto* b = std::get_if<bool>(&fv->value)) ticked = *b;
            checkbox({id}, ticked, kMarginX, _y);
            lines(text, kMarginX + 14.0, _y, kSize, false);
            _y -= h;
        }
    }

    void textBox(const IssuedSection& s) {
        const forms::Field& field = *_form.field(s.fields.front());
        const std::string text = scalarText(field);
        auto wrapped =
            text.empty() ? std::vector<std::string>{} : wrapAnywhere(_fonts.regular, kSize, text, kWidth - 2 * kPad);
        // Room to write by hand on the blank form; a filled one as tall as its text.
        const double h = std::max(heightOf(std::max<std::size_t>(wrapped.size(), 1)), _values ? 40.0 : 90.0);
        sectionTitle(s.title, h);
        ensure(h);
        page().frames.push_back({kMarginX, _y - h, kWidth, h});
        page().widgets.push_back({{field.id},
                                  WidgetKind::MultilineText,
                                  {kMarginX + 0.5, _y - h + 0.5, kWidth - 1.0, h - 1.0},
                                  text,
                                  false});
        _y -= h;
    }

    void signatures() {
        if (_layout.leftCaption.empty() && _layout.rightCaption.empty()) return;
        const double lineWidth = 150.0;
        const forms::Field* placeDate = _layout.placeDateField.empty() ? nullptr : _form.field(_layout.placeDateField);
        ensure(80.0);
        _y -= 24.0;
        const double leftX = kMarginX + 20.0;
        const double rightX = kMarginX + kWidth - lineWidth - 20.0;
        const double lineY = _y - 32.0;
        if (placeDate) {
            const std::string text = scalarText(*placeDate);
            page().widgets.push_back(
                {{placeDate->id}, WidgetKind::Text, {leftX, lineY + 2.0, lineWidth, 16.0}, text, false});
        }
        auto signatureLine = [&](double x, const std::string& caption) {
            if (caption.empty()) return;
            page().rules.push_back({x, lineY, x + lineWidth, lineY});
            const double w = pdf::textWidth(_fonts.regular, 8.0, caption);
            page().texts.push_back({x + (lineWidth - w) / 2.0, lineY - 11.0, 8.0, false, caption, 0.15});
        };
        signatureLine(leftX, _layout.leftCaption);
        signatureLine(rightX, _layout.rightCaption);
        _y = lineY - 16.0;
    }

    void footers() {
        const int total = static_cast<int>(_pages.size());
        for (int n = 0; n < total; ++n) {
            Page& p = _pages[static_cast<std::size_t>(n)];
            if (!_layout.footer.empty()) {
                double size = 7.0;
                while (size > 5.0 && pdf::textWidth(_fonts.regular, size, _layout.footer) > kWidth) size -= 0.25;
                const double w = pdf::textWidth(_fonts.regular, size, _layout.footer);
                p.texts.push_back({kMarginX + (kWidth - w) / 2.0, 34.0, size, false, _layout.footer, 0.4});
                p.rules.push_back({kMarginX, 44.0, kMarginX + kWidth, 44.0});
            }
            const std::string number = "Strona " + std::to_string(n + 1) + " z " + std::to_string(total);
            const double w = pdf::textWidth(_fonts.regular, 7.0, number);
            p.texts.push_back({kMarginX + kWidth - w, 24.0, 7.0, false, number, 0.4});
        }
    }

    pdf::Fonts _fonts;
    const forms::Form& _form;
    const IssuedForm& _layout;
    const Result* _values;
    double _imageAspect;
    std::vector<Page> _pages;
    double _y = 0;
};

// --- painting ----------------------------------------------------------------------

class FormWriter {
public:
    // The header image, drawn where a page asks for it; nullptr when none.
    void setImage(std::unique_ptr<PoDoFo::PdfImage> image) { _image = std::move(image); }

    FormWriter(PoDoFo::PdfMemDocument& doc, pdf::Fonts fonts) : _doc(doc), _fonts(fonts) {
        _acroForm = _doc.GetObjects().CreateObject();
        _acroForm->GetDictionary().AddKey(PdfName("Fields"), PoDoFo::PdfArray());
        _doc.GetCatalog()->GetDictionary().AddKey(PdfName("AcroForm"), _acroForm->Reference());
        // ZapfDingbats for viewers that redraw check boxes from /MK /CA.
        _dingbats = _doc.GetObjects().CreateObject();
        _dingbats->GetDictionary().AddKey(PdfName("Type"), PdfName("Font"));
        _dingbats->GetDictionary().AddKey(PdfName("Subtype"), PdfName("Type1"));
        _dingbats->GetDictionary().AddKey(PdfName("BaseFont"), PdfName("ZapfDingbats"));
    }

    void finish() {
        PoDoFo::PdfDictionary fontsDict;
        fontsDict.AddKey(_fonts.regular->GetIdentifier(), _fonts.regular->GetObject()->Reference());
        fontsDict.AddKey(PdfName("ZaDb"), _dingbats->Reference());
        PoDoFo::PdfDictionary resources;
        resources.AddKey(PdfName("Font"), fontsDict);
        auto& dict = _acroForm->GetDictionary();
        dict.AddKey(PdfName("DR"), resources);
        dict.AddKey(PdfName("DA"), PoDoFo::PdfString(defaultAppearance(0).c_str()));
        dict.AddKey(PdfName("NeedAppearances"), PoDoFo::PdfVariant(true));
        if (_fonts.regular->IsSubsetting()) {
            // PoDoFo 0.9 adds nothing for a length of -1: give the character count.
            const PoDoFo::PdfString glyphs = pdf::utf8(kTypingGlyphs);
            _fonts.regular->AddUsedSubsettingGlyphs(glyphs, glyphs.GetCharacterLength());
        }
    }

    void paint(PoDoFo::PdfPage* pdfPage, const Page& page) {
        PoDoFo::PdfPainter painter;
        painter.SetPage(pdfPage);
        painter.SetStrokeWidth(0.6);
        painter.SetStrokingColor(0.45, 0.45, 0.45);
        painter.SetColor(0.96, 0.97, 1.0);
        for (const auto& box : page.boxes) {
            painter.Rectangle(box.x, box.y, box.w, box.h);
            painter.FillAndStroke();
        }
        for (const auto& fill : page.fills) {
            painter.SetColor(fill.gray, fill.gray, fill.gray);
            painter.Rectangle(fill.rect.x, fill.rect.y, fill.rect.w, fill.rect.h);
            painter.Fill();
        }
        painter.SetStrokingColor(0.2, 0.2, 0.2);
        painter.SetStrokeWidth(0.5);
        for (const auto& frame : page.frames) {
            painter.Rectangle(frame.x, frame.y, frame.w, frame.h);
            painter.Stroke();
        }
        painter.SetStrokingColor(0.55, 0.55, 0.55);
        for (const auto& rule : page.rules) painter.DrawLine(rule.x1, rule.y1, rule.x2, rule.y2);
        if (_image)
            for (const auto& at : page.images)
                painter.DrawImage(at.x, at.y, _image.get(), at.w / _image->GetWidth(), at.h / _image->GetHeight());
        for (const auto& text : page.texts) {
            painter.SetColor(text.gray, text.gray, text.gray);
            pdf::drawText(painter, _fonts, text.x, text.y, text.size, text.bold, text.text);
        }
        painter.FinishPage();
        for (const auto& widget : page.widgets) addWidget(pdfPage, widget);
    }

private:
    std::string defaultAppearance(double size) const {
        return "/" + _fonts.regular->GetIdentifier().GetName() + " " + number(size) + " Tf 0 g";
    }

    static std::string number(double value) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.2f", value);
        std::string text(buffer);
        while (!text.empty() && text.back() == '0') text.pop_back();
        if (!text.empty() && text.back() == '.') text.pop_back();
        return text;
    }

    // The field dictionary for the name path up to (not including) the
    // terminal part: parents hold only /T and /Kids, so the reader joins the
    // partial names with dots ("gminy.1.nazwa").
    PoDoFo::PdfObject* parentOf(const std::vector<std::string>& name) {
        PoDoFo::PdfObject* parent = nullptr;
        std::string path;
        for (std::size_t i = 0; i + 1 < name.size(); ++i) {
            path += (i ? "." : "") + name[i];
            auto it = _parents.find(path);
            if (it == _parents.end()) {
                PoDoFo::PdfObject* node = _doc.GetObjects().CreateObject();
                node->GetDictionary().AddKey(PdfName("T"), pdf::utf8(name[i]));
                node->GetDictionary().AddKey(PdfName("Kids"), PoDoFo::PdfArray());
                attach(node, parent);
                it = _parents.emplace(path, node).first;
            }
            parent = it->second;
        }
        return parent;
    }

    void attach(PoDoFo::PdfObject* node, PoDoFo::PdfObject* parent) {
        if (parent) {
            node->GetDictionary().AddKey(PdfName("Parent"), parent->Reference());
            parent->GetDictionary().GetKey(PdfName("Kids"))->GetArray().push_back(node->Reference());
        } else {
            _acroForm->GetDictionary().GetKey(PdfName("Fields"))->GetArray().push_back(node->Reference());
        }
    }

    PoDoFo::PdfObject* textAppearance(const Widget& widget) {
        PoDoFo::PdfXObject xobject(PoDoFo::PdfRect(0, 0, widget.rect.w, widget.rect.h), &_doc);
        PoDoFo::PdfPainter painter;
        painter.SetPage(&xobject);
        if (!widget.text.empty()) {
            PoDoFo::PdfFont* font = _fonts.regular;
            painter.SetColor(0, 0, 0);
            // The whole value always shows: one line shrunk to fit, else
            // lines wrapped at a size whose lines fit the box's height.
            const double innerWidth = widget.rect.w - 4.0;
            double size = kValueSize;
            std::vector<std::string> lines{widget.text};
            if (widget.kind == WidgetKind::Text) {
                while (size > 6.0 && pdf::textWidth(font, size, widget.text) > innerWidth) size -= 0.25;
            }
            if (widget.kind == WidgetKind::MultilineText || pdf::textWidth(font, size, widget.text) > innerWidth) {
                for (size = kValueSize;; size -= 0.25) {
                    lines = wrapAnywhere(font, size, widget.text, innerWidth);
                    if (size <= 3.0 || static_cast<double>(lines.size()) * size * 1.2 + 2.0 <= widget.rect.h) break;
                }
            }
            font->SetFontSize(static_cast<float>(size));
            painter.SetFont(font);
            if (lines.size() == 1 && widget.kind == WidgetKind::Text) {
                painter.DrawText(2.5, (widget.rect.h - size * 0.72) / 2.0, pdf::utf8(widget.text));
            } else {
                double y = widget.rect.h - 1.5 - size;
                for (const auto& line : lines) {
                    painter.DrawText(2.5, y, pdf::utf8(line));
                    y -= size * 1.2;
                }
            }
        }
        painter.FinishPage();
        return xobject.GetObject();
    }

    PoDoFo::PdfObject* checkAppearance(const Rect& rect, bool ticked) {
        PoDoFo::PdfXObject xobject(PoDoFo::PdfRect(0, 0, rect.w, rect.h), &_doc);
        PoDoFo::PdfPainter painter;
        painter.SetPage(&xobject);
        if (ticked) {
            // A drawn cross (☒ on the paper form): no font needed to show it.
            painter.SetStrokingColor(0, 0, 0);
            painter.SetStrokeWidth(1.1);
            painter.DrawLine(rect.w * 0.2, rect.h * 0.2, rect.w * 0.8, rect.h * 0.8);
            painter.DrawLine(rect.w * 0.2, rect.h * 0.8, rect.w * 0.8, rect.h * 0.2);
        }
        painter.FinishPage();
        return xobject.GetObject();
    }

    void addWidget(PoDoFo::PdfPage* page, const Widget& widget) {
        PoDoFo::PdfObject* parent = parentOf(widget.name);
        PoDoFo::PdfAnnotation* annotation = page->CreateAnnotation(
            PoDoFo::ePdfAnnotation_Widget, PoDoFo::PdfRect(widget.rect.x, widget.rect.y, widget.rect.w, widget.rect.h));
        annotation->SetFlags(PoDoFo::ePdfAnnotationFlags_Print);
        PoDoFo::PdfObject* node = annotation->GetObject();
        auto& dict = node->GetDictionary();
        dict.AddKey(PdfName("T"), pdf::utf8(widget.name.back()));
        dict.AddKey(PdfName("P"), page->GetObject()->Reference());
        PoDoFo::PdfDictionary appearance;
        if (widget.kind == WidgetKind::Checkbox) {
            const PdfName state(widget.ticked ? "Yes" : "Off");
            dict.AddKey(PdfName("FT"), PdfName("Btn"));
            dict.AddKey(PdfName("V"), state);
            dict.AddKey(PdfName("AS"), state);
            dict.AddKey(PdfName("DA"), PoDoFo::PdfString("/ZaDb 0 Tf 0 g"));
            PoDoFo::PdfDictionary mk;
            // ZapfDingbats „8” is a cross, as the drawn appearance and ☒ on paper.
            mk.AddKey(PdfName("CA"), PoDoFo::PdfString("8"));
            dict.AddKey(PdfName("MK"), mk);
            PoDoFo::PdfDictionary states;
            states.AddKey(PdfName("Yes"), checkAppearance(widget.rect, true)->Reference());
            states.AddKey(PdfName("Off"), checkAppearance(widget.rect, false)->Reference());
            appearance.AddKey(PdfName("N"), states);
        } else {
            dict.AddKey(PdfName("FT"), PdfName("Tx"));
            if (widget.kind == WidgetKind::MultilineText)
                dict.AddKey(PdfName("Ff"), PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(4096)));
            dict.AddKey(PdfName("DA"), PoDoFo::PdfString(defaultAppearance(kValueSize).c_str()));
            if (!widget.text.empty()) dict.AddKey(PdfName("V"), pdf::utf8(widget.text));
            appearance.AddKey(PdfName("N"), textAppearance(widget)->Reference());
        }
        dict.AddKey(PdfName("AP"), appearance);
        attach(node, parent);
    }

    PoDoFo::PdfMemDocument& _doc;
    pdf::Fonts _fonts;
    std::unique_ptr<PoDoFo::PdfImage> _image;
    PoDoFo::PdfObject* _acroForm = nullptr;
    PoDoFo::PdfObject* _dingbats = nullptr;
    std::map<std::string, PoDoFo::PdfObject*> _parents;
};

}  // namespace

std::string formFieldText(forms::FieldType type, const std::vector<forms::Option>& options, const Value& value) {
    if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
    const auto* text = std::get_if<std::string>(&value);
    if (!text) return {};
    switch (type) {
        case FieldType::Date:
            if (auto date = validation::parseDate(*text)) return shortDatePl(*date);
            return *text;
        case FieldType::Phone:
            // As people write it; normalised "48…" numbers were written with
            // the country code, so it stays: "+48 81 477 53 26".
            return phoneAsWritten(*text);
        case FieldType::Enum:
            if (const auto* option = optionOf(options, *text); option && !option->labels.empty())
                return option->labels.front();
            return *text;
        default: return *text;
    }
}

std::string renderFormPdf(const forms::Form& form, const Result* values, const std::string& subtitle,
                          const IssuedForm* layout) {
    if (values && values->form && *values->form != form.id) values = nullptr;
    if (layout && layout->form != form.id) layout = nullptr;
    std::lock_guard lock(pdf::podofoMutex());
    PoDoFo::PdfMemDocument doc;
    const pdf::Fonts fonts = pdf::createFonts(doc);
    std::unique_ptr<PoDoFo::PdfImage> image;
    if (layout && !layout->headerImage.empty()) {
        const std::string path = (std::filesystem::path(layout->directory) / layout->headerImage).string();
        image = std::make_unique<PoDoFo::PdfImage>(&doc);
        const std::string lower = util::toLowerPl(path);
        if (lower.size() > 4 && lower.compare(lower.size() - 4, 4, ".png") == 0)
            image->LoadFromPng(path.c_str());
        else
            image->LoadFromJpeg(path.c_str());
    }
    std::vector<Page> pages;
    if (layout) {
        IssuedComposer composer(fonts, form, *layout, values, image ? image->GetWidth() / image->GetHeight() : 0.0);
        composer.compose();
        pages = std::move(composer.pages());
    } else {
        FormLayout plain(fonts, form, values);
        plain.header(subtitle);
        for (const auto& field : form.fields) plain.field(field);
        pages = std::move(plain.pages());
    }

    FormWriter writer(doc, fonts);
    writer.setImage(std::move(image));
    for (const auto& page : pages) {
        PoDoFo::PdfPage* pdfPage = doc.CreatePage(PoDoFo::PdfRect(0, 0, pdf::kPageWidth, pdf::kPageHeight));
        writer.paint(pdfPage, page);
    }
    writer.finish();
    std::string title = layout && !layout->title.empty() ? layout->title.front() : form.title;
    if (layout && layout->title.size() > 1) title += " " + layout->title[1];
    pdf::setInfo(doc, title, {});
    return pdf::toBytes(doc);
}

}  // namespace formproc::output
