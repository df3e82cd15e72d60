// The reader of check-box fields (readers.hpp).
#include "readers.hpp"

#include "boxes.hpp"

namespace formproc::extraction {

void readCheckbox(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label,
                  validation::ExtractedFields& out) {
    const auto ticked = doc.labels.glyphBefore(label);
    if (!ticked) return;
    const Token& first = doc.layout.tok(label.tokens.front());
    auto& e = out[field.id];
    e.text = *ticked ? "1" : "0";
    e.page = first.page;
    widen(e.box, doc.layout, label.tokens);
    e.confidence = first.confidence;
    e.source = doc.source;
}

}  // namespace formproc::extraction
