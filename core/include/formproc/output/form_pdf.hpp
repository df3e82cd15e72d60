// The official form as an AcroForm PDF, generated from its definition in
// forms/*.xml: every field with its printed label; lists as table rows
// named id.N.column (N from 1, the definition's `rows` rows or more when
// the values need them); sets as one check box per option named id.code;
// check boxes for declarations. Field names are exactly those the
// pdf-acroform reader maps back onto the form, so a filled form reads back
// with the same values.
//
// Every widget has an appearance stream showing its value in the embedded
// DejaVu Sans (so Polish letters show in any viewer), the font is in the
// form's /DR with /DA naming it, and /NeedAppearances is true as a fallback
// for viewers that redraw fields themselves.
#pragma once

#include <string>

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/output/issued_form.hpp"

namespace formproc::output {

// Renders `form` blank (values == nullptr) or filled with the normalised
// values of `values` (a Result of this form; fields of other forms are
// ignored). With `layout` (templates/filled/<id>.json) the form looks as
// issued (header, annex line, numbered sections, tables, declarations,
// signature lines, footer); without, every field in definition order under
// the form's title and `subtitle`. Values wrap or shrink to fit their box
// and are never cut. Throws std::runtime_error when no font is found or the
// header image cannot be read. Thread-safe.
std::string renderFormPdf(const forms::Form& form, const Result* values = nullptr, const std::string& subtitle = {},
                          const IssuedForm* layout = nullptr);

// The text a form field shows for a normalised value, written so that
// reading it back normalises to the same value: dates as DD.MM.YYYY, phones
// with +48 when they have the country code, list options by their printed
// label, phones as people write them („+48 81 477 53 26”, „81 477 53 26”).
// Empty for values that are not text (sets, lists, check boxes).
std::string formFieldText(forms::FieldType type, const std::vector<forms::Option>& options, const Value& value);

}  // namespace formproc::output
