// Writers for the word-legacy tests: an OLE2 compound file writer and a
// small Word 97 binary (.doc) writer, so that the tests can make exactly the
// structures Word writes (sprmCSymbol ticks, FFData form fields, merged and
// nested table cells, 8-bit pieces, sections) and what no honest writer
// makes (FAT loops, lying sizes, encryption flags, macro storages).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::test::legacy {

inline void put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v & 0xFFU);
    out += static_cast<char>((v >> 8U) & 0xFFU);
}

inline void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFFU);
    put16(out, v >> 16U);
}

inline void set16(std::string& out, std::size_t at, std::uint32_t v) {
    out[at] = static_cast<char>(v & 0xFFU);
    out[at + 1] = static_cast<char>((v >> 8U) & 0xFFU);
}

inline void set32(std::string& out, std::size_t at, std::uint32_t v) {
    set16(out, at, v & 0xFFFFU);
    set16(out, at + 2, v >> 16U);
}

inline std::uint32_t get32(std::string_view in, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 4; k-- > 0;) v = (v << 8U) | static_cast<unsigned char>(in[at + k]);
    return v;
}

// --- OLE2 compound files ---------------------------------------------------

struct CfbNode {
    std::string name;
    bool storage = false;
    std::string data;               // a stream's bytes
    std::vector<CfbNode> children;  // a storage's entries
};

// Where things went, so that a test can corrupt them.
struct CfbLayout {
    std::string bytes;
    std::map<std::string, std::uint32_t> firstSector;  // streams in regular sectors, by name
    std::map<std::string, std::size_t> entryOffset;    // directory entries (file offsets), by name
    std::vector<std::uint32_t> fatSectors;
    std::uint32_t directorySector = 0;

    std::size_t sectorOffset(std::uint32_t sector) const { return (static_cast<std::size_t>(sector) + 1) * 512; }
    // The file offset of the FAT entry of `sector`.
    std::size_t fatEntry(std::uint32_t sector) const {
        return sectorOffset(fatSectors[sector / 128]) + 4 * (sector % 128);
    }
};

inline constexpr std::uint32_t kEnd = 0xFFFFFFFE;
inline constexpr std::uint32_t kFree = 0xFFFFFFFF;
inline constexpr std::uint32_t kNone = 0xFFFFFFFF;

// Writes a version 3 compound file (512-byte sectors) holding `nodes` below
// the root: streams under 4096 bytes go to the mini stream, as MS-CFB says.
inline CfbLayout writeCfb(const std::vector<CfbNode>& nodes) {
    struct Flat {
        const CfbNode* node;
        std::uint32_t child = kNone;
        std::uint32_t right = kNone;
        std::uint32_t start = kEnd;
        std::uint32_t size = 0;
    };
    std::vector<Flat> flat{{nullptr}};
    // Siblings are chained through right links (a degenerate but valid tree).
    auto add = [&](auto& self, const std::vector<CfbNode>& list) -> std::uint32_t {
        std::uint32_t first = kNone;
        std::uint32_t previous = kNone;
        for (const CfbNode& node : list) {
            const auto index = static_cast<std::uint32_t>(flat.size());
            flat.push_back({&node});
            if (previous == kNone)
                first = index;
            else
                flat[previous].right = index;
            previous = index;
            if (node.storage) {
                const std::uint32_t child = self(self, node.children);
                flat[index].child = child;
            }
        }
        return first;
    };
    flat[0].child = add(add, nodes);

    std::string mini;
    std::vector<std::uint32_t> miniFat;
    std::vector<std::string> regular;  // the chains' contents, in allocation order
    std::vector<std::size_t> regularOwner;
    for (std::size_t i = 1; i < flat.size(); ++i) {
        const CfbNode& node = *flat[i].node;
        if (node.storage) continue;
        flat[i].size = static_cast<std::uint32_t>(node.data.size());
        if (node.data.empty()) continue;
        if (node.data.size() < 4096) {
            const auto first = static_cast<std::uint32_t>(mini.size() / 64);
            const std::size_t count = (node.data.size() + 63) / 64;
            for (std::size_t k = 0; k < count; ++k)
                miniFat.push_back(k + 1 < count ? first + static_cast<std::uint32_t>(k) + 1 : kEnd);
            mini += node.data;
            mini.resize(mini.size() + (64 - mini.size() % 64) % 64, '\0');
            flat[i].start = first;
        } else {
            regular.push_back(node.data);
            regularOwner.push_back(i);
        }
    }
    if (!mini.empty()) {
        regular.push_back(mini);
        regularOwner.push_back(0);
        flat[0].size = static_cast<std::uint32_t>(mini.size());
    }
    std::string miniFatBytes;
    for (const std::uint32_t v : miniFat) put32(miniFatBytes, v);
    const bool hasMiniFat = !miniFatBytes.empty();
    if (hasMiniFat) {
        regular.push_back(miniFatBytes);
        regularOwner.push_back(SIZE_MAX - 1);
    }
    // The directory: 128 bytes an entry, padded to whole sectors.
    std::string directory;
    std::map<std::string, std::size_t> entryAt;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        std::string entry(128, '\0');
        const std::string name = i == 0 ? "Root Entry" : flat[i].node->name;
        for (std::size_t k = 0; k < name.size() && k < 31; ++k) entry[2 * k] = name[k];
        set16(entry, 64, static_cast<std::uint32_t>(2 * (std::min<std::size_t>(name.size(), 31) + 1)));
        entry[66] = static_cast<char>(i == 0 ? 5 : (flat[i].node->storage ? 1 : 2));
        entry[67] = 1;  // black
        set32(entry, 68, kNone);
        set32(entry, 72, flat[i].right);
        set32(entry, 76, flat[i].child);
        entryAt[name] = directory.size();
        directory += entry;
    }
    while (directory.size() % 512 != 0) {
        std::string empty(128, '\0');
        set32(empty, 68, kNone);
        set32(empty, 72, kNone);
        set32(empty, 76, kNone);
        directory += empty;
    }
    regular.push_back(directory);
    regularOwner.push_back(SIZE_MAX);

    // Allocate sectors chain by chain, then the FAT after them.
    std::vector<std::uint32_t> fat;
    std::vector<std::uint32_t> starts;
    for (const std::string& chain : regular) {
        const auto first = static_cast<std::uint32_t>(fat.size());
        const std::size_t count = (chain.size() + 511) / 512;
        for (std::size_t k = 0; k < count; ++k)
            fat.push_back(k + 1 < count ? first + static_cast<std::uint32_t>(k) + 1 : kEnd);
        starts.push_back(first);
    }
    std::size_t fatSectors = 1;
    while (fat.size() + fatSectors > fatSectors * 128) ++fatSectors;
    CfbLayout layout;
    for (std::size_t k = 0; k < fatSectors; ++k) {
        layout.fatSectors.push_back(static_cast<std::uint32_t>(fat.size()));
        fat.push_back(0xFFFFFFFD);
    }
    fat.resize(fatSectors * 128, kFree);

    std::uint32_t miniFatStart = kEnd;
    for (std::size_t c = 0; c < regular.size(); ++c) {
        const std::size_t owner = regularOwner[c];
        if (owner == SIZE_MAX)
            layout.directorySector = starts[c];
        else if (owner == SIZE_MAX - 1)
            miniFatStart = starts[c];
        else {
            flat[owner].start = starts[c];
            if (owner != 0) layout.firstSector[flat[owner].node->name] = starts[c];
        }
    }
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const std::size_t at = i * 128;
        set32(directory, at + 116, flat[i].start);
        set32(directory, at + 120, flat[i].size);
    }
    regular.back() = directory;

    std::string out(512, '\0');
    out.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    set16(out, 24, 0x3E);
    set16(out, 26, 3);
    set16(out, 28, 0xFFFE);
    set16(out, 30, 9);
    set16(out, 32, 6);
    set32(out, 44, static_cast<std::uint32_t>(fatSectors));
    set32(out, 48, layout.directorySector);
    set32(out, 56, 4096);
    set32(out, 60, miniFatStart);
    set32(out, 64, static_cast<std::uint32_t>(hasMiniFat ? (miniFatBytes.size() + 511) / 512 : 0));
    set32(out, 68, kEnd);
    for (std::size_t k = 0; k < 109; ++k) set32(out, 76 + 4 * k, k < fatSectors ? layout.fatSectors[k] : kFree);
    for (const std::string& chain : regular) {
        out += chain;
        out.resize(out.size() + (512 - out.size() % 512) % 512, '\0');
    }
    for (const std::uint32_t v : fat) put32(out, v);
    for (const auto& [name, at] : entryAt) layout.entryOffset[name] = layout.sectorOffset(layout.directorySector) + at;
    layout.bytes = std::move(out);
    return layout;
}

// --- Word 97 binary ----------------------------------------------------------

inline std::string sprm(std::uint16_t code, std::string_view operand) {
    std::string out;
    put16(out, code);
    out += operand;
    return out;
}
inline std::string sprm8(std::uint16_t code, std::uint8_t value) {
    return sprm(code, std::string(1, static_cast<char>(value)));
}
inline std::string sprm16(std::uint16_t code, std::uint32_t value) {
    std::string v;
    put16(v, value);
    return sprm(code, v);
}
inline std::string sprm32(std::uint16_t code, std::uint32_t value) {
    std::string v;
    put32(v, value);
    return sprm(code, v);
}

// Paragraph properties.
inline std::string inTable() { return sprm8(0x2416, 1); }
inline std::string rowEnd() { return sprm8(0x2417, 1); }
inline std::string tableDepth(std::uint32_t depth) { return sprm32(0x6649, depth); }
inline std::string innerCell() { return sprm8(0x244B, 1); }
inline std::string innerRowEnd() { return sprm8(0x244C, 1); }
inline std::string pageBreakBefore() { return sprm8(0x2407, 1); }

struct TableCell {
    std::int16_t right;       // edge in twips
    std::uint16_t flags = 0;  // TC80 tcgrf: 2 = merged with the cell before, 0x20 = with the one above
};

// sprmTDefTable: the row's left edge and its cells.
inline std::string defineTable(std::int16_t left, const std::vector<TableCell>& cells) {
    std::string body;
    body += static_cast<char>(cells.size());
    put16(body, static_cast<std::uint16_t>(left));
    for (const auto& cell : cells) put16(body, static_cast<std::uint16_t>(cell.right));
    for (const auto& cell : cells) {
        std::string tc(20, '\0');
        set16(tc, 0, cell.flags);
        body += tc;
    }
    std::string out;
    put16(out, 0xD608);
    put16(out, static_cast<std::uint32_t>(body.size() + 1));
    return out + body;
}

// Character properties.
inline std::string fonts(std::uint16_t font) { return sprm16(0x4A4F, font) + sprm16(0x4A51, font); }
inline std::string special() { return sprm8(0x0855, 1); }
inline std::string deleted() { return sprm8(0x0800, 1); }
inline std::string symbol(std::uint16_t font, std::uint16_t character) {
    std::string v;
    put16(v, font);
    put16(v, character);
    return special() + sprm(0x6A09, v);
}
inline std::string formData(std::uint32_t offset) { return sprm8(0x0806, 1) + sprm32(0x6A03, offset) + special(); }

// A small .doc: text appended run by run, each paragraph closed by a mark
// with its properties. One piece of UTF-16 text, or of 8-bit text when
// `compressed` (then every character must be below U+0100).
class DocBuilder {
public:
    // Font indices of the default font table.
    static constexpr std::uint16_t kTimes = 0, kSymbol = 1, kArial = 2, kWingdings = 3, kWingdings2 = 4;

    bool compressed = false;
    bool encrypted = false;
    bool obfuscated = false;
    std::uint16_t nFib = 0x00C1;
    std::vector<std::string> fontNames{"Times New Roman", "Symbol", "Arial", "Wingdings", "Wingdings 2"};

    void text(std::u16string_view t, const std::string& chpx = {}) {
        const auto start = static_cast<std::uint32_t>(_text.size());
        _text += t;
        if (!chpx.empty()) _chars.push_back({start, static_cast<std::uint32_t>(_text.size()), chpx});
    }
    void text(std::string_view utf8, const std::string& chpx = {}) { text(widen(utf8), chpx); }
    // Ends a paragraph (0x0D), a cell (0x07 with inTable) or a row.
    void mark(char16_t mark, const std::string& papx = {}) {
        _text += mark;
        _paragraphs.push_back({static_cast<std::uint32_t>(_text.size()), papx});
    }
    void paragraph(std::string_view utf8, const std::string& papx = {}) {
        text(utf8);
        mark(u'\r', papx);
    }
    // A section ends at the next mark; `breakKind` is the next section's sprmSBkc (0 continuous, 2 new page).
    void sectionBreak(std::uint8_t breakKind) {
        _text += u'\f';
        _paragraphs.push_back({static_cast<std::uint32_t>(_text.size()), {}});
        _sections.push_back({static_cast<std::uint32_t>(_text.size()), breakKind});
    }
    // A text box anchored here (a drawn object, 0x08): its paragraphs go to
    // the text-box story. `lid` is the shape its text names: the anchor's
    // own (`spid`), or another one (a shape inside a group).
    void textBox(const std::vector<std::string>& paragraphs, std::uint32_t spid, std::uint32_t lid) {
        _boxes.push_back({static_cast<std::uint32_t>(_text.size()), spid, lid, {}});
        text(u"\x08", special());
        for (const auto& p : paragraphs) _boxes.back().text += widen(p) + u"\r";
    }
    // A legacy form field: begin, instruction, the data mark, separator, result, end.
    void formField(std::string_view instruction, std::uint32_t dataOffset, std::string_view result = {}) {
        text(u"\x13", special());
        text(std::string(" ") + std::string(instruction) + " ");
        text(u"\x01", formData(dataOffset));
        text(u"\x14", special());
        text(result);
        text(u"\x15", special());
    }
    // FFData in the Data stream; returns its offset. type: 0 text, 1 check box, 2 drop-down.
    std::uint32_t addFormData(unsigned type, unsigned result, unsigned byDefault = 0,
                              const std::vector<std::string>& entries = {}) {
        std::string ff;
        put32(ff, 0xFFFFFFFF);
        put16(ff, (type & 3U) | ((result & 0x1FU) << 2U) | (entries.empty() ? 0U : 0x8000U));
        put16(ff, 0);
        put16(ff, 0);
        put32(ff, 0);  // xstzName: empty
        if (type == 0)
            put32(ff, 0);
        else
            put16(ff, byDefault);
        for (int i = 0; i < 5; ++i) put32(ff, 0);
        if (type == 2) {
            put16(ff, 0xFFFF);
            put16(ff, static_cast<std::uint32_t>(entries.size()));
            put16(ff, 0);
            for (const auto& e : entries) {
                const std::u16string w = widen(e);
                put16(ff, static_cast<std::uint32_t>(w.size()));
                for (char16_t c : w) put16(ff, c);
            }
        }
        const auto offset = static_cast<std::uint32_t>(_data.size());
        put32(_data, static_cast<std::uint32_t>(0x44 + ff.size()));
        put16(_data, 0x44);
        _data.append(0x44 - 6, '\0');
        _data += ff;
        return offset;
    }

    struct Streams {
        std::string wordDocument;
        std::string table;
        std::string data;
    };
    Streams build() const;
    // The .doc as a compound file, with `extra` entries beside the streams.
    CfbLayout file(const std::vector<CfbNode>& extra = {}) const {
        const Streams s = build();
        std::vector<CfbNode> nodes{{"WordDocument", false, s.wordDocument, {}}, {"1Table", false, s.table, {}}};
        if (!s.data.empty()) nodes.push_back({"Data", false, s.data, {}});
        nodes.insert(nodes.end(), extra.begin(), extra.end());
        return writeCfb(nodes);
    }

    static std::u16string widen(std::string_view utf8) {
        std::u16string out;
        for (std::size_t i = 0; i < utf8.size();) {
            const auto b = static_cast<unsigned char>(utf8[i]);
            char32_t cp = b;
            std::size_t n = 1;
            if (b >= 0xF0)
                cp = b & 0x07U, n = 4;
            else if (b >= 0xE0)
                cp = b & 0x0FU, n = 3;
            else if (b >= 0xC0)
                cp = b & 0x1FU, n = 2;
            for (std::size_t k = 1; k < n && i + k < utf8.size(); ++k)
                cp = (cp << 6U) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
            i += n;
            if (cp >= 0x10000) {
                out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10U));
                out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FFU));
            } else {
                out += static_cast<char16_t>(cp);
            }
        }
        return out;
    }

private:
    struct CharRun {
        std::uint32_t cpStart, cpEnd;
        std::string grpprl;
    };
    struct Paragraph {
        std::uint32_t cpEnd;  // one past the mark
        std::string grpprl;
    };
    struct Section {
        std::uint32_t cpEnd;
        std::uint8_t breakKind;
    };
    struct Box {
        std::uint32_t anchor, spid, lid;
        std::u16string text;
    };
    std::vector<Box> _boxes;
    std::u16string _text;
    std::vector<CharRun> _chars;
    std::vector<Paragraph> _paragraphs;
    std::vector<Section> _sections;
    std::string _data;
};

inline DocBuilder::Streams DocBuilder::build() const {
    constexpr std::uint32_t kTextAt = 1024;
    const std::uint32_t width = compressed ? 1 : 2;
    const auto fcOf = [&](std::uint32_t cp) { return kTextAt + width * cp; };
    Streams s;
    std::string& doc = s.wordDocument;
    doc.assign(kTextAt, '\0');
    // The main text, then the text-box story (each box's paragraphs, and a
    // last paragraph mark as Word writes).
    std::u16string all = _text;
    std::vector<Paragraph> paragraphsAll = _paragraphs;
    std::vector<std::uint32_t> boxEnds{0};
    for (const auto& box : _boxes) {
        for (char16_t c : box.text) {
            all += c;
            if (c == u'\r') paragraphsAll.push_back({static_cast<std::uint32_t>(all.size()), {}});
        }
        boxEnds.push_back(static_cast<std::uint32_t>(all.size() - _text.size()));
    }
    if (!_boxes.empty()) {
        all += u'\r';
        paragraphsAll.push_back({static_cast<std::uint32_t>(all.size()), {}});
    }
    for (char16_t c : all) {
        if (compressed)
            doc += static_cast<char>(c & 0xFFU);
        else
            put16(doc, c);
    }
    // At least 4 KiB, so that the stream lies in regular sectors (as Word's do).
    doc.resize(std::max<std::size_t>(4096, doc.size() + (512 - doc.size() % 512) % 512), '\0');

    // FKP pages: runs over the whole text (gaps filled with empty runs).
    struct FcRun {
        std::uint32_t fcStart, fcEnd;
        std::string grpprl;
    };
    const auto pages = [&](std::vector<FcRun> runs, bool paragraphs) {
        // The grpprl of a run as its FKP stores it.
        const auto bodyOf = [&](const FcRun& run) {
            if (!paragraphs) return run.grpprl.empty() ? std::string() : char(run.grpprl.size()) + run.grpprl;
            std::string grpprl("\0\0", 2);  // istd 0
            grpprl += run.grpprl;
            if (grpprl.size() % 2 == 1) return char((grpprl.size() + 1) / 2) + grpprl;
            return std::string(1, '\0') + char(grpprl.size() / 2) + grpprl;
        };
        std::string plc;
        std::vector<std::uint32_t> firsts;
        std::vector<std::uint32_t> pns;
        const std::size_t perRun = paragraphs ? 17 : 5;  // rgfc entry and rgb/rgbx entry
        for (std::size_t begin = 0; begin < runs.size();) {
            // As many runs as fit: their offsets and properties from both ends of the page.
            std::size_t count = 0;
            std::size_t bodies = 0;
            while (begin + count < runs.size()) {
                const std::size_t body = (bodyOf(runs[begin + count]).size() + 1) & ~std::size_t{1};
                if (4 + perRun * (count + 1) + bodies + body > 510 || count == (paragraphs ? 29U : 101U)) break;
                bodies += body;
                ++count;
            }
            std::string page(512, '\0');
            std::size_t top = 511;
            for (std::size_t j = 0; j < count; ++j) {
                const FcRun& run = runs[begin + j];
                set32(page, 4 * j, run.fcStart);
                set32(page, 4 * (j + 1), run.fcEnd);
                const std::string body = bodyOf(run);
                std::size_t at = 0;
                if (!body.empty()) {
                    top = (top - body.size()) & ~std::size_t{1};
                    page.replace(top, body.size(), body);
                    at = top / 2;
                }
                if (paragraphs)
                    page[4 * (count + 1) + 13 * j] = static_cast<char>(at);
                else
                    page[4 * (count + 1) + j] = static_cast<char>(at);
            }
            page[511] = static_cast<char>(count);
            firsts.push_back(runs[begin].fcStart);
            pns.push_back(static_cast<std::uint32_t>(doc.size() / 512));
            doc += page;
            begin += count;
        }
        for (const auto f : firsts) put32(plc, f);
        put32(plc, runs.empty() ? kTextAt : runs.back().fcEnd);
        for (const auto pn : pns) put32(plc, pn);
        return plc;
    };
    std::vector<FcRun> chars;
    std::uint32_t cp = 0;
    for (const auto& run : _chars) {
        if (run.cpStart > cp) chars.push_back({fcOf(cp), fcOf(run.cpStart), {}});
        chars.push_back({fcOf(run.cpStart), fcOf(run.cpEnd), run.grpprl});
        cp = run.cpEnd;
    }
    if (cp < all.size()) chars.push_back({fcOf(cp), fcOf(static_cast<std::uint32_t>(all.size())), {}});
    std::vector<FcRun> paras;
    cp = 0;
    for (const auto& p : paragraphsAll) {
        paras.push_back({fcOf(cp), fcOf(p.cpEnd), p.grpprl});
        cp = p.cpEnd;
    }
    const std::string plcChpx = pages(chars, false);
    const std::string plcPapx = pages(paras, true);
    // SEPXs, then the FIB.
    std::vector<std::uint32_t> sepx{kNone};  // the first section: no SEPX (a new page)
    for (const auto& section : _sections) {
        sepx.push_back(static_cast<std::uint32_t>(doc.size()));
        const std::string grpprl = sprm8(0x3009, section.breakKind);
        put16(doc, static_cast<std::uint32_t>(grpprl.size()));
        doc += grpprl;
    }

    std::string& table = s.table;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> fcLcb(93, {0, 0});
    const auto place = [&](int index, const std::string& bytes) {
        fcLcb[static_cast<std::size_t>(index)] = {static_cast<std::uint32_t>(table.size()),
                                                  static_cast<std::uint32_t>(bytes.size())};
        table += bytes;
    };
    std::string clx;
    clx += '\x02';
    std::string plcPcd;
    put32(plcPcd, 0);
    put32(plcPcd, static_cast<std::uint32_t>(all.size()));
    put16(plcPcd, 0);
    put32(plcPcd, compressed ? ((kTextAt * 2) | 0x40000000U) : kTextAt);
    put16(plcPcd, 0);
    put32(clx, static_cast<std::uint32_t>(plcPcd.size()));
    clx += plcPcd;
    place(33, clx);
    place(12, plcChpx);
    place(13, plcPapx);
    std::string ffn;
    put16(ffn, static_cast<std::uint32_t>(fontNames.size()));
    put16(ffn, 0);
    for (const auto& name : fontNames) {
        std::string record(40, '\0');
        set16(record, 2, 400);
        for (char c : name) put16(record, static_cast<unsigned char>(c));
        put16(record, 0);
        record[0] = static_cast<char>(record.size() - 1);
        ffn += record;
    }
    place(15, ffn);
    if (!_boxes.empty()) {
        std::string spa;  // PlcSpaMom: anchors, then FSPA (26 bytes, spid first)
        for (const auto& box : _boxes) put32(spa, box.anchor);
        put32(spa, static_cast<std::uint32_t>(_text.size()));
        for (const auto& box : _boxes) {
            std::string fspa(26, '\0');
            set32(fspa, 0, box.spid);
            spa += fspa;
        }
        place(40, spa);
        std::string txbx;  // PlcftxbxTxt: story CPs, then FTXBXS (22 bytes, lid at 14), a dummy last
        for (const auto end : boxEnds) put32(txbx, end);
        put32(txbx, boxEnds.back() + 1);
        for (std::size_t i = 0; i <= _boxes.size(); ++i) {
            std::string ftxbxs(22, '\0');
            set32(ftxbxs, 0, 1);
            set32(ftxbxs, 14, i < _boxes.size() ? _boxes[i].lid : 0);
            txbx += ftxbxs;
        }
        place(56, txbx);
    }
    if (!_sections.empty()) {
        std::string sed;
        put32(sed, 0);
        for (const auto& section : _sections) put32(sed, section.cpEnd);
        put32(sed, static_cast<std::uint32_t>(_text.size()));
        for (const auto at : sepx) {
            put16(sed, 0);
            put32(sed, at);
            put16(sed, 0);
            put32(sed, kNone);
        }
        place(6, sed);
    }

    set16(doc, 0, 0xA5EC);
    set16(doc, 2, nFib);
    set16(doc, 0x0A, 0x0200U | (encrypted ? 0x0100U : 0U) | (obfuscated ? 0x8100U : 0U));
    set16(doc, 0x20, 14);
    set16(doc, 0x3E, 22);
    set32(doc, 0x40, static_cast<std::uint32_t>(doc.size()));
    set32(doc, 0x4C, static_cast<std::uint32_t>(_text.size()));
    set32(doc, 0x64, static_cast<std::uint32_t>(all.size() - _text.size()));  // ccpTxbx
    set16(doc, 0x98, 93);
    for (std::size_t i = 0; i < fcLcb.size(); ++i) {
        set32(doc, 0x9A + 8 * i, fcLcb[i].first);
        set32(doc, 0x9E + 8 * i, fcLcb[i].second);
    }
    s.data = _data;
    return s;
}

}  // namespace formproc::test::legacy
