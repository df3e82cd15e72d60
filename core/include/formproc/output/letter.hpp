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
#include "formproc/output/answer_settings.hpp"
#include "formproc/output/letter_template.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/checks.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::output {

// The TrueType file (regular weight) every PDF is written with, found at run
// time (DejaVu Sans, else Liberation Sans). Throws std::runtime_error naming
// the places searched when none is installed: callers check it once upfront.
std::string pdfFontFile();

// The sRGB ICC profile the letters' PDF/A output intent embeds
// (FORMPROC_ICC_PROFILE, else Debian's icc-profiles-free or colord-data).
// Throws std::runtime_error naming the places searched when none is
// installed: callers check it once upfront.
std::string pdfaProfileFile();

// The template of the confirmation of receipt (templates/letters/<name>.txt);
// each decision's letter is the template named by the decision code.
inline constexpr const char* kReceiptTemplate = "potwierdzenie-wplywu";

// Everything a letter is written from. Pointers are borrowed for the call.
struct LetterRequest {
    const Result* result = nullptr;
    const forms::Form* form = nullptr;  // the result's form; nullptr when rejected
    const validation::Campaign* campaign = nullptr;
    const validation::TerytRegister* teryt = nullptr;  // optional: gmina names and kinds by code
    const forms::Catalog* catalog = nullptr;           // decision titles (forms/messages.xml); required
    const AnswerSettings* settings = nullptr;          // nullptr: answerSettingsFor(*campaign)
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

// The message of `issue` as the applicant may read it in a letter or an
// ePUAP document: the issue's own message, unless it is about a field with
// special-category data (RODO art. 9: PESEL, age, family, problems,
// support) and states a value of the card (a PESEL, an age, a birth date,
// an entry): then the catalog's „issue.sensitive” text, which names only
// the field. Thread-safe.
std::string applicantMessage(const Issue& issue, const forms::Form* form, const Result& result,
                             const forms::Catalog& catalog);

// The values the templates are filled with for `request`.
TemplateData letterData(const LetterRequest& request);

// Lays out and renders the named templates, each starting on a new page
// with its own page numbering, as one PDF/A-2b document (fonts embedded,
// XMP metadata, an sRGB output intent). Throws std::runtime_error when a
// template is missing or no font or colour profile is found. Thread-safe.
std::string renderLetterPdf(const LetterTemplates& templates, const std::vector<std::string>& names,
                            const TemplateData& data, const std::string& title);

// letter.pdf for a processed document: the confirmation of receipt, then
// the letter for its decision (from the next page).
std::string renderLetterPdf(const LetterTemplates& templates, const LetterRequest& request);

// The letter of a processed document with what the ePUAP document repeats
// of it.
struct RenderedLetter {
    std::string pdf;    // as renderLetterPdf
    std::string title;  // the decision letter's [tytul], as written: „Wezwanie do uzupełnienia braków”
    std::vector<std::string> paragraphs;  // the decision letter's text after its title, one entry per block
};
RenderedLetter renderLetter(const LetterTemplates& templates, const LetterRequest& request);

}  // namespace formproc::output
