#include "formproc/output/form_pdf.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "formproc/output/polish.hpp"
#include "formproc/validation/checks.hpp"
#include "pdf_support.hpp"

namespace formproc::output {

namespace {

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

struct Rect {
    double x, y, w, h;  // lower-left corner
};

// The form is laid out first (positions of labels, boxes and widgets), then
// painted: a widget needs its page to exist, a page its content.
struct StaticText {
    double x, y, size;
    bool bold;
    std::string text;
};

enum class WidgetKind { Text, MultilineText, Checkbox };

struct Widget {
    std::vector<std::string> name;  // the partial names, root first
    WidgetKind kind = WidgetKind::Text;
    Rect rect{};
    std::string text;   // text fields: the value shown
    bool ticked = false;
};

struct Page {
    std::vector<StaticText> texts;
    std::vector<Rect> boxes;
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
            case FieldType::Checkbox:
                checkbox(field);
                break;
            case FieldType::Set:
                set(field);
                break;
            case FieldType::List:
                list(field);
                break;
            default:
                scalar(field);
                break;
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
                rowHeight = std::max(rowHeight, static_cast<double>(wrap(_fonts.regular, 8.5, field.options[k].labels.front(),
                                                                         textWidth).size()) * 8.5 * 1.22);
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
            headerHeight = std::max(headerHeight, static_cast<double>(wrap(_fonts.bold, 8.0, field.columns[c].labels.front(),
                                                                           widths[c] - 6.0).size()) * 8.0 * 1.22);
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
                std::string text;
                if (rows && n <= static_cast<int>(rows->size()))
                    if (const Scalar* cell = findCell((*rows)[static_cast<std::size_t>(n - 1)], column.id)) {
                        Value v;
                        if (const auto* s = std::get_if<std::string>(cell)) v = *s;
                        else if (const auto* i = std::get_if<std::int64_t>(cell)) v = *i;
                        else if (const auto* b = std::get_if<bool>(cell)) v = *b;
                        text = formFieldText(column.type, column.options, v);
                    }
                Rect r{x + 1.0, _y - kBoxHeight, widths[c] - 2.0, kBoxHeight};
                page().boxes.push_back(r);
                page().widgets.push_back(
                    {{field.id, std::to_string(n), column.id}, WidgetKind::Text, r, text, false});
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

// --- painting ----------------------------------------------------------------------

class FormWriter {
public:
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
        painter.SetColor(0, 0, 0);
        for (const auto& text : page.texts) pdf::drawText(painter, _fonts, text.x, text.y, text.size, text.bold, text.text);
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
            if (widget.kind == WidgetKind::MultilineText) {
                const auto lines = wrap(font, kValueSize, widget.text, widget.rect.w - 6.0);
                double y = widget.rect.h - 2.0 - kValueSize;
                font->SetFontSize(static_cast<float>(kValueSize));
                painter.SetFont(font);
                for (const auto& line : lines) {
                    if (y < 1.0) break;
                    painter.DrawText(3.0, y, pdf::utf8(line));
                    y -= kValueSize * 1.2;
                }
            } else {
                // Shrink a long value to fit rather than cut it off.
                double size = kValueSize;
                while (size > 6.0 && pdf::textWidth(font, size, widget.text) > widget.rect.w - 6.0) size -= 0.5;
                font->SetFontSize(static_cast<float>(size));
                painter.SetFont(font);
                painter.DrawText(3.0, (widget.rect.h - size * 0.72) / 2.0, pdf::utf8(widget.text));
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
            // A drawn tick: no font needed to show it.
            painter.SetStrokingColor(0, 0, 0);
            painter.SetStrokeWidth(1.4);
            painter.MoveTo(rect.w * 0.18, rect.h * 0.52);
            painter.LineTo(rect.w * 0.42, rect.h * 0.22);
            painter.LineTo(rect.w * 0.84, rect.h * 0.82);
            painter.Stroke();
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
            mk.AddKey(PdfName("CA"), PoDoFo::PdfString("4"));
            dict.AddKey(PdfName("MK"), mk);
            PoDoFo::PdfDictionary states;
            states.AddKey(PdfName("Yes"), checkAppearance(widget.rect, true)->Reference());
            states.AddKey(PdfName("Off"), checkAppearance(widget.rect, false)->Reference());
            appearance.AddKey(PdfName("N"), states);
        } else {
            dict.AddKey(PdfName("FT"), PdfName("Tx"));
            if (widget.kind == WidgetKind::MultilineText) dict.AddKey(PdfName("Ff"), PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(4096)));
            dict.AddKey(PdfName("DA"), PoDoFo::PdfString(defaultAppearance(kValueSize).c_str()));
            if (!widget.text.empty()) dict.AddKey(PdfName("V"), pdf::utf8(widget.text));
            appearance.AddKey(PdfName("N"), textAppearance(widget)->Reference());
        }
        dict.AddKey(PdfName("AP"), appearance);
        attach(node, parent);
    }

    PoDoFo::PdfMemDocument& _doc;
    pdf::Fonts _fonts;
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
            // Normalised "48…" numbers were written with the country code.
            if (text->size() == 11 && text->compare(0, 2, "48") == 0) return "+48 " + text->substr(2);
            return *text;
        case FieldType::Enum:
            if (const auto* option = optionOf(options, *text); option && !option->labels.empty())
                return option->labels.front();
            return *text;
        default:
            return *text;
    }
}

std::string renderFormPdf(const forms::Form& form, const Result* values, const std::string& subtitle) {
    if (values && values->form && *values->form != form.id) values = nullptr;
    std::lock_guard lock(pdf::podofoMutex());
    PoDoFo::PdfMemDocument doc;
    const pdf::Fonts fonts = pdf::createFonts(doc);
    FormLayout layout(fonts, form, values);
    layout.header(subtitle);
    for (const auto& field : form.fields) layout.field(field);

    FormWriter writer(doc, fonts);
    for (const auto& page : layout.pages()) {
        PoDoFo::PdfPage* pdfPage = doc.CreatePage(PoDoFo::PdfRect(0, 0, pdf::kPageWidth, pdf::kPageHeight));
        writer.paint(pdfPage, page);
    }
    writer.finish();
    pdf::setInfo(doc, form.title, {});
    return pdf::toBytes(doc);
}

}  // namespace formproc::output
