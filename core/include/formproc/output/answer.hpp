// The render step: everything formproc answers for one processed document
// — the result JSON, the letter (confirmation of receipt and the decision's
// letter), the filled official form and the ePUAP document — rendered in
// memory from a Result. The command line writes them to a folder, the
// service to its store; neither renders by itself.
#pragma once

#include <optional>
#include <string>

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/output/addressee.hpp"
#include "formproc/output/answer_settings.hpp"
#include "formproc/output/epuap.hpp"
#include "formproc/output/issued_form.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/output/letter_template.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/checks.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::output {

// What an answer is rendered from. Pointers are borrowed for the call and
// all are required but `teryt` and `settings`.
struct AnswerRequest {
    const forms::FormRegistry* forms = nullptr;
    const validation::Campaign* campaign = nullptr;
    // The campaign's answer keys (legal frame, signature, address book,
    // ePUAP attachments); nullptr: answerSettingsFor(*campaign).
    const AnswerSettings* settings = nullptr;
    const validation::TerytRegister* teryt = nullptr;
    const LetterTemplates* templates = nullptr;
    // How the official forms look as issued (templates/filled/); nullptr or
    // a form without a layout: the plain layout.
    const IssuedForms* layouts = nullptr;
    EpuapConfig epuap;          // XSD path, signing certificate
    std::string caseSign;       // znak sprawy, given when the submission was registered
    validation::Date date;      // the letters' date
    std::string fileName;       // the original's file name as received
    std::string originalBytes;  // attached to the ePUAP document
};

struct Answer {
    std::string json;                      // the result (OUTPUT.md), one line
    std::string letterPdf;                 // receipt + the decision's letter
    std::optional<std::string> filledPdf;  // the official form filled in; none for a file that is no card
    std::optional<std::string> epuapXml;   // none when it could not be made (epuapError says why)
    std::string epuapError;
    std::string title;  // the decision's letter, in Polish (catalog title, for the report)
    std::string unit;   // who sent it, for the report of submissions
    // What office staff should know before sending (English, no personal
    // data): e.g. that the addressee's postal address is incomplete.
    std::vector<std::string> warnings;
};

// The ePUAP document of an answer, addressed to `addressee` (the letter's):
// the letter's title as Tytul and document name, every paragraph of the
// decision letter in Informacje, the signature block, the letter attached
// as PDF and, where the campaign asks for it (by default for powiat and
// gmina cards, never by default for a diagnosis card), the original.
EpuapDocument renderEpuapAnswer(const Result& result, const AnswerRequest& request, const RenderedLetter& letter,
                                const Addressee& addressee);

// Renders every answer for `result`. Throws std::runtime_error when a
// template is missing or no font is found (setup problems, checked at
// start); a document the ePUAP schema refuses is reported in epuapError.
// Thread-safe.
Answer renderAnswer(const Result& result, const AnswerRequest& request);

}  // namespace formproc::output
