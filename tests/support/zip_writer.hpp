// A tiny ZIP writer for tests, so that they can also write what no honest
// zipper would (lying sizes, thousands of entries, unsafe names, names not
// flagged as UTF-8). Used by the DOCX plugin's and the e-mail intake's tests.
#pragma once

#include <Poco/Checksum.h>
#include <Poco/DeflatingStream.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace formproc::test {

struct ZipPart {
    ZipPart(std::string entryName, std::string bytes, bool deflated = true)
        : name(std::move(entryName)), data(std::move(bytes)), deflate(deflated) {}
    std::string name;
    std::string data;
    bool deflate = true;
    std::optional<std::uint64_t> declaredSize;  // uncompressed size written in the headers
    std::optional<std::string> rawCompressed;   // the compressed bytes as given, not computed
    bool utf8Name = true;                       // general purpose flag bit 11 (names in UTF-8)
};

struct ZipOptions {
    std::optional<std::uint16_t> declaredCount;  // entry count written in the end record
};

inline void put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
}

inline void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}

inline std::string deflateRaw(const std::string& data) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, -15, 9);
    deflater.write(data.data(), static_cast<std::streamsize>(data.size()));
    deflater.close();
    return out.str();
}

inline std::uint32_t crc32(const std::string& data) {
    Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
    crc.update(data.data(), static_cast<unsigned>(data.size()));
    return crc.checksum();
}

inline std::string makeZip(const std::vector<ZipPart>& parts, const ZipOptions& options = {}) {
    std::string out;
    std::string directory;
    for (const auto& part : parts) {
        const std::string body =
            part.rawCompressed ? *part.rawCompressed : (part.deflate ? deflateRaw(part.data) : part.data);
        const auto size = static_cast<std::uint32_t>(part.declaredSize.value_or(part.data.size()));
        const std::uint16_t method = part.deflate ? 8 : 0;
        const std::uint32_t crc = crc32(part.data);
        const auto offset = static_cast<std::uint32_t>(out.size());
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, part.utf8Name ? 0x0800 : 0);  // UTF-8 names
        put16(out, method);
        put32(out, 0);  // time, date
        put32(out, crc);
        put32(out, static_cast<std::uint32_t>(body.size()));
        put32(out, size);
        put16(out, static_cast<std::uint32_t>(part.name.size()));
        put16(out, 0);
        out += part.name;
        out += body;

        put32(directory, 0x02014b50);
        put16(directory, 20);
        put16(directory, 20);
        put16(directory, part.utf8Name ? 0x0800 : 0);
        put16(directory, method);
        put32(directory, 0);
        put32(directory, crc);
        put32(directory, static_cast<std::uint32_t>(body.size()));
        put32(directory, size);
        put16(directory, static_cast<std::uint32_t>(part.name.size()));
        put16(directory, 0);  // extra
        put16(directory, 0);  // comment
        put16(directory, 0);  // disk
        put16(directory, 0);  // internal attributes
        put32(directory, 0);  // external attributes
        put32(directory, offset);
        directory += part.name;
    }
    const auto directoryAt = static_cast<std::uint32_t>(out.size());
    out += directory;
    const std::uint16_t count = options.declaredCount.value_or(static_cast<std::uint16_t>(parts.size()));
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, count);
    put16(out, count);
    put32(out, static_cast<std::uint32_t>(directory.size()));
    put32(out, directoryAt);
    put16(out, 0);
    return out;
}

}  // namespace formproc::test
