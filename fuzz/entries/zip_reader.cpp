// Entry of the ZIP target: the central directory, the limits, every entry inflated.
#include <string>

#include "formproc/zip/zip_reader.hpp"
#include "fuzz_entries.hpp"

namespace formproc::fuzz {

void zipReader(const std::uint8_t* data, std::size_t size) {
    zip::ZipLimits limits;
    limits.maxEntrySize = 4u << 20;  // a fuzzer's bombs, bounded lower than a document's
    limits.maxTotalSize = 16u << 20;
    zip::ZipReader reader(data, size, limits);
    if (reader.open() != zip::ZipError::None) return;
    std::string out;
    for (const auto& entry : reader.entries()) {
        if (zip::isUnsafeEntryName(entry.name)) continue;
        if (reader.find(entry.name) == nullptr) __builtin_trap();  // a safe name is always found
        (void)reader.extract(entry, out);
    }
}

}  // namespace formproc::fuzz
