// OpenDocument text (ODT) to the synthetic layout.
//
// Unlike WordprocessingML, ODF keeps the text itself in text nodes of text:p
// and text:h, with white space collapsed as in HTML, so text nodes are read
// everywhere inside a paragraph. Page breaks come from paragraph and table
// styles (fo:break-before / fo:break-after, a new master page); form controls
// are declared in office:forms and placed in the text by draw:control.
#include "walkers.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "xml_util.hpp"

namespace formproc::docx {

namespace {

constexpr std::string_view kOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kText = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kTable = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kStyle = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
constexpr std::string_view kDraw = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
constexpr std::string_view kForm = "urn:oasis:names:tc:opendocument:xmlns:form:1.0";
constexpr std::string_view kSvg = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

constexpr long kMaxSpan = 64;        // columns one cell may span
constexpr long kMaxCellRepeat = 64;  // table:number-columns-repeated honoured
constexpr long kMaxRowRepeat = 100;  // table:number-rows-repeated honoured (rows with text)
constexpr std::size_t kMaxStyleDepth = 16;

long numberAttribute(const xmlNode* node, std::string_view name, long fallback) {
    const auto value = attribute(node, name);
    if (!value) return fallback;
    long out = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), out);
    return ec == std::errc() && end == value->data() + value->size() ? out : fallback;
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Paragraph and table styles, as far as page breaks go.
class OdtStyles {
public:
    struct Breaks {
        bool before = false;
        bool after = false;
        bool newMasterPage = false;
    };

    void load(const xmlNode* container) {
        for (const xmlNode* style = container->children; style != nullptr; style = style->next) {
            if (!isElement(style, kStyle, "style")) continue;
            const auto name = attribute(style, "name");
            if (!name) continue;
            Style info;
            info.parent = attribute(style, "parent-style-name").value_or("");
            info.newMasterPage = !attribute(style, "master-page-name").value_or("").empty();
            for (const xmlNode* props = style->children; props != nullptr; props = props->next) {
                if (!isElement(props, kStyle, "paragraph-properties") && !isElement(props, kStyle, "table-properties"))
                    continue;
                if (const auto before = attribute(props, "break-before")) info.before = isPageBreak(*before);
                if (const auto after = attribute(props, "break-after")) info.after = isPageBreak(*after);
            }
            _styles.emplace(key(attribute(style, "family").value_or(""), *name), std::move(info));
        }
    }

    Breaks resolve(std::string_view family, const std::optional<std::string>& name) const {
        Breaks out;
        if (!name) return out;
        auto it = _styles.find(key(family, *name));
        if (it == _styles.end()) return out;
        out.newMasterPage = it->second.newMasterPage;  // not inherited
        // Break properties are inherited from parent styles until one sets them.
        std::optional<bool> before;
        std::optional<bool> after;
        for (std::size_t depth = 0; it != _styles.end() && depth < kMaxStyleDepth; ++depth) {
            if (!before) before = it->second.before;
            if (!after) after = it->second.after;
            if (before && after) break;
            if (it->second.parent.empty()) break;
            it = _styles.find(key(family, it->second.parent));
        }
        out.before = before.value_or(false);
        out.after = after.value_or(false);
        return out;
    }

private:
    struct Style {
        std::string parent;
        std::optional<bool> before;
        std::optional<bool> after;
        bool newMasterPage = false;
    };

    static bool isPageBreak(std::string_view value) {
        return value == "page" || value == "even-page" || value == "odd-page";
    }
    static std::string key(std::string_view family, std::string_view name) {
        std::string out(family);
        out += '\n';
        out += name;
        return out;
    }

    std::unordered_map<std::string, Style> _styles;
};

// What each form control shows, by its id (form:id and xml:id both name it).
void collectControls(const xmlNode* parent, std::unordered_map<std::string, std::string>& controls) {
    for (const xmlNode* node = parent->children; node != nullptr; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) continue;
        if (inNamespace(node, kForm)) {
            const std::string_view name = toView(node->name);
            std::optional<std::string> shown;
            if (name == "checkbox" || name == "radio") {
                const bool ticked =
                    name == "checkbox"
                        ? attribute(node, "current-state").value_or(attribute(node, "state").value_or("")) == "checked"
                        : attribute(node, "current-selected").value_or(attribute(node, "selected").value_or("")) ==
                              "true";
                shown = std::string(ticked ? kTicked : kUnticked);
                if (const auto label = attribute(node, "label"); label && !label->empty()) *shown += " " + *label;
            } else if (name == "text" || name == "textarea" || name == "formatted-text") {
                shown = attribute(node, "current-value").value_or(attribute(node, "value").value_or(""));
            }
            if (shown) {
                for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
                    if (toView(attr->name) != "id") continue;
                    std::string value;
                    for (const xmlNode* part = attr->children; part != nullptr; part = part->next)
                        if (part->type == XML_TEXT_NODE) value += toView(part->content);
                    controls.emplace(value, *shown);
                }
            }
        }
        collectControls(node, controls);
    }
}

class OdtWalker {
public:
    OdtWalker(Layout& layout, WalkStats& stats, const OdtStyles& styles,
              const std::unordered_map<std::string, std::string>& controls)
        : _layout(layout), _stats(stats), _styles(styles), _controls(controls) {}

    void blocks(const xmlNode* parent) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
            if (child->type != XML_ELEMENT_NODE) continue;
            const std::string_view name = toView(child->name);
            if (inNamespace(child, kText)) {
                if (name == "p" || name == "h") {
                    paragraph(child);
                } else if (name == "list" || name == "list-item" || name == "list-header" || name == "section" ||
                           name == "index-body") {
                    blocks(child);
                } else if (const xmlNode* body = childElement(child, kText, "index-body")) {
                    blocks(body);  // a table of contents or an index: its rendered body only
                }
            } else if (isElement(child, kTable, "table")) {
                table(child);
            } else if (inNamespace(child, kDraw) && name == "frame") {
                // A frame anchored to the page: its text as a paragraph of its own.
                std::string text;
                collect(child, text);
                _layout.addParagraph(text);
            }
        }
    }

private:
    struct VerticalCover {
        long remaining = 0;  // rows still covered
        long span = 1;       // columns of the cell that covers them
    };

    void breakBefore(const OdtStyles::Breaks& breaks) {
        // A break before the first line of the document makes no empty page.
        if ((breaks.before || breaks.newMasterPage) && _layout.pageHasLines()) _layout.pageBreak();
    }

    void paragraph(const xmlNode* p) {
        const auto breaks = _styles.resolve("paragraph", attribute(p, "style-name"));
        breakBefore(breaks);
        std::string text;
        collect(p, text);
        _layout.addParagraph(text);
        if (breaks.after) _layout.pageBreak();
    }

    void table(const xmlNode* tbl) {
        const auto breaks = _styles.resolve("table", attribute(tbl, "style-name"));
        breakBefore(breaks);
        std::map<long, VerticalCover> covers;
        rows(tbl, covers);
        if (breaks.after) _layout.pageBreak();
    }

    void rows(const xmlNode* parent, std::map<long, VerticalCover>& covers) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
            if (isElement(child, kTable, "table-row")) {
                row(child, covers);
            } else if (isElement(child, kTable, "table-header-rows") || isElement(child, kTable, "table-rows") ||
                       isElement(child, kTable, "table-row-group")) {
                rows(child, covers);
            }
        }
    }

    long repeat(const xmlNode* node, std::string_view name, long cap) {
        const long wanted = numberAttribute(node, name, 1);
        if (wanted > cap) ++_stats.repeatsCapped;
        return std::clamp(wanted, 1L, cap);
    }

    void row(const xmlNode* tr, std::map<long, VerticalCover>& covers) {
        const long rowRepeat = numberAttribute(tr, "number-rows-repeated", 1);
        std::vector<LayoutItem> cells;
        std::vector<std::pair<long, VerticalCover>> started;
        long column = 0;
        long horizontal = 0;  // covered cells still hidden under the last cell's column span
        for (const xmlNode* child = tr->children; child != nullptr; child = child->next) {
            if (isElement(child, kTable, "table-cell")) {
                const long times = repeat(child, "number-columns-repeated", kMaxCellRepeat);
                const long span = std::clamp(numberAttribute(child, "number-columns-spanned", 1), 1L, kMaxSpan);
                const long down = std::max(numberAttribute(child, "number-rows-spanned", 1), 1L);
                std::string text;
                collect(child, text);
                for (long i = 0; i < times && cells.size() < kMaxItemsPerLine; ++i) {
                    cells.push_back(cellItem(text, column, span));
                    if (down > 1) started.push_back({column, {down - 1, span}});
                    column += span;
                }
                horizontal = span - 1;
            } else if (isElement(child, kTable, "covered-table-cell")) {
                const long times = repeat(child, "number-columns-repeated", kMaxCellRepeat);
                for (long i = 0; i < times && cells.size() < kMaxItemsPerLine; ++i) {
                    if (horizontal > 0) {
                        --horizontal;
                        ++column;
                        continue;
                    }
                    // The continuation of a cell above: an empty item as wide as that cell.
                    const auto cover = covers.find(column);
                    const long span = cover != covers.end() ? cover->second.span : 1;
                    cells.push_back(cellItem("", column, span));
                    horizontal = span - 1;
                    ++column;
                }
            }
        }
        for (auto it = covers.begin(); it != covers.end();) {
            it->second.remaining -= std::max(rowRepeat, 1L);
            it = it->second.remaining <= 0 ? covers.erase(it) : std::next(it);
        }
        // Bounded, since every row walks the live covers.
        for (const auto& [at, cover] : started)
            if (covers.size() < kMaxItemsPerLine || covers.count(at) != 0) covers[at] = cover;

        const long times = std::clamp(rowRepeat, 1L, kMaxRowRepeat);
        if (rowRepeat > kMaxRowRepeat) ++_stats.repeatsCapped;
        // Repeated rows are copies of the first: normalised once.
        if (!_layout.addRow(std::move(cells))) return;
        for (long i = 1; i < times; ++i)
            if (!_layout.repeatLastLine()) break;
    }

    // --- inline text -------------------------------------------------------

    void collect(const xmlNode* parent, std::string& out) {
        std::string* saved = _out;
        _out = &out;
        inlineChildren(parent);
        _out = saved;
    }

    void append(std::string_view text) {
        if (_out != nullptr) _out->append(text);
    }

    void inlineChildren(const xmlNode* parent) {
        for (const xmlNode* child = parent->children; child != nullptr; child = child->next) inlineNode(child);
    }

    void inlineNode(const xmlNode* node) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            append(toView(node->content));
            return;
        }
        if (node->type != XML_ELEMENT_NODE) return;
        const std::string_view name = toView(node->name);
        if (inNamespace(node, kText)) {
            if (name == "s" || name == "line-break") {
                append(" ");  // runs of spaces collapse in the layout anyway
            } else if (name == "tab") {
                append("\t");
            } else if (name == "p" || name == "h" || name == "list" || name == "list-item" || name == "list-header" ||
                       name == "section" || name == "index-body") {
                append(" ");
                inlineChildren(node);
                append(" ");
            } else if (name == "note" || name == "ruby-text" || name == "tracked-changes" ||
                       name == "soft-page-break" || endsWith(name, "-source") || endsWith(name, "-decls")) {
                // Footnote bodies stand elsewhere on the page; tracked changes
                // hold deleted text; index sources are templates.
            } else {
                inlineChildren(node);  // span, a, meta, fields such as text:date or text:text-input
            }
        } else if (inNamespace(node, kTable)) {
            append(" ");
            inlineChildren(node);  // a nested table: flattened in reading order
            append(" ");
        } else if (inNamespace(node, kDraw)) {
            if (name == "control") {
                const auto id = attribute(node, "control");
                const auto it = id ? _controls.find(*id) : _controls.end();
                if (it != _controls.end()) {
                    append(" ");
                    append(it->second);
                    append(" ");
                }
            } else if (name != "image" && name != "object" && name != "object-ole" && name != "plugin" &&
                       name != "applet") {
                append(" ");
                inlineChildren(node);  // frames, text boxes, shapes with text
                append(" ");
            }
        } else if (inNamespace(node, kOffice)) {
            if (name != "annotation" && name != "annotation-end" && name != "forms" && name != "event-listeners")
                inlineChildren(node);
        } else if (!inNamespace(node, kSvg)) {  // svg:title and svg:desc are alternative text
            inlineChildren(node);
        }
    }

    Layout& _layout;
    WalkStats& _stats;
    const OdtStyles& _styles;
    const std::unordered_map<std::string, std::string>& _controls;
    std::string* _out = nullptr;
};

}  // namespace

bool walkOdt(const xmlDoc& content, const xmlDoc* styles, Layout& layout, WalkStats& stats) {
    const xmlNode* root = xmlDocGetRootElement(&content);
    if (!isElement(root, kOffice, "document-content")) return false;
    const xmlNode* text = childElement(childElement(root, kOffice, "body"), kOffice, "text");
    if (text == nullptr) return false;

    OdtStyles knownStyles;
    if (const xmlNode* automatic = childElement(root, kOffice, "automatic-styles")) knownStyles.load(automatic);
    if (styles != nullptr) {
        const xmlNode* stylesRoot = xmlDocGetRootElement(styles);
        if (isElement(stylesRoot, kOffice, "document-styles"))
            if (const xmlNode* common = childElement(stylesRoot, kOffice, "styles")) knownStyles.load(common);
    }
    std::unordered_map<std::string, std::string> controls;
    if (const xmlNode* forms = childElement(text, kOffice, "forms")) collectControls(forms, controls);

    OdtWalker(layout, stats, knownStyles, controls).blocks(text);
    return true;
}

}  // namespace formproc::docx
