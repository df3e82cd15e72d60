// The main text of a .doc, character by character, to the synthetic layout.
//
// Word 97 marks structure with characters: 0x0D ends a paragraph, 0x07 ends
// a table cell (or, with sprmPFTtp, a row), 0x0C breaks a page or ends a
// section, 0x13/0x14/0x15 open a field, separate its instruction from its
// result and close it. A paragraph's table properties are those of the run
// holding its mark. As in the DOCX reader: field instructions never show,
// results do; a legacy check box or list shows its state from its FFData;
// characters of symbol fonts show as check-box glyphs or not at all; a text
// box shows its text at its anchor, flattened into the paragraph or cell
// around it.
#include <algorithm>
#include <string>
#include <vector>

#include "code_pages.hpp"
#include "formproc/sdk/support/text.hpp"
#include "word_document.hpp"

namespace formproc::word_legacy {

namespace {

constexpr std::size_t kMaxFieldDepth = 32;
constexpr std::size_t kMaxInstruction = 256;

class WordWalker {
public:
    WordWalker(const WordParts& parts, docx::Layout& layout, WordStats& stats)
        : _parts(parts), _layout(layout), _stats(stats) {}

    void walk() {
        walkRange(0, _parts.ccpText);
        endOfParagraph(nullptr);
        _grid.flush(_layout);
    }

private:
    struct Field {
        bool inResult = false;
        std::string instruction;
        std::int64_t dataOffset = -1;
    };

    // Walks CPs [start, end) piece by piece.
    void walkRange(std::uint32_t start, std::uint32_t end) {
        const auto& pieces = *_parts.pieces;
        auto it = std::upper_bound(pieces.begin(), pieces.end(), start,
                                   [](std::uint32_t cp, const Piece& p) { return cp < p.cpStart; });
        if (it != pieces.begin()) --it;
        for (; it != pieces.end() && it->cpStart < end; ++it)
            walkPiece(*it, std::max(start, it->cpStart), std::min(end, it->cpEnd));
    }

    void walkPiece(const Piece& piece, std::uint32_t from, std::uint32_t to) {
        if (from >= to) return;
        CharProps pieceChars;
        ParagraphProps pieceParagraph;
        if (!piece.prc.empty()) {
            applyCharSprms(piece.prc, pieceChars);
            applyParagraphSprms(piece.prc, _parts.data, pieceParagraph);
        }
        _piece = &piece;
        _piecePrc = piece.prc.empty() ? nullptr : &pieceChars;
        _pieceParagraph = piece.prc.empty() ? nullptr : &pieceParagraph;
        const std::string_view doc = _parts.wordDocument;
        for (std::uint32_t k = from - piece.cpStart; k < to - piece.cpStart; ++k) {
            _cp = piece.cpStart + k;
            _fc = piece.compressed ? piece.fc + k : piece.fc + 2 * k;
            const char32_t code =
                piece.compressed ? decodeByte(1252, static_cast<unsigned char>(doc[_fc])) : le16(doc, _fc);
            character(code);
        }
    }

    CharProps charProps() const {
        const CharProps* found = _parts.characters->at(_fc);
        CharProps props = found ? *found : CharProps{};
        if (_piecePrc) applyCharSprms(_piece->prc, props);
        return props;
    }

    ParagraphProps paragraphProps() const {
        const ParagraphProps* found = _parts.paragraphs->at(_fc);
        ParagraphProps props = found ? *found : ParagraphProps{};
        if (_pieceParagraph) applyParagraphSprms(_piece->prc, _parts.data, props);
        return props;
    }

    void character(char32_t code) {
        if (_inTextBox && (code == 0x0D || code == 0x07 || code == 0x0C)) code = 0x0B;  // flattened
        switch (code) {
            case 0x13: return fieldBegin();
            case 0x14: return fieldSeparator();
            case 0x15: return fieldEnd();
            case 0x0D: return paragraphMark();
            case 0x07: return cellMark();
            case 0x0C: return pageOrSectionBreak();
            case 0x0B: return append(" ");
            case 0x09: return append("\t");
            case 0x1E: return append("-");  // non-breaking hyphen
            default: break;
        }
        if (code == 0x08) return drawnObject();
        if (code < 0x20) {
            // 0x01 in a form field's instruction carries its data's offset;
            // pictures, note references show nothing.
            if (code == 0x01 && !_fields.empty() && !_fields.back().inResult) {
                const CharProps props = charProps();
                if (props.data && props.dataOffset >= 0) _fields.back().dataOffset = props.dataOffset;
            }
            return;
        }
        text(code);
    }

    void text(char32_t code) {
        if (code >= 0xD800 && code <= 0xDBFF) {
            _highSurrogate = code;
            return;
        }
        if (code >= 0xDC00 && code <= 0xDFFF && _highSurrogate != 0) {
            code = 0x10000 + ((_highSurrogate - 0xD800) << 10U) + (code - 0xDC00);
        }
        _highSurrogate = 0;
        if (!_fields.empty() && !_fields.back().inResult) {
            if (_fields.back().instruction.size() < kMaxInstruction)
                sdk::support::appendUtf8(_fields.back().instruction, code);
            return;
        }
        if (suppressed()) return;
        const CharProps props = charProps();
        if (props.deleted) return;
        if (props.special && code == 0x28 && props.symbolFont >= 0) {
            // Insert > Symbol: the font and the character are in sprmCSymbol;
            // a text font's symbol is the character it names.
            const docx::SymbolFont kind = fontKind(props.symbolFont);
            if (kind != docx::SymbolFont::None || docx::isPrivateUse(props.symbolChar))
                glyph(docx::symbolGlyph(kind, props.symbolChar));
            else if (props.symbolChar >= 0x20)
                sdk::support::appendUtf8(_out, props.symbolChar);
            return;
        }
        const int font = code < 0x80 ? (props.fontAscii >= 0 ? props.fontAscii : props.fontOther)
                                     : (props.fontOther >= 0 ? props.fontOther : props.fontAscii);
        const docx::SymbolFont kind = fontKind(font);
        if (docx::isPrivateUse(code) || (kind != docx::SymbolFont::None && code > 0x20 && code <= 0xFF)) {
            glyph(docx::symbolGlyph(kind, code));
            return;
        }
        sdk::support::appendUtf8(_out, code);
    }

    docx::SymbolFont fontKind(int font) const {
        const auto& fonts = *_parts.fonts;
        return font >= 0 && static_cast<std::size_t>(font) < fonts.size() ? fonts[static_cast<std::size_t>(font)]
                                                                          : docx::SymbolFont::None;
    }

    void glyph(std::string_view shape) {
        if (shape.empty()) return;
        append(" ");
        append(shape);
        append(" ");
    }

    bool suppressed() const {
        return std::any_of(_fields.begin(), _fields.end(), [](const Field& f) { return !f.inResult; });
    }

    void append(std::string_view piece) {
        if (!suppressed()) _out.append(piece);
    }

    // A drawn object's text box, read where it is anchored (once: no text
    // box is read from inside another).
    void drawnObject() {
        if (_inTextBox || suppressed()) return;
        const auto& boxes = *_parts.textBoxes;
        const auto it = std::lower_bound(boxes.begin(), boxes.end(), _cp,
                                         [](const TextBox& b, std::uint32_t cp) { return b.anchor < cp; });
        if (it == boxes.end() || it->anchor != _cp) return;
        const auto last =
            std::upper_bound(it, boxes.end(), _cp, [](std::uint32_t cp, const TextBox& b) { return cp < b.anchor; });
        // The walk's position and fields are the anchor's again afterwards.
        const Piece* piece = _piece;
        const CharProps* prc = _piecePrc;
        const ParagraphProps* paragraph = _pieceParagraph;
        const std::uint32_t cp = _cp;
        const std::uint32_t fc = _fc;
        std::vector<Field> fields = std::move(_fields);
        const std::size_t untracked = _untracked;
        _fields.clear();
        _untracked = 0;
        _inTextBox = true;
        for (auto box = it; box != last; ++box) {
            append(" ");
            walkRange(box->cpStart, box->cpEnd);
            append(" ");
        }
        _inTextBox = false;
        _fields = std::move(fields);
        _untracked = untracked;
        _piece = piece, _piecePrc = prc, _pieceParagraph = paragraph, _cp = cp, _fc = fc;
    }

    // --- fields ------------------------------------------------------------

    void fieldBegin() {
        if (_fields.size() >= kMaxFieldDepth) {
            ++_untracked;
            ++_stats.deepFields;
            return;
        }
        _fields.push_back({});
    }

    void fieldSeparator() {
        if (_untracked > 0 || _fields.empty() || _fields.back().inResult) return;
        _fields.back().inResult = true;
        formField(_fields.back());
    }

    void fieldEnd() {
        if (_untracked > 0) {
            --_untracked;
            return;
        }
        if (_fields.empty()) return;
        Field field = std::move(_fields.back());
        _fields.pop_back();
        if (!field.inResult) formField(field);  // a field without a result part
    }

    // FORMCHECKBOX and FORMDROPDOWN show no result text: their state is in
    // the Data stream. FORMTEXT, FILLIN and the rest show their result.
    void formField(const Field& field) {
        const std::string_view instruction = sdk::support::trim(field.instruction);
        const bool checkBox = instruction.rfind("FORMCHECKBOX", 0) == 0;
        const bool dropDown = instruction.rfind("FORMDROPDOWN", 0) == 0;
        if (!checkBox && !dropDown) return;
        const auto data = readFormFieldData(_parts.data, field.dataOffset);
        if (!data)
            ++_stats.lostFormData;
        else
            ++_stats.formFields;
        if (checkBox)
            glyph(data && data->checked ? docx::kTicked : docx::kUnticked);
        else if (data && data->choice)
            append(*data->choice);
    }

    // --- structure -----------------------------------------------------------

    // A field instruction never runs past its paragraph in a file Word
    // writes; a stray 0x13 must not hide the rest of the document.
    void closeInstructions() {
        for (Field& field : _fields) field.inResult = true;
    }

    void paragraphMark() {
        const ParagraphProps props = paragraphProps();
        if (props.tableDepth() >= 1) {
            append(" ");  // a paragraph inside a cell, or a nested table's cell or row end
            closeInstructions();
            return;
        }
        endOfParagraph(&props);
    }

    void endOfParagraph(const ParagraphProps* props) {
        closeInstructions();
        if (!_rowTexts.empty()) {
            // Cells without a row-end mark (a broken file) still make a row.
            _grid.addRow({}, std::move(_rowTexts), _layout);
            _rowTexts.clear();
        }
        if (!_grid.empty()) _grid.flush(_layout);  // a table ends before the paragraph after it
        if (props && props->pageBreakBefore && _layout.pageHasLines()) _layout.pageBreak();
        _layout.addParagraph(_out);
        _out.clear();
    }

    void cellMark() {
        const ParagraphProps props = paragraphProps();
        closeInstructions();
        if (props.tableDepth() == 0) {
            endOfParagraph(&props);  // a cell mark outside a table: a paragraph
            return;
        }
        if (props.tableDepth() >= 2) {
            append(" ");
            return;
        }
        if (props.rowEnd) {
            _grid.addRow(props.cells, std::move(_rowTexts), _layout);
            _rowTexts.clear();
            _out.clear();
            return;
        }
        _rowTexts.push_back(std::move(_out));
        _out.clear();
    }

    void pageOrSectionBreak() {
        const ParagraphProps props = paragraphProps();
        if (props.tableDepth() >= 1) {
            append(" ");
            return;
        }
        // A section mark ends its paragraph, and starts a page unless the
        // next section is continuous; a page break splits its paragraph, the
        // text before it staying on the old page.
        const auto& sections = *_parts.sections;
        const auto it = std::lower_bound(sections.begin(), sections.end(), _cp,
                                         [](const SectionMark& m, std::uint32_t cp) { return m.cp < cp; });
        const bool sectionMark = it != sections.end() && it->cp == _cp;
        if (!sectionMark && suppressed()) return;
        endOfParagraph(nullptr);
        if (!sectionMark || it->startsPage) _layout.pageBreak();
    }

    const WordParts& _parts;
    docx::Layout& _layout;
    WordStats& _stats;
    TableGrid _grid;
    std::string _out;
    std::vector<std::string> _rowTexts;
    std::vector<Field> _fields;
    std::size_t _untracked = 0;
    const Piece* _piece = nullptr;
    const CharProps* _piecePrc = nullptr;
    const ParagraphProps* _pieceParagraph = nullptr;
    std::uint32_t _cp = 0;
    std::uint32_t _fc = 0;
    char32_t _highSurrogate = 0;
    bool _inTextBox = false;
};

}  // namespace

void walkWordText(const WordParts& parts, docx::Layout& layout, WordStats& stats) {
    WordWalker(parts, layout, stats).walk();
}

}  // namespace formproc::word_legacy
