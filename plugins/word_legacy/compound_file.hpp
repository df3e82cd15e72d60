// A bounded reader of OLE2 compound files (MS-CFB), the container of Word
// 97–2003 documents: a header, a sector allocation table (FAT) reached
// through the DIFAT, a directory of storages and streams, and a mini stream
// for streams under 4 KiB.
//
// The file comes from a stranger, so nothing it declares is trusted: every
// sector number is checked against the file, every chain is followed at most
// once per sector (a loop in the FAT is an error, not a hang), and a stream
// that claims more bytes than the file holds is refused before anything is
// allocated. Memory is bounded by a small multiple of the file's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::word_legacy {

enum class CfbError {
    None,
    NotCompoundFile,  // no OLE2 signature or header
    Corrupt,          // inconsistent structures: a chain that loops or leaves the file, a bad directory
    Truncated,        // the structures point past the end of the file
    TooLarge,         // beyond our limits (directory entries)
};

struct CfbEntry {
    enum class Type : std::uint8_t { Unknown = 0, Storage = 1, Stream = 2, Root = 5 };
    std::string name;  // UTF-8
    Type type = Type::Unknown;
    std::uint32_t start = 0;
    std::uint64_t size = 0;
    std::uint32_t index = 0;  // in the directory
};

// A view of one compound file held in memory by the caller (the bytes must
// outlive it). Not thread-safe; cheap to construct.
class CompoundFile {
public:
    // At most this many directory entries (a .doc has about ten).
    static constexpr std::size_t kMaxEntries = 65536;

    explicit CompoundFile(std::string_view bytes) : _bytes(bytes) {}

    // Reads the header, the FAT, the mini FAT and the directory. Returns
    // None or the error; detail() then says what (English, no content).
    CfbError open();
    const std::string& detail() const { return _detail; }

    // The entries directly below the root storage, in directory-tree order.
    const std::vector<CfbEntry>& rootEntries() const { return _rootEntries; }
    // The root entry's child of that name (compared case-insensitively for
    // ASCII, as MS-CFB does) and type, or nullptr.
    const CfbEntry* find(std::string_view name, CfbEntry::Type type = CfbEntry::Type::Stream) const;

    // The whole stream into `out`. Returns Corrupt for a chain that loops
    // or is shorter than the stream, Truncated when it leaves the file.
    CfbError read(const CfbEntry& entry, std::string& out);

private:
    struct RawEntry {
        CfbEntry entry;
        std::uint32_t left = 0, right = 0, child = 0;
    };

    CfbError fail(CfbError error, std::string detail);
    CfbError readHeader();
    CfbError loadFat();
    CfbError loadDirectory();
    CfbError collectRootEntries();
    // Follows a FAT chain from `start`, appending whole sectors to `out`
    // until `bytes` bytes are there (or the chain ends, when bytes is 0).
    CfbError readChain(std::uint32_t start, std::uint64_t bytes, std::string& out, const char* what);
    CfbError readMiniChain(std::uint32_t start, std::uint64_t bytes, std::string& out);
    std::uint32_t u32(std::size_t offset) const;

    std::string_view _bytes;
    std::string _detail;
    std::uint32_t _sectorShift = 9;
    std::size_t _sectorSize = 512;
    std::size_t _sectorCount = 0;  // sectors the file holds, the last one possibly short
    std::uint32_t _majorVersion = 3;
    std::uint32_t _fatSectors = 0;
    std::uint32_t _firstDirectorySector = 0;
    std::uint32_t _firstMiniFatSector = 0;
    std::uint32_t _miniFatSectors = 0;
    std::uint32_t _firstDifatSector = 0;
    std::uint32_t _difatSectors = 0;
    std::uint32_t _miniCutoff = 4096;
    std::vector<std::uint32_t> _fat;
    std::vector<std::uint32_t> _miniFat;
    std::vector<RawEntry> _entries;
    std::vector<CfbEntry> _rootEntries;
    std::string _miniStream;
    bool _miniStreamLoaded = false;
};

}  // namespace formproc::word_legacy
