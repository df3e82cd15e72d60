// RTF to the synthetic layout, in one pass over the tokens.
//
// Each group inherits its parent's state (destination, font, \uc, deleted
// text) and a group that opens a destination says so in its state, so that
// closing it can finish what it held (a font table entry, a field's
// instruction, a list entry). Destinations that hold no body text (pictures,
// headers, shapes, unknown \* ones) are skipped by the tokenizer without
// being parsed.
#include "rtf_document.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "code_pages.hpp"
#include "formproc/sdk/support/text.hpp"
#include "rtf_tokens.hpp"
#include "symbols.hpp"
#include "table_grid.hpp"

namespace formproc::word_legacy {

namespace {

constexpr std::size_t kMaxFieldDepth = 32;
constexpr std::size_t kMaxInstruction = 256;
constexpr std::size_t kMaxFonts = 4096;
constexpr std::size_t kMaxMetaText = 1024;

// Where the text of a group goes.
enum class Dest : std::uint8_t {
    Body,
    FontTable,
    Instruction,
    FormField,
    ListEntry,
    Title,
    Generator,
    Info,
    NestProps,
    Shape
};

// What a group opened, to be finished when it closes.
enum class Opened : std::uint8_t { None, FontEntry, Field, Instruction, ListEntry, ShapeText };

enum class Key : std::uint8_t {
    Skip,
    Star,
    FontTable,
    Font,
    DefaultFont,
    Charset,
    CodePage,
    AnsiCodePage,
    Mac,
    Pc,
    Pca,
    Info,
    Title,
    Generator,
    Field,
    FieldInstruction,
    FieldResult,
    FormField,
    FormType,
    FormResult,
    FormDefault,
    ListEntry,
    NestTableProps,
    Par,
    Sect,
    SectionDefault,
    BreakNone,
    BreakPage,
    Page,
    PageBreakBefore,
    Line,
    Tab,
    Cell,
    Row,
    NestCell,
    NestRow,
    RowDefault,
    CellEdge,
    RowLeft,
    MergeLeft,
    MergeFirst,
    MergeAbove,
    MergeTop,
    InTable,
    Itap,
    ParagraphDefault,
    Plain,
    Deleted,
    Unicode,
    UnicodeSkip,
    Char,
    Upr,
    Transparent,
    Shape,
    ShapeText,
};

struct KeyInfo {
    Key key;
    char32_t character = 0;  // Key::Char
};

const std::unordered_map<std::string_view, KeyInfo>& keywords() {
    static const std::unordered_map<std::string_view, KeyInfo> table = [] {
        std::unordered_map<std::string_view, KeyInfo> t;
        for (const char* skip : {"colortbl",
                                 "stylesheet",
                                 "pict",
                                 "object",
                                 "header",
                                 "headerl",
                                 "headerr",
                                 "headerf",
                                 "footer",
                                 "footerl",
                                 "footerr",
                                 "footerf",
                                 "footnote",
                                 "annotation",
                                 "atnid",
                                 "atnauthor",
                                 "sp",
                                 "shprslt",
                                 "nonshppict",
                                 "shppict",
                                 "nonesttables",
                                 "listtable",
                                 "listoverridetable",
                                 "listtext",
                                 "pntext",
                                 "pntxta",
                                 "pntxtb",
                                 "rsidtbl",
                                 "themedata",
                                 "colorschememapping",
                                 "latentstyles",
                                 "datastore",
                                 "xmlnstbl",
                                 "pgdsctbl",
                                 "ftnsep",
                                 "ftnsepc",
                                 "aftnsep",
                                 "aftnsepc",
                                 "xe",
                                 "tc",
                                 "txe",
                                 "rxe",
                                 "private",
                                 "userprops",
                                 "docvar",
                                 "template",
                                 "revtbl",
                                 "pnseclvl",
                                 "filetbl",
                                 "bkmkstart",
                                 "bkmkend",
                                 "datafield",
                                 "ffname",
                                 "ffdeftext",
                                 "ffformat",
                                 "ffhelptext",
                                 "ffstattext",
                                 "ffentrymcr",
                                 "ffexitmcr",
                                 "author",
                                 "operator",
                                 "subject",
                                 "keywords",
                                 "comment",
                                 "doccomm",
                                 "company",
                                 "category",
                                 "manager",
                                 "hlinkbase",
                                 "creatim",
                                 "revtim",
                                 "printim",
                                 "buptim",
                                 "fldtype",
                                 "mmathPr",
                                 "wgrffmtfilter",
                                 "objdata",
                                 "result",
                                 "do",
                                 "picprop"})
            t.emplace(skip, KeyInfo{Key::Skip});
        const std::pair<const char*, Key> named[] = {
            {"*", Key::Star},
            {"fonttbl", Key::FontTable},
            {"f", Key::Font},
            {"deff", Key::DefaultFont},
            {"fcharset", Key::Charset},
            {"cpg", Key::CodePage},
            {"ansicpg", Key::AnsiCodePage},
            {"mac", Key::Mac},
            {"pc", Key::Pc},
            {"pca", Key::Pca},
            {"info", Key::Info},
            {"title", Key::Title},
            {"generator", Key::Generator},
            {"field", Key::Field},
            {"fldinst", Key::FieldInstruction},
            {"fldrslt", Key::FieldResult},
            {"formfield", Key::FormField},
            {"fftype", Key::FormType},
            {"ffres", Key::FormResult},
            {"ffdefres", Key::FormDefault},
            {"ffl", Key::ListEntry},
            {"nesttableprops", Key::NestTableProps},
            {"par", Key::Par},
            {"sect", Key::Sect},
            {"sectd", Key::SectionDefault},
            {"sbknone", Key::BreakNone},
            {"sbkcol", Key::BreakNone},
            {"sbkpage", Key::BreakPage},
            {"sbkeven", Key::BreakPage},
            {"sbkodd", Key::BreakPage},
            {"page", Key::Page},
            {"pagebb", Key::PageBreakBefore},
            {"line", Key::Line},
            {"tab", Key::Tab},
            {"cell", Key::Cell},
            {"row", Key::Row},
            {"nestcell", Key::NestCell},
            {"nestrow", Key::NestRow},
            {"trowd", Key::RowDefault},
            {"cellx", Key::CellEdge},
            {"trleft", Key::RowLeft},
            {"clmrg", Key::MergeLeft},
            {"clmgf", Key::MergeFirst},
            {"clvmrg", Key::MergeAbove},
            {"clvmgf", Key::MergeTop},
            {"intbl", Key::InTable},
            {"itap", Key::Itap},
            {"pard", Key::ParagraphDefault},
            {"plain", Key::Plain},
            {"deleted", Key::Deleted},
            {"u", Key::Unicode},
            {"uc", Key::UnicodeSkip},
            {"upr", Key::Upr},
            {"ud", Key::Transparent},
            {"shp", Key::Shape},
            {"shpinst", Key::Transparent},
            {"shptxt", Key::ShapeText},
        };
        for (const auto& [name, key] : named) t.emplace(name, KeyInfo{key});
        const std::pair<const char*, char32_t> characters[] = {
            {"emdash", 0x2014},    {"endash", 0x2013},    {"emspace", 0x2003}, {"enspace", 0x2002},
            {"qmspace", 0x2005},   {"bullet", 0x2022},    {"lquote", 0x2018},  {"rquote", 0x2019},
            {"ldblquote", 0x201C}, {"rdblquote", 0x201D}, {"zwj", 0x200D},     {"zwnj", 0x200C},
            {"zwbo", 0x200B},      {"zwnbo", 0xFEFF},     {"ltrmark", 0x200E}, {"rtlmark", 0x200F},
        };
        for (const auto& [name, cp] : characters) t.emplace(name, KeyInfo{Key::Char, cp});
        return t;
    }();
    return table;
}

struct Font {
    std::string name;
    int charset = -1;
    int codePage = 0;  // \cpg, 0 when not given
};

struct State {
    Dest dest = Dest::Body;
    Opened opened = Opened::None;
    int font = -1;
    int skipCount = 1;  // \uc
    bool deleted = false;
    bool flat = false;  // a text box's text: paragraphs and cells become spaces
};

struct Field {
    std::string instruction;
    int type = -1;    // \fftype: 0 text, 1 check box, 2 drop-down
    int result = 25;  // \ffres; 25: the default
    int byDefault = 0;
    std::vector<std::string> entries;
};

struct RowDefinition {
    long left = 0;
    std::vector<CellSpec> cells;
    bool mergeLeft = false;
    bool mergeAbove = false;
};

class RtfParser {
public:
    RtfParser(std::string_view input, docx::Layout& layout, Summary& summary, RtfStats& stats)
        : _tokens(input), _layout(layout), _summary(summary), _stats(stats) {}

    // False when the groups nest deeper than kMaxRtfDepth.
    bool parse() {
        _stack.push_back({});
        for (RtfToken token = _tokens.next(); token.kind != RtfToken::Kind::End; token = _tokens.next())
            if (!handle(token)) return false;
        finish();
        return true;
    }

private:
    State& state() { return _stack.back(); }

    bool handle(const RtfToken& token) {
        switch (token.kind) {
            case RtfToken::Kind::GroupOpen:
                if (_uprPending) {
                    // {\upr{ANSI text}{\*\ud{Unicode text}}}: the Unicode one is read.
                    _uprPending = false;
                    _tokens.skipGroup();
                    return true;
                }
                if (_stack.size() >= kMaxRtfDepth) return false;
                _stack.push_back(state());
                _stack.back().opened = Opened::None;
                _pendingSkip = 0;
                _groupStart = true;
                return true;
            case RtfToken::Kind::GroupClose: closeGroup(); break;
            case RtfToken::Kind::Word: controlWord(token); break;
            case RtfToken::Kind::Symbol: controlSymbol(token.symbol); break;
            case RtfToken::Kind::HexByte: byte(token.byte); break;
            case RtfToken::Kind::Text:
                for (const char c : token.text) byte(static_cast<unsigned char>(c));
                break;
            default: break;  // \bin data shows nothing
        }
        if (!_starPending) _groupStart = false;
        return true;
    }

    void closeGroup() {
        _pendingSkip = 0;
        _starPending = false;
        if (_stack.size() <= 1) return;  // an unbalanced brace: ignored
        const Opened opened = state().opened;
        if (_stack.size() == _fontTableDepth) _fontTableDepth = 0;
        _stack.pop_back();
        switch (opened) {
            case Opened::FontEntry: endFontEntry(); break;
            case Opened::Instruction: endInstruction(); break;
            case Opened::Field:
                if (_untrackedFields > 0)
                    --_untrackedFields;
                else if (!_fields.empty())
                    _fields.pop_back();
                break;
            case Opened::ShapeText:
                if (!_saved.empty()) {
                    _depth = _saved.back().depth;
                    _pageBreakBefore = _saved.back().pageBreakBefore;
                    _saved.pop_back();
                }
                break;
            case Opened::ListEntry:
                if (!_fields.empty() && _fields.back().entries.size() < 256)
                    _fields.back().entries.push_back(std::string(sdk::support::trim(_listEntry)));
                _listEntry.clear();
                break;
            case Opened::None: break;
        }
    }

    // --- control words -------------------------------------------------------

    void controlWord(const RtfToken& token) {
        const auto& table = keywords();
        const auto it = table.find(token.text);
        if (it == table.end()) {
            if (_starPending) skipDestination();
            return;
        }
        _starPending = false;
        const int value = token.hasParameter ? token.parameter : -1;
        if (it->second.key != Key::Unicode) _pendingSkip = 0;
        if (destination(it->second.key)) return;
        if (font(it->second.key, value)) return;
        if (structure(it->second.key, value)) return;
        if (tableOrFormWord(it->second.key, value)) return;
        characterWord(it->second, token, value);
    }

    // Skips the rest of the group a destination word opened. A destination
    // word anywhere but at the start of its group is taken for a flag, so
    // that a stray one cannot hide the rest of the document.
    void skipDestination() {
        _starPending = false;
        if (!_groupStart || _stack.size() <= 1) return;
        ++_stats.skippedGroups;
        _tokens.skipGroup();
        closeGroup();
    }

    // Destinations: returns true when the word was one.
    bool destination(Key key) {
        State& s = state();
        switch (key) {
            case Key::Star: _starPending = true; return true;
            case Key::Skip: skipDestination(); return true;
            case Key::FontTable:
                s.dest = Dest::FontTable;
                _fontTableDepth = _stack.size();
                return true;
            case Key::Info: s.dest = Dest::Info; return true;
            case Key::Title: setMeta(Dest::Title); return true;
            case Key::Generator: setMeta(Dest::Generator); return true;
            case Key::Field: openField(); return true;
            case Key::FieldInstruction:
                s.dest = Dest::Instruction;
                s.opened = Opened::Instruction;
                return true;
            case Key::FieldResult:
                if (s.dest != Dest::Body) skipDestination();  // a result inside an instruction or a skipped part
                return true;
            case Key::FormField: s.dest = Dest::FormField; return true;
            case Key::ListEntry:
                if (s.dest != Dest::FormField) {
                    skipDestination();
                } else {
                    s.dest = Dest::ListEntry;
                    s.opened = Opened::ListEntry;
                }
                return true;
            case Key::NestTableProps: s.dest = Dest::NestProps; return true;
            case Key::Upr: _uprPending = true; return true;
            case Key::Shape:
                if (s.dest != Dest::Body)
                    skipDestination();
                else
                    s.dest = Dest::Shape;  // only its text box's text shows
                return true;
            case Key::ShapeText:
                if (s.dest != Dest::Shape || _saved.size() >= 8) {
                    skipDestination();
                    return true;
                }
                // A text box: read where it is anchored, flattened into the
                // paragraph or cell around it (as the DOCX reader does).
                s.dest = Dest::Body;
                s.flat = true;
                s.opened = Opened::ShapeText;
                _saved.push_back({_depth, _pageBreakBefore});
                return true;
            case Key::Transparent: return true;
            default: return false;
        }
    }

    void setMeta(Dest dest) {
        State& s = state();
        if (s.dest != Dest::Info && dest == Dest::Title) return skipDestination();
        s.dest = dest;
    }

    bool font(Key key, int value) {
        State& s = state();
        switch (key) {
            case Key::Font:
                if (s.dest == Dest::FontTable) {
                    _fontEntry = value;
                    _fontName.clear();
                    if (_stack.size() > _fontTableDepth) s.opened = Opened::FontEntry;  // {\fN ... Name;}
                } else {
                    s.font = value;
                }
                return true;
            case Key::DefaultFont:
                _defaultFont = value;
                s.font = value;
                return true;
            case Key::Charset: _fontCharset = value; return true;
            case Key::CodePage: _fontCodePage = value; return true;
            case Key::AnsiCodePage:
                if (value > 0) _codePage = value;
                return true;
            case Key::Mac: _codePage = 10000; return true;
            case Key::Pc: _codePage = 437; return true;
            case Key::Pca: _codePage = 850; return true;
            case Key::Plain:
                s.font = _defaultFont;
                s.deleted = false;
                return true;
            case Key::Deleted: s.deleted = value != 0; return true;
            case Key::UnicodeSkip: s.skipCount = std::clamp(value, 0, 8); return true;
            default: return false;
        }
    }

    bool structure(Key key, int value) {
        switch (key) {
            case Key::Par: paragraphEnd(); return true;
            case Key::Sect:
                paragraphEnd();
                if (!state().flat) _sectionPending = true;
                return true;
            case Key::SectionDefault: _sectionStartsPage = true; return true;
            case Key::BreakNone: _sectionStartsPage = false; return true;
            case Key::BreakPage: _sectionStartsPage = true; return true;
            case Key::Page: pageBreak(); return true;
            case Key::PageBreakBefore: _pageBreakBefore = true; return true;
            case Key::Line: append(" "); return true;
            case Key::Tab: append("\t"); return true;
            case Key::ParagraphDefault:
                _depth = 0;
                _pageBreakBefore = false;
                return true;
            case Key::InTable: _depth = std::max(_depth, 1); return true;
            case Key::Itap: _depth = std::clamp(value, 0, 64); return true;
            default: (void)value; return false;
        }
    }

    // Table rows and cells, and the state of a form field.
    bool tableOrFormWord(Key key, int value) {
        const bool nested = state().dest == Dest::NestProps || state().flat;
        switch (key) {
            case Key::Cell: cellEnd(); return true;
            case Key::Row: rowEnd(); return true;
            case Key::NestCell:
            case Key::NestRow: append(" "); return true;
            case Key::RowDefault:
                if (!nested) _row = RowDefinition{};
                return true;
            case Key::RowLeft:
                if (!nested) _row.left = value;
                return true;
            case Key::CellEdge:
                if (!nested && _row.cells.size() < 64) {
                    const long left = _row.cells.empty() ? _row.left : _row.cells.back().right;
                    _row.cells.push_back({left, value, _row.mergeLeft, _row.mergeAbove});
                }
                _row.mergeLeft = _row.mergeAbove = false;
                return true;
            case Key::MergeLeft:
                if (!nested) _row.mergeLeft = true;
                return true;
            case Key::MergeAbove:
                if (!nested) _row.mergeAbove = true;
                return true;
            case Key::MergeFirst:
            case Key::MergeTop: return true;
            case Key::FormType:
                if (!_fields.empty()) _fields.back().type = value;
                return true;
            case Key::FormResult:
                if (!_fields.empty()) _fields.back().result = value;
                return true;
            case Key::FormDefault:
                if (!_fields.empty()) _fields.back().byDefault = value;
                return true;
            default: return false;
        }
    }

    void characterWord(const KeyInfo& info, const RtfToken& token, int value) {
        if (info.key == Key::Char) {
            character(info.character);
        } else if (info.key == Key::Unicode && token.hasParameter) {
            // \uN is signed 16-bit; a surrogate pair comes as two of them.
            char32_t code = static_cast<char16_t>(static_cast<std::int16_t>(value));
            if (code >= 0xD800 && code <= 0xDBFF) {
                _highSurrogate = code;
            } else {
                if (code >= 0xDC00 && code <= 0xDFFF && _highSurrogate != 0)
                    code = 0x10000 + ((_highSurrogate - 0xD800) << 10U) + (code - 0xDC00);
                _highSurrogate = 0;
                character(code, true);
            }
            _pendingSkip = state().skipCount;
        }
    }

    void controlSymbol(char symbol) {
        _pendingSkip = 0;
        switch (symbol) {
            case '*': _starPending = true; return;
            case '~': return character(0xA0);
            case '_': return character('-');
            case '-': return;  // an optional hyphen
            case '\\':
            case '{':
            case '}': return character(static_cast<unsigned char>(symbol));
            case '\t': return append("\t");
            default: return;
        }
    }

    // --- text ----------------------------------------------------------------

    const Font* currentFont() const {
        const auto it = _fonts.find(_stack.back().font);
        return it == _fonts.end() ? nullptr : &it->second;
    }

    int codePage(const Font* font) const {
        if (font == nullptr) return _codePage;
        if (font->codePage > 0) return font->codePage;
        return font->charset >= 0 ? codePageOfCharset(font->charset, _codePage) : _codePage;
    }

    void byte(unsigned char b) {
        if (_pendingSkip > 0) {
            --_pendingSkip;
            return;
        }
        if (b == '\t') return append("\t");
        if (b < 0x20) return;
        if (state().dest == Dest::FontTable) return fontNameByte(b);
        const Font* font = currentFont();
        const docx::SymbolFont kind = font ? docx::symbolFont(font->name) : docx::SymbolFont::None;
        const int page = codePage(font);
        if (kind != docx::SymbolFont::None || page == kSymbolCodePage) return symbolCharacter(kind, b);
        character(decodeByte(page, b));
    }

    void symbolCharacter(docx::SymbolFont kind, char32_t code) {
        if (kind == docx::SymbolFont::None) return character(code);  // an unknown symbol font: as it is
        if (code <= 0x20) return character(code);
        emitGlyph(docx::symbolGlyph(kind, code));
    }

    void character(char32_t code, bool unicode = false) {
        const Font* font = unicode ? currentFont() : nullptr;
        const docx::SymbolFont kind = font ? docx::symbolFont(font->name) : docx::SymbolFont::None;
        if (docx::isPrivateUse(code) || (unicode && kind != docx::SymbolFont::None && code > 0x20 && code <= 0xFF))
            return emitGlyph(docx::symbolGlyph(kind, code));
        switch (state().dest) {
            case Dest::Body: break;
            case Dest::FontTable: return;
            case Dest::Instruction:
                if (!_fields.empty() && _fields.back().instruction.size() < kMaxInstruction)
                    sdk::support::appendUtf8(_fields.back().instruction, code);
                return;
            case Dest::ListEntry: return appendBounded(_listEntry, code);
            case Dest::Title: return appendBounded(_summary.title, code);
            case Dest::Generator: return appendBounded(_summary.application, code);
            default: return;
        }
        if (state().deleted) return;
        beforeContent();
        sdk::support::appendUtf8(_out, code);
    }

    static void appendBounded(std::string& out, char32_t code) {
        if (out.size() < kMaxMetaText) sdk::support::appendUtf8(out, code);
    }

    void emitGlyph(std::string_view glyph) {
        if (glyph.empty()) return;
        append(" ");
        append(glyph);
        append(" ");
    }

    void append(std::string_view text) {
        if (state().dest != Dest::Body || state().deleted) return;
        beforeContent();
        _out.append(text);
    }

    // A section that starts a page does so at its first content.
    void beforeContent() {
        if (!_sectionPending) return;
        _sectionPending = false;
        if (_sectionStartsPage) {
            flushTable();
            _layout.pageBreak();
        }
    }

    // --- fonts ---------------------------------------------------------------

    void fontNameByte(unsigned char b) {
        if (b == ';') return endFontEntry();
        if (_fontEntry >= 0 && _fontName.size() < 64) _fontName += static_cast<char>(b);
    }

    void endFontEntry() {
        if (_fontEntry >= 0 && _fonts.size() < kMaxFonts) {
            Font& f = _fonts[_fontEntry];
            f.name = std::string(sdk::support::trim(_fontName));
            f.charset = _fontCharset;
            f.codePage = _fontCodePage > 0 ? _fontCodePage : 0;
        }
        _fontEntry = -1;
        _fontName.clear();
        _fontCharset = -1;
        _fontCodePage = 0;
    }

    // --- fields --------------------------------------------------------------

    void openField() {
        State& s = state();
        s.opened = Opened::Field;
        if (_fields.size() >= kMaxFieldDepth) {
            ++_untrackedFields;
            ++_stats.deepFields;
            return;
        }
        _fields.push_back({});
    }

    // FORMCHECKBOX and FORMDROPDOWN show their state, not their result.
    void endInstruction() {
        if (_untrackedFields > 0 || _fields.empty()) return;
        const Field& field = _fields.back();
        const std::string_view instruction = sdk::support::trim(field.instruction);
        const int chosen = field.result == 25 ? field.byDefault : field.result;
        if (instruction.rfind("FORMCHECKBOX", 0) == 0) {
            emitGlyph(chosen > 0 ? docx::kTicked : docx::kUnticked);
        } else if (instruction.rfind("FORMDROPDOWN", 0) == 0 && chosen >= 0 &&
                   static_cast<std::size_t>(chosen) < field.entries.size()) {
            append(field.entries[static_cast<std::size_t>(chosen)]);
        }
    }

    // --- structure -------------------------------------------------------------

    void paragraphEnd() {
        if (state().dest != Dest::Body) return;
        if (_depth >= 1 || state().flat) return append(" ");  // a paragraph inside a cell or a text box
        beforeContent();
        flushTable();
        if (_pageBreakBefore && _layout.pageHasLines()) _layout.pageBreak();
        _layout.addParagraph(_out);
        _out.clear();
    }

    void pageBreak() {
        if (state().dest != Dest::Body) return;
        if (_depth >= 1 || state().flat) return append(" ");
        beforeContent();
        flushTable();
        _layout.addParagraph(_out);
        _out.clear();
        _layout.pageBreak();
    }

    void cellEnd() {
        if (state().dest != Dest::Body) return;
        if (_depth >= 2 || state().flat) return append(" ");
        beforeContent();
        _rowTexts.push_back(std::move(_out));
        _out.clear();
    }

    void rowEnd() {
        if (state().dest != Dest::Body) return;
        if (state().flat) return append(" ");
        beforeContent();
        _grid.addRow(_row.cells, std::move(_rowTexts), _layout);
        _rowTexts.clear();
        _out.clear();
    }

    void flushTable() {
        if (!_rowTexts.empty()) {
            _grid.addRow({}, std::move(_rowTexts), _layout);  // cells without \row: still a row
            _rowTexts.clear();
        }
        if (!_grid.empty()) _grid.flush(_layout);
    }

    void finish() {
        _sectionPending = false;
        _depth = 0;
        _stack.resize(1);
        _stack.back().dest = Dest::Body;
        paragraphEnd();
        _summary.title = std::string(sdk::support::trim(_summary.title));
        std::string& producer = _summary.application;
        while (!producer.empty() && (producer.back() == ';' || producer.back() == ' ')) producer.pop_back();
    }

    RtfTokenizer _tokens;
    docx::Layout& _layout;
    Summary& _summary;
    RtfStats& _stats;
    std::vector<State> _stack;
    std::unordered_map<int, Font> _fonts;
    int _defaultFont = -1;
    int _codePage = 1252;
    int _fontEntry = -1;
    int _fontCharset = -1;
    int _fontCodePage = 0;
    std::string _fontName;
    bool _starPending = false;
    bool _uprPending = false;
    struct ParagraphState {
        int depth;
        bool pageBreakBefore;
    };
    std::vector<ParagraphState> _saved;  // outside the text boxes being read
    bool _groupStart = false;            // no token yet in the group just opened (but \*)
    std::size_t _fontTableDepth = 0;
    int _pendingSkip = 0;
    char32_t _highSurrogate = 0;
    std::vector<Field> _fields;
    std::size_t _untrackedFields = 0;
    std::string _listEntry;
    std::string _out;
    std::vector<std::string> _rowTexts;
    RowDefinition _row;
    TableGrid _grid;
    int _depth = 0;
    bool _pageBreakBefore = false;
    bool _sectionPending = false;
    bool _sectionStartsPage = true;
};

}  // namespace

sdk::Status readRtf(std::string_view bytes, docx::Layout& layout, Summary& summary, RtfStats& stats,
                    sdk::support::Notes& notes) {
    if (bytes.substr(0, 5) != "{\\rtf") {
        notes("no {\\rtf header");
        return sdk::Status::NotMyFormat;
    }
    RtfParser parser(bytes, layout, summary, stats);
    if (!parser.parse()) {
        notes("groups nested deeper than " + std::to_string(kMaxRtfDepth));
        return sdk::Status::Malformed;
    }
    return sdk::Status::Ok;
}

}  // namespace formproc::word_legacy
