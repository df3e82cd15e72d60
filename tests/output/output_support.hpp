// Helpers for the output tests: the text layer of a PDF as poppler reads it
// (pdftotext, from poppler-utils), and made-up results for each decision.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "formproc/document/document.hpp"
#include "formproc/util/text.hpp"
#include "test_support.hpp"

namespace formproc::test {

// Runs a shell command, returning its standard output and exit status.
inline std::pair<int, std::string> runCommand(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return {-1, {}};
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The text of a PDF file as pdftotext gives it, white space collapsed.
inline std::string pdfText(const std::string& path) {
    auto [status, out] = runCommand("pdftotext -q -enc UTF-8 '" + path + "' - 2>/dev/null");
    if (status != 0) return "<pdftotext failed>";
    return util::collapseSpace(out);
}

// The same for PDF bytes, through a temporary file.
inline std::string pdfBytesText(const std::string& bytes) {
    TempDir dir;
    const std::string path = dir.file("doc.pdf", bytes);
    return pdfText(path);
}

// Keeps a copy of a generated PDF when FORMPROC_KEEP_PDF names a directory
// (to look at the letters: pdftoppm -png -r 60 DIR/x.pdf DIR/x).
inline void keepPdf(const std::string& name, const std::string& bytes) {
    const char* dir = std::getenv("FORMPROC_KEEP_PDF");
    if (!dir || !*dir) return;
    std::filesystem::create_directories(dir);
    std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << bytes;
}

inline FieldValue textValue(const std::string& text) { return FieldValue{Value{text}, 1.0, 1, "acroform"}; }

}  // namespace formproc::test
