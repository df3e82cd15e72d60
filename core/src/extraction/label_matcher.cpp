#include "formproc/extraction/label_matcher.hpp"

#include "boxes.hpp"
#include "labels.hpp"
#include "layout.hpp"
#include "readers.hpp"

namespace formproc::extraction {

validation::ExtractedFields matchLabels(const forms::Form& form, const std::vector<RawDocument::Word>& words,
                                        const std::string& source, const MatchOptions& options) {
    Layout layout(words, options.recognised);
    LabelFinder finder(layout, options.maxEditsPerToken);
    const auto labels = finder.findFieldLabels(form);
    const LabelledLayout doc{layout, finder, source};
    validation::ExtractedFields out;
    for (const auto& field : form.fields) {
        const auto found = labels.find(field.id);
        const Occurrence* label = found == labels.end() ? nullptr : &found->second;
        switch (field.type) {
            case forms::FieldType::Set: readSet(doc, field, label, out); break;
            case forms::FieldType::List:
                if (label) readList(doc, field, *label, out);
                break;
            case forms::FieldType::Checkbox:
                if (label) readCheckbox(doc, field, *label, out);
                break;
            default:
                if (label) readScalar(doc, field, *label, out);
                break;
        }
    }
    normaliseBoxes(out, options.pages);
    return out;
}

}  // namespace formproc::extraction
