// The reader of set fields: lists of check boxes (readers.hpp).
#include "readers.hpp"

#include <algorithm>

#include "boxes.hpp"
#include "tokens.hpp"

namespace formproc::extraction {

void readSet(const LabelledLayout& doc, const forms::Field& field, const Occurrence* label,
             validation::ExtractedFields& out) {
    const int from = label ? label->lastLine + 1 : 0;
    const int to = label ? doc.labels.nextLabelLine(label->lastLine, true) : doc.layout.lineCount();
    bool seen = false;
    validation::Extracted e;
    e.source = doc.source;
    for (const auto& option : field.options) {
        std::vector<std::vector<std::string>> variants;
        for (const auto& optionLabel : option.labels) variants.push_back(labelKeys(optionLabel));
        std::stable_sort(variants.begin(), variants.end(),
                         [](const auto& a, const auto& b) { return a.size() > b.size(); });
        for (const auto& keys : variants) {
            bool found = false;
            for (const auto& o : doc.labels.findAll(keys, from, to, true)) {
                const auto ticked = doc.labels.glyphBefore(o);
                if (!ticked) continue;
                found = true;
                const Token& first = doc.layout.tok(o.tokens.front());
                if (!seen || first.page < e.page) {
                    e.page = first.page;
                    e.box.reset();
                }
                widen(e.box, doc.layout, o.tokens);
                e.confidence = std::min(seen ? e.confidence : 1.0, first.confidence);
                seen = true;
                if (*ticked) e.items.push_back(option.code);
                break;
            }
            if (found) break;
        }
    }
    if (seen) out[field.id] = std::move(e);
}

}  // namespace formproc::extraction
