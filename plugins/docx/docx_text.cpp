// WordprocessingML (DOCX) to the synthetic layout.
//
// Text is taken from w:t only, so white space between elements never leaks
// in; deleted text (w:del, w:delText) and field instructions never show, and
// the result of a field does. Check boxes become glyphs wherever Word keeps
// them: legacy form fields (w:ffData/w:checkBox), w14:checkbox content
// controls, w:sym characters and Wingdings text.
#include "walkers.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "symbols.hpp"
#include "xml_util.hpp"

namespace formproc::docx {

namespace {

constexpr std::string_view kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kW14 = "http://schemas.microsoft.com/office/word/2010/wordml";
constexpr std::string_view kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";

constexpr long kMaxSpan = 64;               // grid columns one cell may span
constexpr std::size_t kMaxFieldDepth = 32;  // nested fields tracked

bool isW(const xmlNode* node) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && (inNamespace(node, kW) || inNamespace(node, kWStrict));
}

bool isW(const xmlNode* node, std::string_view local) { return isW(node) && toView(node->name) == local; }

const xmlNode* wChild(const xmlNode* parent, std::string_view local) {
    if (parent == nullptr) return nullptr;
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next)
        if (isW(child, local)) return child;
    return nullptr;
}

// ST_OnOff: an absent w:val means on.
bool onOff(const xmlNode* node) {
    const auto value = attribute(node, "val");
    return !value || !(*value == "0" || *value == "false" || *value == "off");
}

long number(const xmlNode* node, long fallback) {
    const auto value = attribute(node, "val");
    if (!value) return fallback;
    long out = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), out);
    return ec == std::errc() && end == value->data() + value->size() ? out : fallback;
}

bool isAlternate(const xmlNode* node) { return isElement(node, kMc, "AlternateContent"); }

// mc:AlternateContent holds the same content twice (a modern choice and a
// fallback); read one of them only.
const xmlNode* alternateBranch(const xmlNode* alternate) {
    const xmlNode* fallback = nullptr;
    for (const xmlNode* child = alternate->children; child != nullptr; child = child->next) {
        if (isElement(child, kMc, "Choice")) return child;
        if (isElement(child, kMc, "Fallback")) fallback = child;
    }
    return fallback;
}

SymbolFont runFont(const xmlNode* run) {
    const xmlNode* fonts = wChild(wChild(run, "rPr"), "rFonts");
    if (fonts == nullptr) return SymbolFont::None;
    for (const char* slot : {"ascii", "hAnsi", "cs"})
        if (auto name = attribute(fonts, slot)) return symbolFont(*name);
    return SymbolFont::None;
}

class DocxWalker {
public:
    DocxWalker(Layout& layout, WalkStats& stats) : _layout(layout), _stats(stats) {}

    void walk(const xmlNode* body) {
        collectSections(body);
        blocks(body);
    }

private:
    struct Field {
        bool inResult = false;  // past w:fldCharType="separate": the shown result
    };

    // Redirects inline text for a scope: into a paragraph's or a cell's
    // buffer, and whether an explicit page break may split it (only a
    // paragraph of the body can be split across pages).
    class Target {
    public:
        Target(DocxWalker& walker, std::string* out, bool topLevel)
            : _walker(walker), _savedOut(walker._out), _savedTopLevel(walker._topLevel) {
            walker._out = out;
            walker._topLevel = topLevel;
        }
        ~Target() {
            _walker._out = _savedOut;
            _walker._topLevel = _savedTopLevel;
        }
        Target(const Target&) = delete;
        Target& operator=(const Target&) = delete;

    private:
        DocxWalker& _walker;
        std::string* _savedOut;
        bool _savedTopLevel;
    };

    // --- sections: a section that does not start "continuous" starts a page.

    void addSection(const xmlNode* sectPr) {
        const auto type = attribute(wChild(sectPr, "type"), "val");
        _sections.emplace(sectPr, _sectionStartsPage.size());
        _sectionStartsPage.push_back(!type || !(*type == "continuous" || *type == "nextColumn"));
    }

    void collectSections(const xmlNode* parent) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
            if (isAlternate(child)) {
                if (const xmlNode* branch = alternateBranch(child)) collectSections(branch);
                continue;
            }
            if (!isW(child)) continue;
            const std::string_view name = toView(child->name);
            if (name == "sectPr") {
                addSection(child);
            } else if (name == "p") {
                if (const xmlNode* sectPr = wChild(wChild(child, "pPr"), "sectPr")) addSection(sectPr);
            } else if (name == "sdt") {
                if (const xmlNode* content = wChild(child, "sdtContent")) collectSections(content);
            } else if (name == "sdtContent" || name == "customXml" || name == "ins" || name == "moveTo") {
                collectSections(child);
            }
        }
    }

    // A paragraph's w:sectPr ends its section; the next section's type says
    // whether what follows starts a new page.
    void sectionEnds(const xmlNode* sectPr) {
        const auto it = _sections.find(sectPr);
        if (it != _sections.end() && it->second + 1 < _sectionStartsPage.size() && _sectionStartsPage[it->second + 1])
            _layout.pageBreak();
    }

    // --- block level -------------------------------------------------------

    void blocks(const xmlNode* parent) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
            if (isAlternate(child)) {
                if (const xmlNode* branch = alternateBranch(child)) blocks(branch);
                continue;
            }
            if (!isW(child)) continue;
            const std::string_view name = toView(child->name);
            if (name == "p") {
                paragraph(child);
            } else if (name == "tbl") {
                table(child);
            } else if (name == "sdt") {
                if (const xmlNode* content = sdtContent(child)) blocks(content);
            } else if (name == "sdtContent" || name == "customXml" || name == "ins" || name == "moveTo") {
                blocks(child);
            }
        }
    }

    void paragraph(const xmlNode* p) {
        const xmlNode* props = wChild(p, "pPr");
        // A break before the first line of the document makes no empty page.
        if (const xmlNode* before = wChild(props, "pageBreakBefore");
            before != nullptr && onOff(before) && _layout.pageHasLines())
            _layout.pageBreak();
        std::string text;
        {
            Target target(*this, &text, true);
            inlineChildren(p);
        }
        endOfParagraph();
        _layout.addParagraph(text);
        if (const xmlNode* sectPr = wChild(props, "sectPr")) sectionEnds(sectPr);
    }

    void collectRows(const xmlNode* parent, std::vector<const xmlNode*>& rows) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
            if (isAlternate(child)) {
                if (const xmlNode* branch = alternateBranch(child)) collectRows(branch, rows);
                continue;
            }
            if (!isW(child)) continue;
            const std::string_view name = toView(child->name);
            if (name == "tr") {
                rows.push_back(child);
            } else if (name == "sdt") {
                if (const xmlNode* content = sdtContent(child)) collectRows(content, rows);
            } else if (name == "sdtContent" || name == "customXml" || name == "ins" || name == "moveTo") {
                collectRows(child, rows);
            }
        }
    }

    void table(const xmlNode* tbl) {
        std::vector<const xmlNode*> rows;
        collectRows(tbl, rows);
        for (const xmlNode* tr : rows) row(tr);
    }

    void row(const xmlNode* tr) {
        const xmlNode* props = wChild(tr, "trPr");
        if (wChild(props, "del") != nullptr) return;  // a row deleted with tracked changes
        long column = std::clamp(number(wChild(props, "gridBefore"), 0), 0L, kMaxSpan);
        std::vector<LayoutItem> cells;
        rowCells(tr, cells, column);
        _layout.addRow(std::move(cells));
    }

    void rowCells(const xmlNode* parent, std::vector<LayoutItem>& cells, long& column) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
            if (isAlternate(child)) {
                if (const xmlNode* branch = alternateBranch(child)) rowCells(branch, cells, column);
                continue;
            }
            if (!isW(child)) continue;
            const std::string_view name = toView(child->name);
            if (name == "tc") {
                cell(child, cells, column);
            } else if (name == "sdt") {
                if (const xmlNode* content = sdtContent(child)) rowCells(content, cells, column);
            } else if (name == "sdtContent" || name == "customXml" || name == "ins" || name == "moveTo") {
                rowCells(child, cells, column);
            }
        }
    }

    void cell(const xmlNode* tc, std::vector<LayoutItem>& cells, long& column) {
        if (cells.size() >= kMaxItemsPerLine) return;  // the layout would drop it anyway
        const xmlNode* props = wChild(tc, "tcPr");
        const long span = std::clamp(number(wChild(props, "gridSpan"), 1), 1L, kMaxSpan);
        bool continuesAbove = false;  // w:vMerge continuation: the text belongs to the cell above
        bool continuesLeft = false;   // legacy w:hMerge continuation
        if (const xmlNode* merge = wChild(props, "vMerge")) {
            const auto value = attribute(merge, "val");
            continuesAbove = !value || *value == "continue";
        }
        if (const xmlNode* merge = wChild(props, "hMerge")) {
            const auto value = attribute(merge, "val");
            continuesLeft = !value || *value == "continue";
        }
        std::string text;
        std::string discarded;
        {
            // A merged cell's own content is still walked, so that field
            // characters in it keep the field stack balanced.
            Target target(*this, continuesAbove || continuesLeft ? &discarded : &text, false);
            inlineChildren(tc);
        }
        if (continuesLeft && !cells.empty()) {
            cells.back().x1 += 1000.0 * static_cast<double>(span);
        } else {
            cells.push_back(cellItem(std::move(text), column, span));
        }
        column += span;
    }

    // The content of a content control, or nullptr when it shows its
    // placeholder ("Click here to enter text."), which is no value.
    const xmlNode* sdtContent(const xmlNode* sdt) {
        if (const xmlNode* placeholder = wChild(wChild(sdt, "sdtPr"), "showingPlcHdr");
            placeholder != nullptr && onOff(placeholder)) {
            ++_stats.placeholders;
            return nullptr;
        }
        return wChild(sdt, "sdtContent");
    }

    // --- inline level ------------------------------------------------------

    bool suppressed() const {
        for (const Field& field : _fields)
            if (!field.inResult) return true;  // inside a field instruction
        return false;
    }

    // A field instruction does not run past its paragraph in any document
    // Word writes; a stray w:fldChar "begin" must not hide the rest of the
    // document, so an instruction still open here ends here.
    void endOfParagraph() {
        for (Field& field : _fields) field.inResult = true;
    }

    void append(std::string_view text) {
        if (_out != nullptr && !suppressed()) _out->append(text);
    }

    void appendGlyph(std::string_view glyph) {
        append(" ");
        append(glyph);
        append(" ");
    }

    void pageBreak() {
        if (_out == nullptr || suppressed()) return;
        if (!_topLevel) {
            append(" ");
            return;
        }
        // The text before the break stays on the old page.
        _layout.addParagraph(*_out);
        _out->clear();
        _layout.pageBreak();
    }

    void inlineChildren(const xmlNode* parent) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) inlineNode(child);
    }

    void inlineNode(const xmlNode* node) {
        if (node->type != XML_ELEMENT_NODE) return;
        if (isAlternate(node)) {
            if (const xmlNode* branch = alternateBranch(node)) inlineChildren(branch);
            return;
        }
        if (!isW(node)) {
            // Drawings and VML shapes: their text boxes hold w:txbxContent.
            inlineChildren(node);
            return;
        }
        const std::string_view name = toView(node->name);
        if (name == "r") {
            run(node);
        } else if (name == "sdt") {
            if (const xmlNode* content = inlineSdt(node)) inlineChildren(content);
        } else if (name == "p" || name == "tbl" || name == "txbxContent") {
            // Paragraphs of a cell, of a nested table or of a text box:
            // flattened into the text around them.
            Target target(*this, _out, false);
            append(" ");
            inlineChildren(node);
            if (name == "p") endOfParagraph();
            append(" ");
        } else if (name == "del" || name == "moveFrom" || name == "pPr" || name == "rPr" || name == "tcPr" ||
                   name == "trPr" || name == "tblPr" || name == "tblGrid" || name == "tblPrEx" || name == "sectPr" ||
                   name == "sdtPr" || name == "sdtEndPr" || name == "rt" || name == "fldChar" || name == "instrText" ||
                   name == "delText" || name == "delInstrText") {
            return;
        } else {
            // hyperlink, smartTag, customXml, ins, moveTo, fldSimple, tr, tc, ...
            inlineChildren(node);
        }
    }

    const xmlNode* inlineSdt(const xmlNode* sdt) {
        if (const xmlNode* box = childElement(wChild(sdt, "sdtPr"), kW14, "checkbox")) {
            // The content only shows a glyph in some font; the state is here.
            const xmlNode* checked = childElement(box, kW14, "checked");
            appendGlyph(checked != nullptr && onOff(checked) ? kTicked : kUnticked);
            return nullptr;
        }
        return sdtContent(sdt);
    }

    void run(const xmlNode* r) {
        const SymbolFont font = runFont(r);
        for (const xmlNode* child = r->children; child != nullptr; child = child->next) {
            if (child->type != XML_ELEMENT_NODE) continue;
            if (!isW(child)) {
                inlineNode(child);
                continue;
            }
            const std::string_view name = toView(child->name);
            if (name == "t") {
                runText(textOf(child), font);
            } else if (name == "tab" || name == "ptab") {
                append("\t");
            } else if (name == "br") {
                const auto type = attribute(child, "type");
                if (type && *type == "page")
                    pageBreak();
                else
                    append(" ");
            } else if (name == "cr") {
                append(" ");
            } else if (name == "noBreakHyphen") {
                append("-");
            } else if (name == "sym") {
                symbol(child);
            } else if (name == "fldChar") {
                fieldChar(child);
            } else if (name == "drawing" || name == "pict" || name == "object" || name == "ruby") {
                inlineNode(child);
            }
            // Anything else in a run (rPr, delText, instrText, softHyphen,
            // lastRenderedPageBreak, note references) shows no text.
        }
    }

    void runText(const std::string& text, SymbolFont font) {
        // Fast path: no symbol font and no private-use characters (U+F0xx is EF 80..83 xx).
        if (font == SymbolFont::None && text.find('\xEF') == std::string::npos) {
            append(text);
            return;
        }
        std::string mapped;
        for (std::size_t at = 0; at < text.size();) {
            char32_t code = 0;
            const std::size_t length = decodeUtf8(text, at, code);
            const bool symbolic = isPrivateUse(code) || (font != SymbolFont::None && code > 0x20 && code <= 0xFF);
            if (!symbolic) {
                mapped.append(text, at, length);
            } else if (const std::string_view glyph = symbolGlyph(font, code); !glyph.empty()) {
                mapped += ' ';
                mapped += glyph;
                mapped += ' ';
            }
            at += length;
        }
        append(mapped);
    }

    void symbol(const xmlNode* sym) {
        const SymbolFont font = symbolFont(attribute(sym, "font").value_or(""));
        const auto hex = attribute(sym, "char");
        if (!hex) return;
        long value = 0;
        const auto [end, ec] = std::from_chars(hex->data(), hex->data() + hex->size(), value, 16);
        if (ec != std::errc() || end != hex->data() + hex->size() || value < 0x20 || value > 0x10FFFF) return;
        const auto cp = static_cast<char32_t>(value);
        if (font != SymbolFont::None || isPrivateUse(cp)) {
            if (const std::string_view glyph = symbolGlyph(font, cp); !glyph.empty()) appendGlyph(glyph);
            return;
        }
        append(utf8(cp));  // an ordinary font: the character is what it says
    }

    void fieldChar(const xmlNode* fldChar) {
        const auto type = attribute(fldChar, "fldCharType");
        if (!type) return;
        if (*type == "begin") {
            if (_fields.size() >= kMaxFieldDepth) {
                ++_untrackedFields;
                ++_stats.deepFields;
                return;
            }
            // The form field's value belongs to the text around the field.
            if (const xmlNode* data = wChild(fldChar, "ffData")) formField(data);
            _fields.push_back({});
        } else if (*type == "separate") {
            if (_untrackedFields == 0 && !_fields.empty()) _fields.back().inResult = true;
        } else if (*type == "end") {
            if (_untrackedFields > 0)
                --_untrackedFields;
            else if (!_fields.empty())
                _fields.pop_back();
        }
    }

    // Legacy form fields: FORMCHECKBOX and FORMDROPDOWN show no result text,
    // their state is in w:ffData; FORMTEXT shows its result like any field.
    void formField(const xmlNode* data) {
        if (const xmlNode* box = wChild(data, "checkBox")) {
            bool ticked = false;
            if (const xmlNode* checked = wChild(box, "checked"))
                ticked = onOff(checked);
            else if (const xmlNode* byDefault = wChild(box, "default"))
                ticked = onOff(byDefault);
            appendGlyph(ticked ? kTicked : kUnticked);
        } else if (const xmlNode* list = wChild(data, "ddList")) {
            long index = 0;
            if (const xmlNode* result = wChild(list, "result"))
                index = number(result, 0);
            else if (const xmlNode* byDefault = wChild(list, "default"))
                index = number(byDefault, 0);
            long i = 0;
            for (const xmlNode* entry = list->children; entry != nullptr; entry = entry->next) {
                if (!isW(entry, "listEntry")) continue;
                if (i++ == index) {
                    if (const auto value = attribute(entry, "val")) append(*value);
                    break;
                }
            }
        }
    }

    Layout& _layout;
    WalkStats& _stats;
    std::string* _out = nullptr;
    bool _topLevel = false;
    std::vector<Field> _fields;
    std::size_t _untrackedFields = 0;
    std::unordered_map<const xmlNode*, std::size_t> _sections;
    std::vector<bool> _sectionStartsPage;
};

}  // namespace

bool walkDocx(const xmlDoc& document, Layout& layout, WalkStats& stats) {
    const xmlNode* root = xmlDocGetRootElement(&document);
    if (!isW(root, "document")) return false;
    if (const xmlNode* body = wChild(root, "body")) DocxWalker(layout, stats).walk(body);
    return true;
}

}  // namespace formproc::docx
