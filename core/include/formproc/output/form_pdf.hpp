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

namespace formproc::output {

// Renders `form` blank (values == nullptr) or filled with the normalised
// values of `values` (a Result of this form; fields of other forms are
// ignored). `subtitle` (e.g. the campaign's name) is printed under the
// title when not empty. Throws std::runtime_error when no font is found.
// Thread-safe.
std::string renderFormPdf(const forms::Form& form, const Result* values = nullptr, const std::string& subtitle = {});

// The text a form field shows for a normalised value, written so that
// reading it back normalises to the same value: dates as DD.MM.YYYY, phones
// with +48 when they have the country code, list options by their printed
// label. Empty for values that are not text (sets, lists, check boxes).
std::string formFieldText(forms::FieldType type, const std::vector<forms::Option>& options, const Value& value);

}  // namespace formproc::output
