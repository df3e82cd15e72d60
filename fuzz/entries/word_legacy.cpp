// Entry of the .doc/RTF target: the whole reader (compound file, FIB, piece
// table, table grid, RTF tokens and groups, code pages).
#include <memory>

#include "fuzz_entries.hpp"
#include "fuzz_support.hpp"
#include "word_legacy_reader.hpp"

namespace formproc::fuzz {

void wordLegacy(const std::uint8_t* data, std::size_t size) {
    static const std::unique_ptr<sdk::Reader> reader = word_legacy::makeReader();
    readOnce(*reader, data, size, "karta.doc");
}

}  // namespace formproc::fuzz
