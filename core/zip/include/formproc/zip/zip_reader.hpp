// A read-only view of a ZIP archive held in memory, made for hostile input.
//
// Only the central directory is trusted for the list of entries and their
// sizes; every offset and length is checked against the buffer before use,
// and the limits below are applied to the declared sizes before anything is
// inflated and again to the bytes actually produced while inflating (declared
// sizes can lie). Nothing is ever written to disk, so entry names are only
// looked up, never used as paths; unsafe names are ignored all the same.
//
// Shared by the DOCX/ODT plugin and the e-mail intake (ZIP attachments of
// cards), as the static library formproc_zip. A ZipReader is not thread-safe;
// separate readers over the same buffer are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace formproc::zip {

enum class ZipError {
    None,
    NotZip,      // no end-of-central-directory record
    Corrupt,     // a record, an offset or the compressed data is broken
    TooLarge,    // a limit below is exceeded (zip bomb)
    Encrypted,   // the entry is encrypted
    Unsupported  // a compression method other than stored or deflated
};

struct ZipLimits {
    std::size_t maxEntries = 2000;
    std::uint64_t maxEntrySize = 50ULL << 20;      // uncompressed, per entry
    std::uint64_t maxTotalSize = 200ULL << 20;     // uncompressed, whole archive
    std::uint64_t ratioCheckedAbove = 1ULL << 20;  // entries larger than this...
    std::uint64_t maxRatio = 200;                  // ...may not compress better than this
};

struct ZipEntry {
    std::string name;  // as stored, with '\' turned into '/'
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t uncompressedSize = 0;
    std::uint64_t localHeaderOffset = 0;
};

class ZipReader {
public:
    // Does not copy `data`: it must outlive the reader.
    ZipReader(const unsigned char* data, std::size_t size, ZipLimits limits = {});

    // Reads the central directory and applies the limits to the declared
    // sizes. Returns ZipError::None when the archive may be read.
    ZipError open();

    // The entry with this name (ASCII case-insensitive, as OPC part names
    // are), or nullptr. Entries with unsafe names are never found.
    const ZipEntry* find(std::string_view name) const;

    // Inflates one entry into `out`, counting the bytes produced against the
    // entry's declared size and the archive's limits, and checks the CRC.
    ZipError extract(const ZipEntry& entry, std::string& out);

    // Every entry of the central directory in stored order, unsafe names
    // included (check them with isUnsafeEntryName before use). Valid until
    // the next open().
    const std::vector<ZipEntry>& entries() const { return _entries; }

    std::size_t entryCount() const { return _entries.size(); }
    std::size_t ignoredNames() const { return _ignoredNames; }
    std::size_t duplicateNames() const { return _duplicateNames; }
    // What went wrong last, in English, without any content of the archive.
    const std::string& detail() const { return _detail; }

private:
    ZipError fail(ZipError error, std::string detail);
    ZipError readEndRecord(std::uint64_t& count, std::uint64_t& cdOffset, std::uint64_t& cdSize);
    ZipError readCentralEntry(std::uint64_t& pos, std::uint64_t end, ZipEntry& entry);
    ZipError checkLimits(const ZipEntry& entry);

    const unsigned char* _data;
    std::size_t _size;
    ZipLimits _limits;
    std::vector<ZipEntry> _entries;
    std::unordered_map<std::string, std::size_t> _byName;  // lower-cased name -> index
    std::uint64_t _declaredTotal = 0;
    std::uint64_t _inflatedTotal = 0;
    std::size_t _ignoredNames = 0;
    std::size_t _duplicateNames = 0;
    std::string _detail;
};

// True when a stored entry name could escape a target directory: absolute,
// with a drive letter, or with a ".." segment.
bool isUnsafeEntryName(std::string_view name);

}  // namespace formproc::zip
