// The pdf-text reader as an object, for the fuzz target (fuzz/entries/pdf_text.cpp)
// that drives it without loading the plugin; the plugin entry point uses it too.
#pragma once

#include <memory>

#include "formproc/sdk/reader.hpp"

namespace formproc::pdf_text {

// A new reader; never null. Thread-safe.
std::unique_ptr<formproc::sdk::Reader> makeReader();

}  // namespace formproc::pdf_text
