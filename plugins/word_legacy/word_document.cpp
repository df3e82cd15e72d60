#include "word_document.hpp"

#include "compound_file.hpp"

namespace formproc::word_legacy {

namespace {

sdk::Status statusOf(CfbError error) {
    switch (error) {
        case CfbError::None: return sdk::Status::Ok;
        case CfbError::NotCompoundFile: return sdk::Status::NotMyFormat;
        case CfbError::Corrupt:
        case CfbError::Truncated: return sdk::Status::Malformed;
        case CfbError::TooLarge: return sdk::Status::TooLarge;
    }
    return sdk::Status::Internal;
}

// A VBA project: Word keeps it in the "Macros" storage (Macros/VBA,
// Macros/PROJECT); Excel and PowerPoint in "_VBA_PROJECT_CUR".
bool hasMacros(const CompoundFile& file) {
    return file.find("Macros", CfbEntry::Type::Storage) != nullptr ||
           file.find("_VBA_PROJECT_CUR", CfbEntry::Type::Storage) != nullptr ||
           file.find("_VBA_PROJECT", CfbEntry::Type::Stream) != nullptr;
}

sdk::Status readStream(CompoundFile& file, const CfbEntry* entry, std::string& out, sdk::support::Notes& notes) {
    if (entry == nullptr) return sdk::Status::Ok;
    if (const CfbError error = file.read(*entry, out); error != CfbError::None) {
        notes("cannot read the stream '" + entry->name + "': " + file.detail());
        return statusOf(error);
    }
    return sdk::Status::Ok;
}

sdk::Status checkFib(const Fib& fib, FibError error, std::string& refusal, sdk::support::Notes& notes) {
    switch (error) {
        case FibError::None: break;
        case FibError::NotWord:
            notes("the WordDocument stream has no Word 97 File Information Block");
            return sdk::Status::Malformed;
        case FibError::TooOld:
            notes("a Word 6.0/95 document (nFib " + std::to_string(fib.nFib) + "), not read");
            refusal = kRefusalWord95;
            return sdk::Status::Unsupported;
        case FibError::Truncated: notes("the File Information Block is cut short"); return sdk::Status::Malformed;
    }
    if (fib.encrypted || fib.obfuscated) {
        notes(fib.obfuscated ? "a password-protected .doc (XOR obfuscation)"
                             : "a password-protected .doc (RC4 or CryptoAPI encryption)");
        return sdk::Status::Encrypted;
    }
    return sdk::Status::Ok;
}

}  // namespace

sdk::Status readWordFile(std::string_view bytes, docx::Layout& layout, Summary& summary, std::string& refusal,
                         WordStats& stats, sdk::support::Notes& notes) {
    CompoundFile file(bytes);
    if (const CfbError error = file.open(); error != CfbError::None) {
        notes("not a readable OLE2 compound file: " + file.detail());
        return statusOf(error);
    }
    if (file.find("EncryptedPackage") != nullptr) {
        notes("a password-protected Office document (an encrypted OOXML package)");
        return sdk::Status::Encrypted;
    }
    const CfbEntry* main = file.find("WordDocument");
    if (main == nullptr) {
        notes("an OLE2 compound file without a WordDocument stream (not a Word document)");
        return sdk::Status::NotMyFormat;
    }
    // Macros are never run here; the document is refused so that nobody
    // opens it in Word on the office's computers either.
    if (hasMacros(file)) {
        notes("the document carries a VBA project (macros); not read");
        refusal = kRefusalMacros;
        return sdk::Status::Unsupported;
    }
    std::string doc;
    if (const sdk::Status status = readStream(file, main, doc, notes); status != sdk::Status::Ok) return status;
    Fib fib;
    if (const sdk::Status status = checkFib(fib, parseFib(doc, fib), refusal, notes); status != sdk::Status::Ok)
        return status;
    const CfbEntry* tableEntry = file.find(fib.tableIs1 ? "1Table" : "0Table");
    if (tableEntry == nullptr) {
        notes("the document has no table stream");
        return sdk::Status::Malformed;
    }
    std::string table;
    std::string data;
    std::string summaryStream;
    for (const auto& [entry, out] : {std::pair{tableEntry, &table}, std::pair{file.find("Data"), &data},
                                     std::pair{file.find("\x05SummaryInformation"), &summaryStream}})
        if (const sdk::Status status = readStream(file, entry, *out, notes); status != sdk::Status::Ok) return status;
    summary = readSummary(summaryStream);

    std::vector<Piece> pieces;
    std::string detail;
    if (const TextError error = readPieces(fib, doc, table, pieces, detail); error != TextError::None) {
        notes(detail);
        return error == TextError::TooLarge ? sdk::Status::TooLarge : sdk::Status::Malformed;
    }
    const auto paragraphs = readParagraphRuns(fib, doc, table, data);
    const auto characters = readCharRuns(fib, doc, table);
    const auto fonts = readFontKinds(fib, table);
    const auto sections = readSections(fib, doc, table);
    const auto textBoxes = readTextBoxes(fib, table);
    const WordParts parts{doc, data, &pieces, &paragraphs, &characters, &fonts, &sections, &textBoxes, fib.ccpText};
    walkWordText(parts, layout, stats);
    return sdk::Status::Ok;
}

}  // namespace formproc::word_legacy
