// The one label matcher of the project: finds a form's printed labels among
// words with boxes (from a text layer, a Word document's layout or OCR) and
// reads each value where the form definition says it stands. The extraction
// of readers that give sdk::Gives::Words (field_names.hpp maps the readers
// that give form fields).
//
// Its parts live in core/src/extraction/: tokens and layout (words, lines,
// page furniture), labels (finding each field's label), one reader per field
// type (scalar, checkbox, set, list) and value_text (a value's words joined
// and cleaned up).
#pragma once

#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/validation/validator.hpp"

namespace formproc::extraction {

struct MatchOptions {
    // Letters a token may differ by from a label's word (OCR errors); 0 for
    // text layers. Applied to words of 5 letters or more only.
    int maxEditsPerToken = 0;
    // The words were recognised from page images (a reader that gives
    // sdk::Gives::PageRecognition): the looser geometry of scans applies,
    // page furniture is dropped, and values are marked `recognised`.
    bool recognised = false;
    // The pages' sizes in the words' units: each value then gets the box of
    // its words as fractions of its page (Extracted::box); without them, none.
    std::vector<RawDocument::Page> pages;
};

// Reads the fields of `form` from laid-out words (page, box with origin
// top-left, confidence). `source` is the provenance given to every value.
// A field whose label is not found is absent from the answer. Pure
// function; thread-safe.
validation::ExtractedFields matchLabels(const forms::Form& form, const std::vector<RawDocument::Word>& words,
                                        const std::string& source, const MatchOptions& options = {});

}  // namespace formproc::extraction
