// Shared by the fuzz targets: a sink that keeps nothing, and the one call
// each reader target makes. The same entry functions (fuzz_entries.hpp) run
// the kept crash inputs in the normal tests (tests/fuzz/regressions_test.cpp),
// so a fixed crash stays fixed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formproc/sdk/reader.hpp"

namespace formproc::fuzz {

// Takes what a reader pushes and drops it (the worker's sink copies it; the
// copies are not what is fuzzed).
class NullSink final : public sdk::Sink {
public:
    void page(int, double, double) override {}
    void word(int, std::string_view, const sdk::Box&, double) override {}
    void field(sdk::RawField) override {}
    void metadata(std::string_view, std::string_view) override {}
    void note(std::string_view) override {}
};

// One read by `reader` of `data`, as the worker does it: identify, then read
// whatever the answer (a reader must survive bytes it did not claim).
inline void readOnce(sdk::Reader& reader, const std::uint8_t* data, std::size_t size, std::string_view fileName) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const sdk::Probe probe{bytes.substr(0, 4096), fileName, {}, size};
    (void)reader.identify(probe);
    NullSink sink;
    sdk::ReadOptions options;
    options.maxPages = 5;
    (void)reader.read(sdk::Input{fileName, data, size}, sink, options);
}

}  // namespace formproc::fuzz
