// The DOCX/ODT reader as an object, for the fuzz target (fuzz/docx_fuzz.cpp, docx_xml_fuzz.cpp) that
// drives it without loading the plugin; the plugin entry point uses it too.
#pragma once

#include <memory>

#include "formproc/sdk/reader.hpp"

namespace formproc::docx {

// A new reader; never null. Thread-safe.
std::unique_ptr<formproc::sdk::Reader> makeReader();

}  // namespace formproc::docx
