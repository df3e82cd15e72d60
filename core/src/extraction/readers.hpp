// One reader per field type: each reads a field's value from the layout
// once the labels are found (labels.hpp) and, when it finds one, puts it in
// `out` under the field's id, with the value's box in page units (see
// boxes.hpp; matchLabels turns it into fractions). They only read the layout; thread-safe over
// distinct outputs.
#pragma once

#include <string>

#include "formproc/forms/form.hpp"
#include "formproc/validation/validator.hpp"
#include "labels.hpp"
#include "layout.hpp"

namespace formproc::extraction {

// What every reader reads from: the document's layout with its labels
// marked, the finder (for option and column labels) and the provenance
// given to every value.
struct LabelledLayout {
    const Layout& layout;
    const LabelFinder& labels;
    const std::string& source;
};

// A value beside, below or above its label (forms::ValuePosition); on
// OCR'd pages also a hand-written value in the band right of its label.
void readScalar(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label,
                validation::ExtractedFields& out);

// A check box: the glyph just left of its label ("1" ticked, "0" not).
void readCheckbox(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label,
                  validation::ExtractedFields& out);

// A set of ticked options: the options' labels with a glyph before them,
// under the field's label up to the next plain label (`label` may be null:
// then anywhere in the document).
void readSet(const LabelledLayout& doc, const forms::Field& field, const Occurrence* label,
             validation::ExtractedFields& out);

// A table: its header found by the column labels under the field's label,
// then one row per numbered line (or per line, without an Lp. column).
void readList(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label,
              validation::ExtractedFields& out);

}  // namespace formproc::extraction
