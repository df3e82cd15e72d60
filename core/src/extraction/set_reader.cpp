// The reader of set fields: lists of check boxes (readers.hpp).
#include "readers.hpp"

#include <algorithm>

#include "boxes.hpp"
#include "tokens.hpp"

namespace formproc::extraction {

namespace {

// The shortest beginning of an option's label that no other option's label
// begins with, at least two words: an option whose label wraps onto a later
// line with other text between (a page's footer printed across the list:
// „☒ Gminna Komisja Rozwiązywania / Załącznik nr 3 / Problemów Alkoholowych
// (GKRPA)”) is found by its first line, where its box stands.
std::vector<std::string> distinctBeginning(const forms::Field& field, const forms::Option& option,
                                           const std::vector<std::string>& keys) {
    for (std::size_t n = 2; n < keys.size(); ++n) {
        const std::vector<std::string> head(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(n));
        bool shared = false;
        for (const auto& other : field.options) {
            if (&other == &option) continue;
            for (const auto& otherLabel : other.labels) {
                const auto otherKeys = labelKeys(otherLabel);
                if (otherKeys.size() >= n && std::equal(head.begin(), head.end(), otherKeys.begin())) shared = true;
            }
        }
        if (!shared) return head;
    }
    return {};
}

}  // namespace

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
        if (!variants.empty())
            if (auto head = distinctBeginning(field, option, variants.front()); !head.empty())
                variants.push_back(std::move(head));
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
