#include "formproc/zip/zip_reader.hpp"

#include <Poco/Checksum.h>
#include <Poco/InflatingStream.h>
#include <Poco/MemoryStream.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace formproc::zip {

namespace {

constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kZip64EndSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kMaxCommentSize = 0xFFFF;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint16_t kMethodStored = 0;
constexpr std::uint16_t kMethodDeflated = 8;
constexpr std::uint16_t kFlagEncrypted = 0x0001;
constexpr std::uint16_t kFlagStrongEncryption = 0x0040;

std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

std::uint32_t le32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

std::uint64_t le64(const unsigned char* p) {
    return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}

// `offset + length <= size` without overflow.
bool fits(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
    return offset <= size && length <= size - offset;
}

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

bool isUnsafeEntryName(std::string_view name) {
    if (name.empty() || name.front() == '/' || name.front() == '\\') return true;
    if (name.find('\0') != std::string_view::npos) return true;
    if (name.size() >= 2 && name[1] == ':') return true;  // C:foo, C:/foo
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find_first_of("/\\", start);
        if (end == std::string_view::npos) end = name.size();
        if (name.substr(start, end - start) == "..") return true;
        start = end + 1;
    }
    return false;
}

ZipReader::ZipReader(const unsigned char* data, std::size_t size, ZipLimits limits)
    : _data(data), _size(data == nullptr ? 0 : size), _limits(limits) {}

ZipError ZipReader::fail(ZipError error, std::string detail) {
    _detail = std::move(detail);
    return error;
}

ZipError ZipReader::readEndRecord(std::uint64_t& count, std::uint64_t& cdOffset, std::uint64_t& cdSize) {
    if (_size < kEndRecordSize) return fail(ZipError::NotZip, "too short for a ZIP archive");
    // The end record sits before a comment of at most 64 KiB; search back
    // from the end so that a signature inside the comment loses to a real one.
    const std::size_t last = _size - kEndRecordSize;
    const std::size_t first = last > kMaxCommentSize ? last - kMaxCommentSize : 0;
    std::size_t at = last + 1;
    for (std::size_t pos = last + 1; pos-- > first;) {
        if (le32(_data + pos) == kEndSig && pos + kEndRecordSize + le16(_data + pos + 20) <= _size) {
            at = pos;
            break;
        }
    }
    if (at > last) return fail(ZipError::NotZip, "no end of central directory record");
    const unsigned char* end = _data + at;
    count = le16(end + 10);
    cdSize = le32(end + 12);
    cdOffset = le32(end + 16);
    std::uint64_t cdLimit = at;
    if (count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF) {
        // ZIP64: the real values are in the ZIP64 end record, found through
        // the locator right before the classic end record.
        if (at < 20 || le32(_data + at - 20) != kZip64LocatorSig)
            return fail(ZipError::Corrupt, "ZIP64 end record locator missing");
        const std::uint64_t recordAt = le64(_data + at - 20 + 8);
        if (!fits(recordAt, 56, at - 20) || le32(_data + recordAt) != kZip64EndSig)
            return fail(ZipError::Corrupt, "ZIP64 end record out of bounds");
        const unsigned char* record = _data + recordAt;
        count = le64(record + 32);
        cdSize = le64(record + 40);
        cdOffset = le64(record + 48);
        cdLimit = recordAt;
    }
    if (!fits(cdOffset, cdSize, cdLimit)) return fail(ZipError::Corrupt, "central directory out of bounds");
    return ZipError::None;
}

ZipError ZipReader::readCentralEntry(std::uint64_t& pos, std::uint64_t end, ZipEntry& entry) {
    if (!fits(pos, kCentralHeaderSize, end) || le32(_data + pos) != kCentralHeaderSig)
        return fail(ZipError::Corrupt, "broken central directory entry");
    const unsigned char* h = _data + pos;
    entry.flags = le16(h + 8);
    entry.method = le16(h + 10);
    entry.crc = le32(h + 16);
    entry.compressedSize = le32(h + 20);
    entry.uncompressedSize = le32(h + 24);
    const std::uint16_t nameLength = le16(h + 28);
    const std::uint16_t extraLength = le16(h + 30);
    const std::uint16_t commentLength = le16(h + 32);
    entry.localHeaderOffset = le32(h + 42);
    const std::uint64_t variable = std::uint64_t{nameLength} + extraLength + commentLength;
    if (!fits(pos + kCentralHeaderSize, variable, end))
        return fail(ZipError::Corrupt, "central directory entry overruns the directory");
    const unsigned char* name = h + kCentralHeaderSize;
    entry.name.assign(reinterpret_cast<const char*>(name), nameLength);
    std::replace(entry.name.begin(), entry.name.end(), '\\', '/');

    // ZIP64 extra field: 64-bit values for the 32-bit fields that hold 0xFFFFFFFF, in this order.
    const unsigned char* extra = name + nameLength;
    const unsigned char* extraEnd = extra + extraLength;
    while (extraEnd - extra >= 4) {
        const std::uint16_t id = le16(extra);
        const std::uint16_t size = le16(extra + 2);
        const unsigned char* body = extra + 4;
        if (extraEnd - body < size) break;  // a truncated extra field carries nothing we can trust
        if (id == kZip64ExtraId) {
            const unsigned char* field = body;
            const unsigned char* fieldEnd = body + size;
            for (std::uint64_t* value : {&entry.uncompressedSize, &entry.compressedSize, &entry.localHeaderOffset}) {
                if (*value != 0xFFFFFFFF) continue;
                if (fieldEnd - field < 8) return fail(ZipError::Corrupt, "truncated ZIP64 extra field");
                *value = le64(field);
                field += 8;
            }
        }
        extra = body + size;
    }
    pos += kCentralHeaderSize + variable;
    return ZipError::None;
}

ZipError ZipReader::checkLimits(const ZipEntry& entry) {
    if (entry.uncompressedSize > _limits.maxEntrySize)
        return fail(ZipError::TooLarge, "an entry declares " + std::to_string(entry.uncompressedSize) + " bytes");
    _declaredTotal += entry.uncompressedSize;  // cannot overflow: each term is bounded above
    if (_declaredTotal > _limits.maxTotalSize)
        return fail(ZipError::TooLarge,
                    "the entries declare more than " + std::to_string(_limits.maxTotalSize) + " bytes in total");
    if (entry.uncompressedSize > _limits.ratioCheckedAbove) {
        // ratio = uncompressed / compressed must stay <= maxRatio; divide
        // rather than multiply, since the compressed size is attacker-chosen.
        const std::uint64_t c = entry.compressedSize;
        const bool tooDense = c == 0 || entry.uncompressedSize / c > _limits.maxRatio ||
                              (entry.uncompressedSize / c == _limits.maxRatio && entry.uncompressedSize % c != 0);
        if (tooDense)
            return fail(ZipError::TooLarge, "an entry compresses more than " + std::to_string(_limits.maxRatio) + ":1");
    }
    return ZipError::None;
}

ZipError ZipReader::open() {
    _entries.clear();
    _byName.clear();
    _declaredTotal = 0;
    _inflatedTotal = 0;
    _ignoredNames = 0;
    _duplicateNames = 0;
    std::uint64_t count = 0;
    std::uint64_t cdOffset = 0;
    std::uint64_t cdSize = 0;
    if (ZipError e = readEndRecord(count, cdOffset, cdSize); e != ZipError::None) return e;
    if (count > _limits.maxEntries)
        return fail(ZipError::TooLarge, "the archive declares " + std::to_string(count) + " entries");

    // Walk the directory by its size rather than the declared count, so a
    // lying count can neither hide entries nor make us read past the end.
    const std::uint64_t end = cdOffset + cdSize;
    std::uint64_t pos = cdOffset;
    while (pos < end) {
        if (_entries.size() >= _limits.maxEntries)
            return fail(ZipError::TooLarge,
                        "the central directory holds more than " + std::to_string(_limits.maxEntries) + " entries");
        ZipEntry entry;
        if (ZipError e = readCentralEntry(pos, end, entry); e != ZipError::None) return e;
        if (ZipError e = checkLimits(entry); e != ZipError::None) return e;
        _entries.push_back(std::move(entry));
    }
    for (std::size_t i = 0; i < _entries.size(); ++i) {
        const ZipEntry& entry = _entries[i];
        if (isUnsafeEntryName(entry.name)) {
            ++_ignoredNames;
            continue;
        }
        if (!_byName.emplace(lowerAscii(entry.name), i).second) ++_duplicateNames;  // the first one wins
    }
    return ZipError::None;
}

const ZipEntry* ZipReader::find(std::string_view name) const {
    auto it = _byName.find(lowerAscii(name));
    return it == _byName.end() ? nullptr : &_entries[it->second];
}

ZipError ZipReader::extract(const ZipEntry& entry, std::string& out) {
    out.clear();
    if ((entry.flags & (kFlagEncrypted | kFlagStrongEncryption)) != 0)
        return fail(ZipError::Encrypted, "the entry is encrypted");
    if (entry.method != kMethodStored && entry.method != kMethodDeflated)
        return fail(ZipError::Unsupported, "compression method " + std::to_string(entry.method));
    const std::uint64_t at = entry.localHeaderOffset;
    if (!fits(at, kLocalHeaderSize, _size) || le32(_data + at) != kLocalHeaderSig)
        return fail(ZipError::Corrupt, "broken local file header");
    // The local header's own name and extra lengths place the data; its
    // sizes are ignored in favour of the central directory's.
    const std::uint64_t dataAt = at + kLocalHeaderSize + le16(_data + at + 26) + le16(_data + at + 28);
    if (!fits(dataAt, entry.compressedSize, _size)) return fail(ZipError::Corrupt, "entry data out of bounds");
    const char* compressed = reinterpret_cast<const char*>(_data + dataAt);

    // The entry may not produce more than it declares, nor more than the
    // limits allow whatever it declares.
    const std::uint64_t remaining = _limits.maxTotalSize > _inflatedTotal ? _limits.maxTotalSize - _inflatedTotal : 0;
    const std::uint64_t budget = std::min({entry.uncompressedSize, _limits.maxEntrySize, remaining});

    if (entry.method == kMethodStored) {
        if (entry.compressedSize != entry.uncompressedSize)
            return fail(ZipError::Corrupt, "stored entry with differing sizes");
        if (entry.compressedSize > budget) return fail(ZipError::TooLarge, "stored entry over the size limits");
        out.assign(compressed, static_cast<std::size_t>(entry.compressedSize));
    } else {
        if (entry.compressedSize > static_cast<std::uint64_t>(std::numeric_limits<std::streamsize>::max()))
            return fail(ZipError::Corrupt, "entry data out of bounds");
        Poco::MemoryInputStream source(compressed, static_cast<std::streamsize>(entry.compressedSize));
        Poco::InflatingInputStream inflater(source, -15);  // raw deflate, as ZIP stores it
        out.reserve(static_cast<std::size_t>(budget));
        std::vector<char> chunk(64 * 1024);
        for (;;) {
            inflater.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto got = static_cast<std::size_t>(inflater.gcount());
            if (got > budget - out.size())
                return fail(ZipError::TooLarge, got > entry.uncompressedSize - out.size()
                                                    ? "an entry inflates to more than it declares"
                                                    : "an entry inflates past the size limits");
            out.append(chunk.data(), got);
            if (got < chunk.size()) break;
        }
        // Poco's stream buffer turns zlib errors into exceptions, which the
        // istream swallows into badbit.
        if (inflater.bad()) return fail(ZipError::Corrupt, "the compressed data is broken");
    }
    if (out.size() != entry.uncompressedSize) return fail(ZipError::Corrupt, "the entry is shorter than it declares");
    Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
    crc.update(out.data(), static_cast<unsigned>(out.size()));
    if (crc.checksum() != entry.crc) return fail(ZipError::Corrupt, "CRC mismatch");
    _inflatedTotal += out.size();
    return ZipError::None;
}

}  // namespace formproc::zip
