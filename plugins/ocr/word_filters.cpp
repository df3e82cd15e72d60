#include "word_filters.hpp"

#include <algorithm>
#include <string>

#include "formproc/sdk/support/text.hpp"

namespace formproc::ocr {

void dropDoubleReadings(std::vector<OcrWord>& words) {
    auto weight = [](const OcrWord& w) { return w.confidence * static_cast<double>(w.text.size()); };
    std::vector<bool> dropped(words.size(), false);
    for (std::size_t i = 0; i < words.size(); ++i) {
        for (std::size_t j = i + 1; j < words.size() && !dropped[i]; ++j) {
            if (dropped[j]) continue;
            const OcrWord& a = words[i];
            const OcrWord& b = words[j];
            const int ox = std::min(a.right, b.right) - std::max(a.left, b.left);
            const int oy = std::min(a.bottom, b.bottom) - std::max(a.top, b.top);
            if (ox <= 0 || oy <= 0) continue;
            const int minW = std::max(1, std::min(a.right - a.left, b.right - b.left));
            const int minH = std::max(1, std::min(a.bottom - a.top, b.bottom - b.top));
            if (ox * 2 < minW || oy * 2 < minH) continue;
            // Boxes of about one size: the same word read twice. A small
            // word inside a large one is a double reading only when it is
            // part of its text ("by" in "osoby"); a large box may hold words
            // Tesseract read apart ("starostwoQ" over "powiat").
            const int maxW = std::max(a.right - a.left, b.right - b.left);
            if (ox * 2 < maxW) {
                const bool aSmall = a.right - a.left < b.right - b.left;
                const OcrWord& small = aSmall ? a : b;
                const OcrWord& large = aSmall ? b : a;
                if (small.text.empty()) continue;
                if (large.text.find(small.text) != std::string::npos) {
                    dropped[aSmall ? i : j] = true;
                    continue;
                }
                // A ghost: the large box read over a word of the page a
                // letter off it („Jazwa ję” over „Nazwa”), less sure than it.
                if (large.confidence < small.confidence && small.text.size() >= 4) {
                    const std::string first = large.text.substr(0, large.text.find(' '));
                    if (first.size() >= 4 && sdk::support::editDistance(first, small.text) <= 1)
                        dropped[aSmall ? j : i] = true;
                }
                continue;
            }
            if (weight(a) >= weight(b))
                dropped[j] = true;
            else
                dropped[i] = true;
        }
    }
    std::vector<OcrWord> kept;
    kept.reserve(words.size());
    for (std::size_t i = 0; i < words.size(); ++i)
        if (!dropped[i]) kept.push_back(std::move(words[i]));
    words = std::move(kept);
}

}  // namespace formproc::ocr
