#include "word_binary.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "code_pages.hpp"
#include "formproc/sdk/support/text.hpp"

namespace formproc::word_legacy {

namespace {

constexpr std::uint16_t kWordIdent = 0xA5EC;
constexpr std::uint16_t kWord6Ident = 0xA5DC;  // Word 6.0 and Word 95
constexpr std::uint16_t kOldestNFib = 0x00C0;  // Word 97; Word 6.0/95 files are 0x0065..0x0068
constexpr std::size_t kFkpSize = 512;
constexpr std::size_t kMaxRuns = 1000000;
constexpr std::size_t kMaxCells = 64;  // Word's limit is 63 columns

// Sprm codes (MS-DOC 2.6).
constexpr std::uint16_t kPFInTable = 0x2416;
constexpr std::uint16_t kPFTtp = 0x2417;
constexpr std::uint16_t kPFPageBreakBefore = 0x2407;
constexpr std::uint16_t kPItap = 0x6649;
constexpr std::uint16_t kPDtap = 0x664A;
constexpr std::uint16_t kPFInnerTableCell = 0x244B;
constexpr std::uint16_t kPFInnerTtp = 0x244C;
constexpr std::uint16_t kPHugePapx = 0x6646;
constexpr std::uint16_t kPChgTabs = 0xC615;
constexpr std::uint16_t kTDefTable = 0xD608;
constexpr std::uint16_t kTDefTable10 = 0xD606;
constexpr std::uint16_t kTMerge = 0x5624;
constexpr std::uint16_t kTSplit = 0x5625;
constexpr std::uint16_t kTVertMerge = 0xD62B;
constexpr std::uint16_t kCRgFtc0 = 0x4A4F;
constexpr std::uint16_t kCRgFtc2 = 0x4A51;
constexpr std::uint16_t kCFSpec = 0x0855;
constexpr std::uint16_t kCFRMarkDel = 0x0800;
constexpr std::uint16_t kCFData = 0x0806;
constexpr std::uint16_t kCPicLocation = 0x6A03;
constexpr std::uint16_t kCSymbol = 0x6A09;
constexpr std::uint16_t kSBkc = 0x3009;

// A toggle operand: 1 on, 0 off, 0x81 the opposite of the style's (off) value.
bool toggle(std::string_view operand) {
    if (operand.empty()) return false;
    const auto v = static_cast<unsigned char>(operand[0]);
    return v == 1 || v == 0x81;
}

std::int16_t signed16(std::string_view bytes, std::size_t offset) {
    return static_cast<std::int16_t>(le16(bytes, offset));
}

// The size of a sprm's operand, counting any length prefix, or 0 when the
// bytes at `at` cannot hold it.
std::size_t operandSize(std::uint16_t code, std::string_view bytes, std::size_t at) {
    switch (code >> 13U) {
        case 0:
        case 1: return 1;
        case 2:
        case 4:
        case 5: return 2;
        case 3: return 4;
        case 7: return 3;
        default: break;
    }
    if (at >= bytes.size()) return 0;
    if (code == kTDefTable || code == kTDefTable10) {
        const std::size_t cb = le16(bytes, at);
        return at + 2 <= bytes.size() && cb > 0 ? cb + 1 : 0;
    }
    const auto cb = static_cast<unsigned char>(bytes[at]);
    if (code == kPChgTabs && cb == 255) {
        // PChgTabsDelClose then PChgTabsAdd, each counted in tabs.
        std::size_t size = 1;
        if (at + size >= bytes.size()) return 0;
        size += 1 + 4 * static_cast<unsigned char>(bytes[at + size]);
        if (at + size >= bytes.size()) return 0;
        size += 1 + 3 * static_cast<unsigned char>(bytes[at + size]);
        return size;
    }
    return 1 + std::size_t{cb};
}

std::size_t prefixSize(std::uint16_t code) {
    if ((code >> 13U) != 6) return 0;
    return code == kTDefTable || code == kTDefTable10 ? 2 : 1;
}

void defineCells(std::string_view operand, std::vector<CellSpec>& cells) {
    // itcMac, then itcMac + 1 edges, then up to itcMac TC80 of 20 bytes.
    if (operand.empty()) return;
    const std::size_t count = std::min<std::size_t>(static_cast<unsigned char>(operand[0]), kMaxCells);
    if (1 + 2 * (count + 1) > operand.size()) return;
    cells.assign(count, CellSpec{});
    for (std::size_t i = 0; i < count; ++i) {
        cells[i].left = signed16(operand, 1 + 2 * i);
        cells[i].right = signed16(operand, 3 + 2 * i);
    }
    const std::size_t tcAt = 1 + 2 * (count + 1);
    for (std::size_t i = 0; i < count && tcAt + 20 * (i + 1) <= operand.size(); ++i) {
        const std::uint16_t flags = le16(operand, tcAt + 20 * i);
        const unsigned horizontal = flags & 3U;
        const unsigned vertical = (flags >> 5U) & 3U;
        cells[i].mergedLeft = horizontal >= 2;
        cells[i].mergedAbove = vertical == 1;
    }
}

void tableSprm(const Sprm& sprm, std::vector<CellSpec>& cells) {
    const std::string_view op = sprm.operand;
    const auto byteAt = [&](std::size_t i) { return i < op.size() ? static_cast<unsigned char>(op[i]) : 0U; };
    switch (sprm.code) {
        case kTDefTable: defineCells(op, cells); break;
        case kTMerge:
        case kTSplit:
            for (std::size_t i = byteAt(0) + 1U; i < byteAt(1) && i < cells.size(); ++i)
                cells[i].mergedLeft = sprm.code == kTMerge;
            break;
        case kTVertMerge:
            if (op.size() >= 2 && byteAt(0) < cells.size()) cells[byteAt(0)].mergedAbove = byteAt(1) == 1;
            break;
        default: break;
    }
}

}  // namespace

std::uint16_t le16(std::string_view bytes, std::size_t offset) {
    if (offset > bytes.size() || bytes.size() - offset < 2) return 0;
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[offset]) |
                                      (static_cast<unsigned>(static_cast<unsigned char>(bytes[offset + 1])) << 8U));
}

std::uint32_t le32(std::string_view bytes, std::size_t offset) {
    if (offset > bytes.size() || bytes.size() - offset < 4) return 0;
    return static_cast<std::uint32_t>(le16(bytes, offset)) |
           (static_cast<std::uint32_t>(le16(bytes, offset + 2)) << 16U);
}

std::pair<std::uint32_t, std::uint32_t> Fib::at(FcLcb which) const {
    const auto index = static_cast<std::size_t>(which);
    return index < fcLcb.size() ? fcLcb[index] : std::pair<std::uint32_t, std::uint32_t>{0, 0};
}

FibError parseFib(std::string_view doc, Fib& fib) {
    if (doc.size() < 0x22) return FibError::NotWord;
    fib.nFib = le16(doc, 2);
    // Word 6.0/95 files have nFib 0x65..0x68 (and mostly the ident 0xA5DC).
    if (le16(doc, 0) == kWord6Ident || (fib.nFib >= 0x65 && fib.nFib <= 0x68)) return FibError::TooOld;
    if (le16(doc, 0) != kWordIdent) return FibError::NotWord;
    const std::uint16_t flags = le16(doc, 0x0A);
    fib.encrypted = (flags & 0x0100U) != 0;
    fib.tableIs1 = (flags & 0x0200U) != 0;
    fib.obfuscated = (flags & 0x8000U) != 0;
    // Past FibBase an encrypted FIB is ciphertext: the caller refuses it.
    if (fib.encrypted || fib.obfuscated) return FibError::None;
    if (fib.nFib < kOldestNFib) return FibError::TooOld;
    std::size_t at = 0x20;
    const std::size_t csw = le16(doc, at);
    at += 2 + 2 * csw;
    const std::size_t cslw = le16(doc, at);
    const std::size_t longs = at + 2;
    if (cslw < 4 || longs + 4 * cslw + 2 > doc.size()) return FibError::Truncated;
    fib.ccpText = le32(doc, longs + 12);
    if (cslw >= 10) {
        // ccpFtn, ccpHdd, a reserved count, ccpAtn, ccpEdn, then ccpTxbx.
        std::uint64_t start = fib.ccpText;
        for (std::size_t i = 4; i <= 8; ++i) start += le32(doc, longs + 4 * i);
        const std::uint64_t boxes = le32(doc, longs + 36);
        if (boxes > 0 && start + boxes <= doc.size()) {
            fib.textBoxStart = static_cast<std::uint32_t>(start);
            fib.ccpTextBoxes = static_cast<std::uint32_t>(boxes);
        }
    }
    at = longs + 4 * cslw;
    const std::size_t pairs = le16(doc, at);
    at += 2;
    if (at + 8 * pairs > doc.size()) return FibError::Truncated;
    fib.fcLcb.reserve(pairs);
    for (std::size_t i = 0; i < pairs; ++i) fib.fcLcb.emplace_back(le32(doc, at + 8 * i), le32(doc, at + 8 * i + 4));
    return FibError::None;
}

std::vector<Sprm> sprmsOf(std::string_view grpprl) {
    std::vector<Sprm> out;
    std::size_t at = 0;
    while (at + 2 <= grpprl.size()) {
        const std::uint16_t code = le16(grpprl, at);
        at += 2;
        const std::size_t size = operandSize(code, grpprl, at);
        if (size == 0 || size > grpprl.size() - at) break;
        const std::size_t prefix = std::min(prefixSize(code), size);
        out.push_back({code, grpprl.substr(at + prefix, size - prefix)});
        at += size;
    }
    return out;
}

TextError readPieces(const Fib& fib, std::string_view doc, std::string_view table, std::vector<Piece>& out,
                     std::string& detail) {
    const auto [fcClx, lcbClx] = fib.at(FcLcb::Clx);
    if (lcbClx == 0 || fcClx > table.size() || lcbClx > table.size() - fcClx) {
        detail = "no piece table inside the table stream";
        return TextError::Malformed;
    }
    const std::string_view clx = table.substr(fcClx, lcbClx);
    std::vector<std::string_view> prcs;
    std::size_t at = 0;
    while (at < clx.size() && clx[at] == 1) {
        const auto cb = static_cast<std::int16_t>(le16(clx, at + 1));
        if (cb < 0 || at + 3 + static_cast<std::size_t>(cb) > clx.size()) break;
        prcs.push_back(clx.substr(at + 3, static_cast<std::size_t>(cb)));
        at += 3 + static_cast<std::size_t>(cb);
    }
    if (at + 5 > clx.size() || clx[at] != 2) {
        detail = "the CLX holds no piece table";
        return TextError::Malformed;
    }
    const std::size_t lcb = le32(clx, at + 1);
    if (lcb < 4 || lcb > clx.size() - at - 5 || (lcb - 4) % 12 != 0) {
        detail = "the piece table does not fit its CLX";
        return TextError::Malformed;
    }
    const std::string_view plc = clx.substr(at + 5, lcb);
    const std::size_t count = (lcb - 4) / 12;
    if (fib.ccpText > doc.size()) {
        detail = "the text claims more characters than the WordDocument stream holds";
        return TextError::TooLarge;
    }
    std::uint64_t total = 0;
    const std::uint32_t limit = fib.ccpTextBoxes > 0 ? fib.textBoxStart + fib.ccpTextBoxes : fib.ccpText;
    for (std::size_t i = 0; i < count; ++i) {
        Piece piece;
        piece.cpStart = le32(plc, 4 * i);
        piece.cpEnd = std::min(le32(plc, 4 * (i + 1)), limit);
        if (piece.cpStart >= limit) break;
        if (piece.cpEnd <= piece.cpStart || (!out.empty() && piece.cpStart != out.back().cpEnd) ||
            (out.empty() && piece.cpStart != 0)) {
            detail = "the piece table's character positions are out of order";
            return TextError::Malformed;
        }
        const std::size_t pcd = 4 * (count + 1) + 8 * i;
        const std::uint32_t fc = le32(plc, pcd + 2);
        const std::uint16_t prm = le16(plc, pcd + 6);
        piece.compressed = (fc & 0x40000000U) != 0;
        piece.fc = piece.compressed ? (fc & 0x3FFFFFFFU) / 2 : (fc & 0x3FFFFFFFU);
        const std::uint64_t length = piece.cpEnd - piece.cpStart;
        const std::uint64_t bytes = piece.compressed ? length : 2 * length;
        if (piece.fc > doc.size() || bytes > doc.size() - piece.fc) {
            detail = "a piece of text lies outside the WordDocument stream";
            return TextError::Malformed;
        }
        total += length;
        if (total > doc.size()) {
            detail = "the pieces hold more text than the WordDocument stream";
            return TextError::TooLarge;
        }
        if ((prm & 1U) != 0 && (prm >> 1U) < prcs.size()) piece.prc = prcs[prm >> 1U];
        out.push_back(piece);
    }
    if (out.empty() && fib.ccpText > 0) {
        detail = "the piece table is empty";
        return TextError::Malformed;
    }
    return TextError::None;
}

void applyParagraphSprms(std::string_view grpprl, std::string_view data, ParagraphProps& props) {
    for (const Sprm& sprm : sprmsOf(grpprl)) {
        switch (sprm.code) {
            case kPFInTable: props.inTable = toggle(sprm.operand); break;
            case kPFTtp: props.rowEnd = toggle(sprm.operand); break;
            case kPFInnerTableCell: props.innerCell = toggle(sprm.operand); break;
            case kPFInnerTtp: props.innerRowEnd = toggle(sprm.operand); break;
            case kPFPageBreakBefore: props.pageBreakBefore = toggle(sprm.operand); break;
            case kPItap: props.depth = static_cast<int>(std::min<std::uint32_t>(le32(sprm.operand, 0), 64)); break;
            case kPDtap:
                props.depth =
                    std::clamp(std::max(props.depth, 0) + static_cast<std::int32_t>(le32(sprm.operand, 0)), 0, 64);
                break;
            case kPHugePapx: {
                // The paragraph's sprms are in the Data stream (a wide
                // table's row); applied once, never recursively.
                const std::size_t offset = le32(sprm.operand, 0);
                const std::size_t size = le16(data, offset);
                if (!data.empty() && offset + 2 + size <= data.size())
                    applyParagraphSprms(data.substr(offset + 2, size), {}, props);
                break;
            }
            default: tableSprm(sprm, props.cells); break;
        }
    }
}

void applyCharSprms(std::string_view grpprl, CharProps& props) {
    for (const Sprm& sprm : sprmsOf(grpprl)) {
        switch (sprm.code) {
            case kCRgFtc0: props.fontAscii = le16(sprm.operand, 0); break;
            case kCRgFtc2: props.fontOther = le16(sprm.operand, 0); break;
            case kCFSpec: props.special = toggle(sprm.operand); break;
            case kCFRMarkDel: props.deleted = toggle(sprm.operand); break;
            case kCFData: props.data = toggle(sprm.operand); break;
            case kCPicLocation: props.dataOffset = le32(sprm.operand, 0); break;
            case kCSymbol:
                props.symbolFont = le16(sprm.operand, 0);
                props.symbolChar = static_cast<char16_t>(le16(sprm.operand, 2));
                break;
            default: break;
        }
    }
}

template <typename Props>
const Props* PropertyRuns<Props>::at(std::uint32_t fc) const {
    auto it =
        std::upper_bound(runs.begin(), runs.end(), fc, [](std::uint32_t v, const Run& r) { return v < r.fcStart; });
    if (it == runs.begin()) return nullptr;
    --it;
    return fc < it->fcEnd ? &it->props : nullptr;
}

template struct PropertyRuns<ParagraphProps>;
template struct PropertyRuns<CharProps>;

namespace {

// The FKP pages a PlcfBte names, each once and inside the stream.
std::vector<std::string_view> fkpPages(const Fib& fib, FcLcb which, std::string_view doc, std::string_view table) {
    std::vector<std::string_view> pages;
    const auto [fc, lcb] = fib.at(which);
    if (lcb < 12 || fc > table.size() || lcb > table.size() - fc || (lcb - 4) % 8 != 0) return pages;
    const std::string_view plc = table.substr(fc, lcb);
    const std::size_t count = (lcb - 4) / 8;
    std::unordered_set<std::uint32_t> seen;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t pn = le32(plc, 4 * (count + 1) + 4 * i) & 0x3FFFFFU;
        const std::size_t offset = std::size_t{pn} * kFkpSize;
        if (offset + kFkpSize > doc.size() || !seen.insert(pn).second) continue;
        pages.push_back(doc.substr(offset, kFkpSize));
    }
    return pages;
}

template <typename Props>
void sortRuns(PropertyRuns<Props>& out) {
    std::stable_sort(out.runs.begin(), out.runs.end(),
                     [](const auto& a, const auto& b) { return a.fcStart < b.fcStart; });
}

}  // namespace

PropertyRuns<ParagraphProps> readParagraphRuns(const Fib& fib, std::string_view doc, std::string_view table,
                                               std::string_view data) {
    PropertyRuns<ParagraphProps> out;
    for (const std::string_view page : fkpPages(fib, FcLcb::PlcfBtePapx, doc, table)) {
        const std::size_t count = static_cast<unsigned char>(page[kFkpSize - 1]);
        if (count == 0 || 4 * (count + 1) + 13 * count > kFkpSize - 1) continue;
        for (std::size_t j = 0; j < count && out.runs.size() < kMaxRuns; ++j) {
            typename PropertyRuns<ParagraphProps>::Run run;
            run.fcStart = le32(page, 4 * j);
            run.fcEnd = le32(page, 4 * (j + 1));
            if (run.fcEnd <= run.fcStart) continue;
            const std::size_t at = 2 * std::size_t{static_cast<unsigned char>(page[4 * (count + 1) + 13 * j])};
            if (at != 0 && at < kFkpSize - 1) {
                const std::size_t cb = static_cast<unsigned char>(page[at]);
                std::size_t start = at + 1;
                std::size_t size = 2 * cb - 1;
                if (cb == 0) {
                    size = 2 * static_cast<std::size_t>(static_cast<unsigned char>(page[at + 1]));
                    start = at + 2;
                }
                // The grpprl starts with the paragraph's style (istd).
                if (size >= 2 && start + size <= kFkpSize - 1)
                    applyParagraphSprms(page.substr(start + 2, size - 2), data, run.props);
            }
            out.runs.push_back(std::move(run));
        }
    }
    sortRuns(out);
    return out;
}

PropertyRuns<CharProps> readCharRuns(const Fib& fib, std::string_view doc, std::string_view table) {
    PropertyRuns<CharProps> out;
    for (const std::string_view page : fkpPages(fib, FcLcb::PlcfBteChpx, doc, table)) {
        const std::size_t count = static_cast<unsigned char>(page[kFkpSize - 1]);
        if (count == 0 || 4 * (count + 1) + count > kFkpSize - 1) continue;
        for (std::size_t j = 0; j < count && out.runs.size() < kMaxRuns; ++j) {
            typename PropertyRuns<CharProps>::Run run;
            run.fcStart = le32(page, 4 * j);
            run.fcEnd = le32(page, 4 * (j + 1));
            if (run.fcEnd <= run.fcStart) continue;
            const std::size_t at = 2 * static_cast<std::size_t>(static_cast<unsigned char>(page[4 * (count + 1) + j]));
            if (at != 0 && at < kFkpSize - 1) {
                const std::size_t cb = static_cast<unsigned char>(page[at]);
                if (at + 1 + cb <= kFkpSize - 1) applyCharSprms(page.substr(at + 1, cb), run.props);
            }
            out.runs.push_back(run);
        }
    }
    sortRuns(out);
    return out;
}

std::vector<docx::SymbolFont> readFontKinds(const Fib& fib, std::string_view table) {
    std::vector<docx::SymbolFont> kinds;
    const auto [fc, lcb] = fib.at(FcLcb::SttbfFfn);
    if (lcb < 4 || fc > table.size() || lcb > table.size() - fc) return kinds;
    const std::string_view sttb = table.substr(fc, lcb);
    const std::size_t count = le16(sttb, 0);
    std::size_t at = 4;  // cData, cbExtra
    for (std::size_t i = 0; i < count && at < sttb.size(); ++i) {
        // An FFN: cbFfnM1, fixed fields up to byte 40, then the name (UTF-16, NUL-terminated).
        const std::size_t size = static_cast<std::size_t>(static_cast<unsigned char>(sttb[at])) + 1;
        if (at + size > sttb.size()) break;
        const std::string_view ffn = sttb.substr(at, size);
        std::vector<char16_t> units;
        for (std::size_t k = 40; k + 1 < ffn.size(); k += 2) {
            const auto unit = static_cast<char16_t>(le16(ffn, k));
            if (unit == 0) break;
            units.push_back(unit);
        }
        std::string name;
        sdk::support::appendUtf16(name, units);
        kinds.push_back(docx::symbolFont(name));
        at += size;
    }
    return kinds;
}

std::vector<SectionMark> readSections(const Fib& fib, std::string_view doc, std::string_view table) {
    std::vector<SectionMark> marks;
    const auto [fc, lcb] = fib.at(FcLcb::PlcfSed);
    if (lcb < 16 || fc > table.size() || lcb > table.size() - fc || (lcb - 4) % 16 != 0) return marks;
    const std::string_view plc = table.substr(fc, lcb);
    const std::size_t count = (lcb - 4) / 16;
    const auto breaksPage = [&](std::size_t section) {
        // sprmSBkc in the section's SEPX; absent: a new page.
        const std::size_t sepx = le32(plc, 4 * (count + 1) + 12 * section + 2);
        if (sepx == 0xFFFFFFFFU || sepx + 2 > doc.size()) return true;
        const std::size_t size = le16(doc, sepx);
        if (sepx + 2 + size > doc.size()) return true;
        bool page = true;
        for (const Sprm& sprm : sprmsOf(doc.substr(sepx + 2, size)))
            if (sprm.code == kSBkc && !sprm.operand.empty()) page = sprm.operand[0] >= 2;
        return page;
    };
    for (std::size_t i = 0; i + 1 < count; ++i) {
        const std::uint32_t end = le32(plc, 4 * (i + 1));
        if (end > 0 && (marks.empty() || end - 1 > marks.back().cp)) marks.push_back({end - 1, breaksPage(i + 1)});
    }
    return marks;
}

namespace {

// Reads an Xstz (a 16-bit count, UTF-16 text, a NUL) at `at`; advances `at`.
bool xstz(std::string_view bytes, std::size_t& at, std::string* text, bool terminated = true) {
    if (at + 2 > bytes.size()) return false;
    const std::size_t count = le16(bytes, at);
    at += 2;
    if (at + 2 * count + (terminated ? 2 : 0) > bytes.size()) return false;
    if (text != nullptr) {
        std::vector<char16_t> units;
        for (std::size_t k = 0; k < count; ++k) units.push_back(static_cast<char16_t>(le16(bytes, at + 2 * k)));
        sdk::support::appendUtf16(*text, units);
    }
    at += 2 * count + (terminated ? 2 : 0);
    return true;
}

}  // namespace

std::optional<FormFieldData> readFormFieldData(std::string_view data, std::int64_t offset) {
    // At the offset: the record's size (4 bytes) and header size (2), then FFData.
    if (offset < 0 || static_cast<std::uint64_t>(offset) + 6 > data.size()) return std::nullopt;
    const std::size_t base = static_cast<std::size_t>(offset);
    const std::size_t size = le32(data, base);
    const std::size_t header = le16(data, base + 4);
    if (size > data.size() - base || header + 10 > size) return std::nullopt;
    const std::string_view ff = data.substr(base + header, size - header);
    if (le32(ff, 0) != 0xFFFFFFFFU) return std::nullopt;
    const std::uint16_t bits = le16(ff, 4);
    FormFieldData out;
    const unsigned type = bits & 3U;
    const unsigned result = (bits >> 2U) & 0x1FU;
    out.kind = type == 1 ? FormFieldData::Kind::CheckBox
                         : (type == 2 ? FormFieldData::Kind::DropDown : FormFieldData::Kind::Text);
    std::size_t at = 10;                     // version, bits, cch, hps
    if (!xstz(ff, at, nullptr)) return out;  // the name
    std::uint16_t byDefault = 0;
    if (out.kind == FormFieldData::Kind::Text) {
        if (!xstz(ff, at, nullptr)) return out;
    } else {
        byDefault = le16(ff, at);
        at += 2;
    }
    const unsigned chosen = result == 25 ? byDefault : result;  // 25: "the default"
    out.checked = out.kind == FormFieldData::Kind::CheckBox && chosen != 0;
    if (out.kind != FormFieldData::Kind::DropDown) return out;
    for (int i = 0; i < 5; ++i)  // format, help, status text, entry and exit macros
        if (!xstz(ff, at, nullptr)) return out;
    // hsttbDropList: an extended STTB of the entries.
    if (le16(ff, at) != 0xFFFF) return out;
    const std::size_t count = le16(ff, at + 2);
    at += 6;
    for (std::size_t i = 0; i < count; ++i) {
        std::string entry;
        if (!xstz(ff, at, &entry, false)) break;
        if (i == chosen) {
            out.choice = std::move(entry);
            break;
        }
    }
    return out;
}

std::vector<TextBox> readTextBoxes(const Fib& fib, std::string_view table) {
    std::vector<TextBox> boxes;
    if (fib.ccpTextBoxes == 0) return boxes;
    const auto plcOf = [&](FcLcb which, std::size_t record) -> std::pair<std::string_view, std::size_t> {
        const auto [fc, lcb] = fib.at(which);
        if (lcb < 4 + record || fc > table.size() || lcb > table.size() - fc || (lcb - 4) % (4 + record) != 0)
            return {{}, 0};
        return {table.substr(fc, lcb), (lcb - 4) / (4 + record)};
    };
    // FTXBXS (22 bytes): fReusable at 8, lid (the shape's id) at 14.
    const auto [texts, textCount] = plcOf(FcLcb::PlcftxbxTxt, 22);
    // FSPA (26 bytes): spid at 0.
    const auto [shapes, shapeCount] = plcOf(FcLcb::PlcSpaMom, 26);
    std::unordered_map<std::uint32_t, std::size_t> byShape;  // lid -> text box, the first of each
    for (std::size_t t = 0; t < textCount; ++t) {
        const std::size_t record = 4 * (textCount + 1) + 22 * t;
        if (le16(texts, record + 8) == 0) byShape.emplace(le32(texts, record + 14), t);
    }
    const auto add = [&](std::uint32_t anchor, std::size_t t) {
        const std::uint32_t start = le32(texts, 4 * t);
        const std::uint32_t end = le32(texts, 4 * (t + 1));
        if (start < end && end <= fib.ccpTextBoxes)
            boxes.push_back({anchor, fib.textBoxStart + start, fib.textBoxStart + end});
    };
    std::unordered_set<std::size_t> used;  // each text box shown once, at its first anchor
    std::optional<std::uint32_t> bare;     // the first anchor with no text box of its own
    for (std::size_t s = 0; s < shapeCount; ++s) {
        const std::uint32_t anchor = le32(shapes, 4 * s);
        const auto it = byShape.find(le32(shapes, 4 * (shapeCount + 1) + 26 * s));
        if (it == byShape.end()) {
            if (!bare) bare = anchor;
        } else if (used.insert(it->second).second) {
            add(anchor, it->second);
        }
    }
    // Text boxes inside a group of shapes name their own shape, not the
    // group anchored in the text (that link is in the drawing, not read
    // here): they are shown at the first anchor without a text box.
    if (bare)
        for (std::size_t t = 0; t < textCount; ++t) {
            const std::size_t record = 4 * (textCount + 1) + 22 * t;
            if (le16(texts, record + 8) == 0 && le32(texts, record + 14) != 0 && used.insert(t).second) add(*bare, t);
        }
    std::stable_sort(boxes.begin(), boxes.end(),
                     [](const TextBox& a, const TextBox& b) { return a.anchor < b.anchor; });
    return boxes;
}

Summary readSummary(std::string_view stream) {
    // A property set: a header, one section (FMTID, offset), the section's
    // size, count and (id, offset) pairs; strings are VT_LPSTR (code page of
    // property 1) or VT_LPWSTR.
    Summary out;
    if (stream.size() < 48 || le16(stream, 0) != 0xFFFE || le32(stream, 24) == 0) return out;
    const std::size_t section = le32(stream, 44);
    if (section + 8 > stream.size()) return out;
    const std::size_t count = std::min<std::size_t>(le32(stream, section + 4), 256);
    int codePage = 1252;
    std::vector<std::pair<std::uint32_t, std::size_t>> props;
    for (std::size_t i = 0; i < count && section + 8 + 8 * (i + 1) <= stream.size(); ++i)
        props.emplace_back(le32(stream, section + 8 + 8 * i), section + le32(stream, section + 12 + 8 * i));
    for (const auto& [id, at] : props)
        if (id == 1 && le32(stream, at) == 2) codePage = le16(stream, at + 4);  // VT_I2
    for (const auto& [id, at] : props) {
        if (id != 2 && id != 18) continue;
        const std::uint32_t type = le32(stream, at);
        const std::size_t length = le32(stream, at + 4);
        std::string text;
        if (type == 0x1E && at + 8 + length <= stream.size() && length <= 4096) {
            for (std::size_t k = 0; k < length; ++k) {
                const auto byte = static_cast<unsigned char>(stream[at + 8 + k]);
                if (byte == 0) break;
                if (codePage == 65001)
                    text += static_cast<char>(byte);
                else
                    sdk::support::appendUtf8(text, decodeByte(codePage, byte));
            }
            if (codePage == 65001) text = sdk::support::sanitizeUtf8(text);
        } else if (type == 0x1F && at + 8 + 2 * length <= stream.size() && length <= 4096) {
            std::vector<char16_t> units;
            for (std::size_t k = 0; k < length; ++k) {
                const auto unit = static_cast<char16_t>(le16(stream, at + 8 + 2 * k));
                if (unit == 0) break;
                units.push_back(unit);
            }
            sdk::support::appendUtf16(text, units);
        }
        (id == 2 ? out.title : out.application) = std::move(text);
    }
    return out;
}

}  // namespace formproc::word_legacy
