// The AcroForm reader as an object, for the fuzz target (fuzz/pdf_acroform_fuzz.cpp) that
// drives it without loading the plugin; the plugin entry point uses it too.
#pragma once

#include <memory>

#include "formproc/sdk/reader.hpp"

namespace formproc::pdf_acroform {

// A new reader; never null. Thread-safe.
std::unique_ptr<formproc::sdk::Reader> makeReader();

}  // namespace formproc::pdf_acroform
