// The letters that answer a submission (MODEL.md "Decisions"): a
// confirmation of receipt (potwierdzenie wpływu) and the letter for the
// decision, rendered from the editable templates in templates/letters/ into
// one PDF (A4, embedded DejaVu Sans, selectable Polish text).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/output/letter_template.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/checks.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::output {

// The TrueType file (regular weight) every PDF is written with, found at run
// time (DejaVu Sans, else Liberation Sans). Throws std::runtime_error naming
// the places searched when none is installed: callers check it once upfront.
std::string pdfFontFile();

// The template of the confirmation of receipt (templates/letters/<name>.txt);
// each decision's letter is the template named by the decision code.
inline constexpr const char* kReceiptTemplate = "potwierdzenie-wplywu";

// Everything a letter is written from. Pointers are borrowed for the call.
struct LetterRequest {
    const Result* result = nullptr;
    const forms::Form* form = nullptr;                 // the result's form; nullptr when rejected
    const validation::Campaign* campaign = nullptr;
    const validation::TerytRegister* teryt = nullptr;  // optional: gmina names and kinds by code
    const forms::Catalog* catalog = nullptr;           // decision titles (forms/messages.xml); required
    std::string caseSign;                              // znak sprawy
    validation::Date date;                             // the letter's date
    std::string fileName;                              // the input's file name as received
};

// The names templates may use (templates/letters/README.md lists them).
const TemplateVocabulary& letterVocabulary();

// Loads the templates of `dir` with letterVocabulary() and checks that the
// receipt and every decision of MODEL.md have one. Throws std::runtime_error
// naming the file and line of a problem, or the missing templates.
std::shared_ptr<const LetterTemplates> loadLetterTemplates(const std::string& dir);


// The values the templates are filled with for `request`.
TemplateData letterData(const LetterRequest& request);

// Lays out and renders the named templates, each starting on a new page
// with its own page numbering, as one PDF. Throws std::runtime_error when a
// template is missing or no font is found. Thread-safe.
std::string renderLetterPdf(const LetterTemplates& templates, const std::vector<std::string>& names,
                            const TemplateData& data, const std::string& title);

// letter.pdf for a processed document: the confirmation of receipt, then
// the letter for its decision (from the next page).
std::string renderLetterPdf(const LetterTemplates& templates, const LetterRequest& request);

}  // namespace formproc::output
