// Mapping a document's own form fields (AcroForm names, names after printed
// labels) onto a form's field ids: the extraction of readers that give
// sdk::Gives::FormFields.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "formproc/forms/form.hpp"
#include "formproc/sdk/reader.hpp"
#include "formproc/validation/validator.hpp"

namespace formproc::extraction {

// The names under which a form's fields appear in documents (AcroForm names,
// their aliases, printed labels), folded once so that mapping a document is a
// hash look-up per raw field. Immutable after construction; thread-safe.
class FieldNameIndex {
public:
    explicit FieldNameIndex(const forms::Form& form);
    // Maps a reader's raw fields onto the form's field ids.
    validation::ExtractedFields map(const std::vector<sdk::RawField>& raw) const;
    // The same for a whole reading: values also get the box of their
    // widgets (RawDocument::fieldBoxes) as fractions of their page.
    validation::ExtractedFields map(const RawDocument& doc) const;
    const forms::Form& form() const { return *_form; }

private:
    // `boxes`: per raw field, its widget's box or null (may be shorter than `raw`).
    validation::ExtractedFields mapFields(const std::vector<sdk::RawField>& raw,
                                          const std::vector<const sdk::Box*>& boxes) const;
    struct Target {
        std::size_t field;
        enum class Kind { Scalar, SetItem, SetWhole } kind;
        std::string code;
    };
    struct RowPattern {
        std::size_t field;
        std::string column;
        std::string pattern;  // folded, with {n}
    };
    const forms::Form* _form;
    std::unordered_map<std::string, Target> _exact;
    std::unordered_map<std::string, std::size_t> _listPrefixes;
    std::vector<RowPattern> _rowPatterns;
};

// One-off mapping (builds the index each call).
validation::ExtractedFields mapRawFields(const forms::Form& form, const std::vector<sdk::RawField>& raw);

}  // namespace formproc::extraction
