// Small text helpers the ocr plugin's word filters share.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace formproc::ocr {

// Tesseract reports table rules it found as words of spaces.
inline bool isBlank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
}

inline void replaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

}  // namespace formproc::ocr
