#include "compound_file.hpp"

#include <algorithm>

#include "formproc/sdk/support/text.hpp"

namespace formproc::word_legacy {

namespace {

constexpr std::string_view kSignature("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kFreeSector = 0xFFFFFFFF;
constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
constexpr std::size_t kHeaderSize = 512;
constexpr std::size_t kEntrySize = 128;
constexpr std::size_t kMiniSectorSize = 64;
constexpr std::size_t kHeaderDifatEntries = 109;

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool sameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerAscii(x) == lowerAscii(y); });
}

}  // namespace

std::uint32_t CompoundFile::u32(std::size_t offset) const {
    std::uint32_t v = 0;
    for (std::size_t i = 4; i-- > 0;) v = (v << 8U) | static_cast<unsigned char>(_bytes[offset + i]);
    return v;
}

CfbError CompoundFile::fail(CfbError error, std::string detail) {
    _detail = std::move(detail);
    return error;
}

CfbError CompoundFile::open() {
    if (const CfbError e = readHeader(); e != CfbError::None) return e;
    if (const CfbError e = loadFat(); e != CfbError::None) return e;
    if (const CfbError e = loadDirectory(); e != CfbError::None) return e;
    return collectRootEntries();
}

CfbError CompoundFile::readHeader() {
    if (_bytes.size() < kHeaderSize || _bytes.substr(0, kSignature.size()) != kSignature)
        return fail(CfbError::NotCompoundFile, "no OLE2 compound file header");
    const auto u16at = [&](std::size_t offset) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(_bytes[offset])) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(_bytes[offset + 1])) << 8U);
    };
    _majorVersion = u16at(26);
    if (u16at(28) != 0xFFFE) return fail(CfbError::Corrupt, "bad byte-order mark");
    _sectorShift = u16at(30);
    if (!((_majorVersion == 3 && _sectorShift == 9) || (_majorVersion == 4 && _sectorShift == 12)))
        return fail(CfbError::Corrupt, "unsupported version " + std::to_string(_majorVersion) + " / sector shift " +
                                           std::to_string(_sectorShift));
    if (u16at(32) != 6) return fail(CfbError::Corrupt, "mini sector size is not 64");
    _sectorSize = std::size_t{1} << _sectorShift;
    if (_bytes.size() < _sectorSize) return fail(CfbError::Truncated, "shorter than its header sector");
    _sectorCount = (_bytes.size() - _sectorSize + _sectorSize - 1) / _sectorSize;
    _fatSectors = u32(44);
    _firstDirectorySector = u32(48);
    _miniCutoff = u32(56);
    _firstMiniFatSector = u32(60);
    _miniFatSectors = u32(64);
    _firstDifatSector = u32(68);
    _difatSectors = u32(72);
    if (_miniCutoff != 4096) return fail(CfbError::Corrupt, "mini stream cutoff is not 4096");
    // Every FAT sector is a sector of the file: a larger count is a lie.
    if (_fatSectors == 0 || _fatSectors > _sectorCount) return fail(CfbError::Corrupt, "impossible FAT sector count");
    return CfbError::None;
}

CfbError CompoundFile::loadFat() {
    // The DIFAT lists the FAT's sectors: 109 in the header, the rest in a
    // chain of DIFAT sectors whose last entry points to the next.
    std::vector<std::uint32_t> fatSectors;
    fatSectors.reserve(_fatSectors);
    for (std::size_t i = 0; i < kHeaderDifatEntries && fatSectors.size() < _fatSectors; ++i)
        fatSectors.push_back(u32(76 + 4 * i));
    const std::size_t perSector = _sectorSize / 4 - 1;
    std::uint32_t next = _firstDifatSector;
    std::size_t steps = 0;
    while (fatSectors.size() < _fatSectors && next < kMaxRegularSector) {
        if (++steps > _difatSectors || steps > _sectorCount) return fail(CfbError::Corrupt, "the DIFAT chain loops");
        if (next >= _sectorCount) return fail(CfbError::Truncated, "a DIFAT sector lies past the end of the file");
        const std::size_t base = (static_cast<std::size_t>(next) + 1) * _sectorSize;
        if (base + _sectorSize > _bytes.size()) return fail(CfbError::Truncated, "a DIFAT sector is cut short");
        for (std::size_t i = 0; i < perSector && fatSectors.size() < _fatSectors; ++i)
            fatSectors.push_back(u32(base + 4 * i));
        next = u32(base + 4 * perSector);
    }
    if (fatSectors.size() < _fatSectors)
        return fail(CfbError::Corrupt, "the DIFAT lists fewer FAT sectors than declared");
    const std::size_t perFat = _sectorSize / 4;
    _fat.reserve(fatSectors.size() * perFat);
    for (const std::uint32_t sector : fatSectors) {
        if (sector >= _sectorCount) return fail(CfbError::Truncated, "a FAT sector lies past the end of the file");
        const std::size_t base = (static_cast<std::size_t>(sector) + 1) * _sectorSize;
        if (base + _sectorSize > _bytes.size()) return fail(CfbError::Truncated, "a FAT sector is cut short");
        for (std::size_t i = 0; i < perFat; ++i) _fat.push_back(u32(base + 4 * i));
    }
    return CfbError::None;
}

CfbError CompoundFile::readChain(std::uint32_t start, std::uint64_t bytes, std::string& out, const char* what) {
    // A chain visits each sector once: a second visit is a loop.
    std::vector<bool> visited(_sectorCount, false);
    std::uint32_t sector = start;
    const std::size_t initial = out.size();
    while (bytes == 0 || out.size() - initial < bytes) {
        if (sector == kEndOfChain && bytes == 0) break;
        if (sector >= kMaxRegularSector)
            return fail(CfbError::Corrupt, std::string("the chain of the ") + what + " ends before its size");
        if (sector >= _sectorCount || sector >= _fat.size())
            return fail(CfbError::Truncated, std::string("the chain of the ") + what + " leaves the file");
        if (visited[sector]) return fail(CfbError::Corrupt, std::string("the chain of the ") + what + " loops");
        visited[sector] = true;
        const std::size_t base = (static_cast<std::size_t>(sector) + 1) * _sectorSize;
        std::size_t take = std::min(_sectorSize, _bytes.size() - base);
        if (bytes != 0) take = std::min<std::uint64_t>(take, bytes - (out.size() - initial));
        if (take < _sectorSize && (bytes == 0 || out.size() - initial + take < bytes))
            return fail(CfbError::Truncated, std::string("the ") + what + " is cut short");
        out.append(_bytes.substr(base, take));
        sector = _fat[sector];
    }
    return CfbError::None;
}

CfbError CompoundFile::loadDirectory() {
    std::string directory;
    if (const CfbError e = readChain(_firstDirectorySector, 0, directory, "directory"); e != CfbError::None) return e;
    const std::size_t count = directory.size() / kEntrySize;
    if (count == 0) return fail(CfbError::Corrupt, "empty directory");
    if (count > kMaxEntries) return fail(CfbError::TooLarge, "more than 65536 directory entries");
    _entries.resize(count);
    const auto at16 = [&](std::size_t offset) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(directory[offset])) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(directory[offset + 1])) << 8U);
    };
    const auto at32 = [&](std::size_t offset) { return at16(offset) | (at16(offset + 2) << 16U); };
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t base = i * kEntrySize;
        RawEntry& raw = _entries[i];
        const std::size_t nameBytes = std::min<std::size_t>(at16(base + 64), 64);
        std::vector<char16_t> units;
        for (std::size_t k = 0; k + 1 < nameBytes; k += 2) {
            const auto unit = static_cast<char16_t>(at16(base + k));
            if (unit == 0) break;
            units.push_back(unit);
        }
        sdk::support::appendUtf16(raw.entry.name, units);
        raw.entry.type = static_cast<CfbEntry::Type>(static_cast<unsigned char>(directory[base + 66]));
        raw.left = at32(base + 68);
        raw.right = at32(base + 72);
        raw.child = at32(base + 76);
        raw.entry.start = at32(base + 116);
        raw.entry.size = at32(base + 120);
        // Version 3 files may leave garbage in the high half of the size.
        if (_majorVersion == 4) raw.entry.size |= static_cast<std::uint64_t>(at32(base + 124)) << 32U;
        raw.entry.index = static_cast<std::uint32_t>(i);
    }
    if (_entries[0].entry.type != CfbEntry::Type::Root) return fail(CfbError::Corrupt, "the first entry is no root");
    std::string miniFat;
    if (_miniFatSectors > 0 && _firstMiniFatSector < kMaxRegularSector) {
        if (_miniFatSectors > _sectorCount) return fail(CfbError::Corrupt, "impossible mini FAT sector count");
        if (const CfbError e =
                readChain(_firstMiniFatSector, std::uint64_t{_miniFatSectors} * _sectorSize, miniFat, "mini FAT");
            e != CfbError::None)
            return e;
    }
    _miniFat.resize(miniFat.size() / 4);
    for (std::size_t i = 0; i < _miniFat.size(); ++i) {
        std::uint32_t v = 0;
        for (std::size_t k = 4; k-- > 0;) v = (v << 8U) | static_cast<unsigned char>(miniFat[4 * i + k]);
        _miniFat[i] = v;
    }
    return CfbError::None;
}

CfbError CompoundFile::collectRootEntries() {
    // The children of a storage form a tree through left and right
    // siblings; a hostile tree may loop, so each entry is taken once.
    std::vector<bool> seen(_entries.size(), false);
    std::vector<std::uint32_t> stack;
    if (_entries[0].child != kNoStream) stack.push_back(_entries[0].child);
    while (!stack.empty()) {
        const std::uint32_t index = stack.back();
        stack.pop_back();
        if (index == kNoStream) continue;
        if (index >= _entries.size() || index == 0)
            return fail(CfbError::Corrupt, "a directory link leaves the directory");
        if (seen[index]) return fail(CfbError::Corrupt, "the directory tree loops");
        seen[index] = true;
        const RawEntry& raw = _entries[index];
        _rootEntries.push_back(raw.entry);
        stack.push_back(raw.right);
        stack.push_back(raw.left);
    }
    return CfbError::None;
}

const CfbEntry* CompoundFile::find(std::string_view name, CfbEntry::Type type) const {
    for (const CfbEntry& entry : _rootEntries)
        if (entry.type == type && sameName(entry.name, name)) return &entry;
    return nullptr;
}

CfbError CompoundFile::readMiniChain(std::uint32_t start, std::uint64_t bytes, std::string& out) {
    if (!_miniStreamLoaded) {
        const CfbEntry& root = _entries[0].entry;
        if (root.size > _bytes.size()) return fail(CfbError::Corrupt, "the mini stream claims more than the file");
        if (root.size > 0)
            if (const CfbError e = readChain(root.start, root.size, _miniStream, "mini stream"); e != CfbError::None)
                return e;
        _miniStreamLoaded = true;
    }
    std::vector<bool> visited(_miniFat.size(), false);
    std::uint32_t sector = start;
    while (out.size() < bytes) {
        if (sector >= _miniFat.size()) return fail(CfbError::Corrupt, "a mini chain leaves the mini FAT");
        if (visited[sector]) return fail(CfbError::Corrupt, "a mini chain loops");
        visited[sector] = true;
        const std::size_t base = static_cast<std::size_t>(sector) * kMiniSectorSize;
        const std::size_t take = std::min<std::uint64_t>(kMiniSectorSize, bytes - out.size());
        if (base + take > _miniStream.size())
            return fail(CfbError::Truncated, "a mini sector lies past the mini stream");
        out.append(_miniStream, base, take);
        sector = _miniFat[sector];
    }
    return CfbError::None;
}

CfbError CompoundFile::read(const CfbEntry& entry, std::string& out) {
    out.clear();
    if (entry.size > _bytes.size())
        return fail(CfbError::Corrupt, "the stream '" + entry.name + "' claims more bytes than the file holds");
    if (entry.size == 0) return CfbError::None;
    out.reserve(static_cast<std::size_t>(entry.size));
    if (entry.size < _miniCutoff) return readMiniChain(entry.start, entry.size, out);
    return readChain(entry.start, entry.size, out, "stream");
}

}  // namespace formproc::word_legacy
