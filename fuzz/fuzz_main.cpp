// The libFuzzer entry of one target: FORMPROC_FUZZ_ENTRY names its function
// in fuzz_entries.hpp (set by fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    formproc::fuzz::FORMPROC_FUZZ_ENTRY(data, size);
    return 0;
}
