// The .doc/RTF reader as an object, for the fuzz target (fuzz/word_legacy_fuzz.cpp) that
// drives it without loading the plugin; the plugin entry point uses it too.
#pragma once

#include <memory>

#include "formproc/sdk/reader.hpp"

namespace formproc::word_legacy {

// A new reader; never null. Thread-safe.
std::unique_ptr<formproc::sdk::Reader> makeReader();

}  // namespace formproc::word_legacy
