// The structures of the Word 97–2003 binary format (MS-DOC) the reader
// needs: the File Information Block, the piece table, the formatted disk
// pages (FKP) of paragraph and character properties, the sprms in them, the
// font table, the section table and legacy form-field data.
//
// Every offset and count comes from the file and is checked against the
// stream it points into; a structure that does not fit is an error value
// (or, for optional parts, left out), never a read past a buffer. All the
// functions here are thread-safe (they keep no state) and throw only
// std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "symbols.hpp"
#include "table_grid.hpp"

namespace formproc::word_legacy {

// Little-endian reads; 0 past the end (callers check sizes first).
std::uint16_t le16(std::string_view bytes, std::size_t offset);
std::uint32_t le32(std::string_view bytes, std::size_t offset);

// The FibRgFcLcb97 pairs the reader uses, by their index in that array.
enum class FcLcb : int {
    PlcfSed = 6,
    PlcfBteChpx = 12,
    PlcfBtePapx = 13,
    SttbfFfn = 15,
    Clx = 33,
    PlcSpaMom = 40,    // the shapes anchored in the main text
    PlcftxbxTxt = 56,  // the text boxes' text in the text-box story
};

struct Fib {
    std::uint16_t nFib = 0;
    bool encrypted = false;   // fEncrypted: RC4 / CryptoAPI, or XOR when obfuscated
    bool obfuscated = false;  // fObfuscated
    bool tableIs1 = false;    // fWhichTblStm: "1Table", else "0Table"
    std::uint32_t ccpText = 0;
    // Where the text-box story starts (after the main text, footnotes,
    // headers, comments and endnotes) and how long it is; 0 when the counts
    // are implausible.
    std::uint32_t textBoxStart = 0;
    std::uint32_t ccpTextBoxes = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> fcLcb;

    // The offset and size of a structure in the table stream; {0, 0} when the
    // FIB is too short to hold the pair.
    std::pair<std::uint32_t, std::uint32_t> at(FcLcb which) const;
};

enum class FibError { None, NotWord, TooOld, Truncated };

// Parses the FIB at the start of the WordDocument stream (TooOld for a Word
// 6.0/95 one). For an encrypted
// document only FibBase is read (the rest is ciphertext): check `encrypted`
// and `obfuscated` first.
FibError parseFib(std::string_view wordDocument, Fib& fib);

// One sprm: its code and its operand bytes.
struct Sprm {
    std::uint16_t code = 0;
    std::string_view operand;
};

// The sprms of a grpprl, in order; a sprm cut short ends the list.
std::vector<Sprm> sprmsOf(std::string_view grpprl);

// A run of text in the piece table: CPs [cpStart, cpEnd) stored from byte
// `fc` of the WordDocument stream, 8-bit (compressed) or UTF-16.
struct Piece {
    std::uint32_t cpStart = 0;
    std::uint32_t cpEnd = 0;
    std::uint32_t fc = 0;
    bool compressed = false;
    std::string_view prc;  // the grpprl of a Prm1 (fast-saved formatting), if any
};

enum class TextError { None, Malformed, TooLarge };

// The pieces of the main document text and the text-box story (CPs up to
// textBoxStart + ccpTextBoxes) from the CLX, each checked to lie inside the
// WordDocument stream. The total text is at most as long as the stream (an
// honest file stores each character once).
TextError readPieces(const Fib& fib, std::string_view wordDocument, std::string_view table, std::vector<Piece>& out,
                     std::string& detail);

struct ParagraphProps {
    bool inTable = false;          // sprmPFInTable
    bool rowEnd = false;           // sprmPFTtp: the row-end mark of a table row
    bool innerCell = false;        // sprmPFInnerTableCell (a nested table's cell end)
    bool innerRowEnd = false;      // sprmPFInnerTtp
    bool pageBreakBefore = false;  // sprmPFPageBreakBefore
    int depth = -1;                // sprmPItap (table nesting), -1 when not given
    std::vector<CellSpec> cells;   // sprmTDefTable and its merges, on a row end

    int tableDepth() const { return depth >= 0 ? depth : (inTable ? 1 : 0); }
};

struct CharProps {
    int fontAscii = -1;            // sprmCRgFtc0, an index into the font table
    int fontOther = -1;            // sprmCRgFtc2 (hAnsi)
    bool special = false;          // sprmCFSpec: a special character (picture, field mark, symbol)
    bool deleted = false;          // sprmCFRMarkDel: deleted with tracked changes
    bool data = false;             // sprmCFData: the character marks form-field data
    std::int64_t dataOffset = -1;  // sprmCPicLocation: where in the Data stream
    int symbolFont = -1;           // sprmCSymbol
    char16_t symbolChar = 0;
};

// Applies a grpprl to properties (later sprms win). `data` is the Data
// stream, for sprmPHugePapx (a paragraph's sprms kept there).
void applyParagraphSprms(std::string_view grpprl, std::string_view data, ParagraphProps& props);
void applyCharSprms(std::string_view grpprl, CharProps& props);

// The property runs of one kind (paragraphs or characters) from the FKPs a
// PlcfBte points to, sorted by stream offset; `at` finds the run holding a
// byte of the WordDocument stream.
template <typename Props>
struct PropertyRuns {
    struct Run {
        std::uint32_t fcStart = 0;
        std::uint32_t fcEnd = 0;
        Props props;
    };
    std::vector<Run> runs;

    const Props* at(std::uint32_t fc) const;
};

PropertyRuns<ParagraphProps> readParagraphRuns(const Fib& fib, std::string_view wordDocument, std::string_view table,
                                               std::string_view data);
PropertyRuns<CharProps> readCharRuns(const Fib& fib, std::string_view wordDocument, std::string_view table);

// The symbol-font kind of each font of the font table (SttbfFfn), by index.
std::vector<docx::SymbolFont> readFontKinds(const Fib& fib, std::string_view table);

// The section marks (0x0C ending a section), by CP, and whether the section
// after each starts a new page (a continuous or new-column one does not).
struct SectionMark {
    std::uint32_t cp = 0;
    bool startsPage = true;
};
std::vector<SectionMark> readSections(const Fib& fib, std::string_view wordDocument, std::string_view table);

// A legacy form field's data (FFData in the Data stream).
struct FormFieldData {
    enum class Kind { Text, CheckBox, DropDown };
    Kind kind = Kind::Text;
    bool checked = false;               // a check box's state (its default when the result is "default")
    std::optional<std::string> choice;  // a drop-down's chosen entry
};

std::optional<FormFieldData> readFormFieldData(std::string_view data, std::int64_t offset);

// The text boxes anchored in the main text: the CP of each anchor (a drawn
// object, 0x08) and the CP range of its text in the text-box story, sorted
// by anchor (an anchor may hold several: a group of shapes). Shapes without
// text, and reused text boxes, are left out.
struct TextBox {
    std::uint32_t anchor = 0;
    std::uint32_t cpStart = 0;
    std::uint32_t cpEnd = 0;
};
std::vector<TextBox> readTextBoxes(const Fib& fib, std::string_view table);

// Title and application name from the \005SummaryInformation stream
// (property set: PIDSI_TITLE, PIDSI_APPNAME), empty when absent.
struct Summary {
    std::string title;
    std::string application;
};
Summary readSummary(std::string_view stream);

}  // namespace formproc::word_legacy
