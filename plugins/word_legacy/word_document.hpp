// Word 97–2003 (.doc) documents to the synthetic layout of the docx plugin.
#pragma once

#include <string>
#include <string_view>

#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "layout.hpp"
#include "word_binary.hpp"

namespace formproc::word_legacy {

// Why a .doc was refused although it is one, for the host's Polish text
// (metadata "refusal" beside Status::Unsupported).
inline constexpr std::string_view kRefusalMacros = "macros";
inline constexpr std::string_view kRefusalWord95 = "word95";

// What the walk of the text skipped, for the notes.
struct WordStats {
    std::size_t deepFields = 0;    // fields nested deeper than we track
    std::size_t formFields = 0;    // legacy form fields read from their data
    std::size_t lostFormData = 0;  // check boxes or lists whose data was missing
};

// Reads an OLE2 compound file as a Word document: its main text, tables,
// fields and check boxes into `layout`, its title and application into
// `summary`. Returns Ok; NotMyFormat for another compound file (a workbook);
// Encrypted for a password-protected .doc (RC4, CryptoAPI, XOR) or an
// encrypted OOXML package; Unsupported with `refusal` set for a document with
// VBA macros or a Word 6.0/95 file; Malformed for a broken or truncated
// container or text; TooLarge past the limits. Notes never hold document
// text. Thread-safe (no shared state).
sdk::Status readWordFile(std::string_view bytes, docx::Layout& layout, Summary& summary, std::string& refusal,
                         WordStats& stats, sdk::support::Notes& notes);

// Lays out the main text (the walk): exposed for readWordFile.
struct WordParts {
    std::string_view wordDocument;
    std::string_view data;
    const std::vector<Piece>* pieces = nullptr;
    const PropertyRuns<ParagraphProps>* paragraphs = nullptr;
    const PropertyRuns<CharProps>* characters = nullptr;
    const std::vector<docx::SymbolFont>* fonts = nullptr;
    const std::vector<SectionMark>* sections = nullptr;
    const std::vector<TextBox>* textBoxes = nullptr;
    std::uint32_t ccpText = 0;
};
void walkWordText(const WordParts& parts, docx::Layout& layout, WordStats& stats);

}  // namespace formproc::word_legacy
