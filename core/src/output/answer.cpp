#include "formproc/output/answer.hpp"

#include "formproc/output/form_pdf.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/pipeline/pipeline.hpp"

namespace formproc::output {

namespace {

// What the report calls the unit that sent the document.
std::string reportUnit(const Result& result, const TemplateData& data) {
    auto value = [&](const char* key) {
        auto it = data.values.find(key);
        return it == data.values.end() ? std::string() : it->second;
    };
    if (!value("jednostka").empty()) return value("jednostka");
    return value("dokument_mianownik").empty() ? result.source : value("dokument_mianownik");
}

}  // namespace

EpuapDocument renderEpuapAnswer(const Result& result, const AnswerRequest& request, const std::string& title,
                                const std::string& letterPdf) {
    EpuapInput in(result, *request.campaign);
    in.teryt = request.teryt;
    in.title = title;
    in.kind = title;
    std::string text = title + "\n\nZnak sprawy: " + request.caseSign;
    for (const auto& issue : result.issues)
        if (issue.severity != Severity::Review) text += "\n\n" + issue.message;
    text += "\n\nTreść pisma w załączniku „pismo.pdf”.";
    in.letterText = text;
    in.letterPdf = letterPdf;
    in.originalBytes = request.originalBytes;
    in.originalName = request.fileName;
    in.date = request.date.iso();
    in.caseSign = request.caseSign;
    if (!epuapAddressee(result, in.teryt)) {
        // A file that is no card names no addressee: the answer goes back to
        // whoever sent it, whom the office names when it sends the document
        // (ePUAP fills in the sender's box itself).
        EpuapParty sender;
        sender.name = "Nadawca pliku „" + in.originalName + "”";
        in.addressee = sender;
    }
    return renderEpuapDocument(in, request.epuap);
}

Answer renderAnswer(const Result& result, const AnswerRequest& request) {
    Answer answer;
    answer.json = pipeline::toJson(result);
    const forms::Form* form = result.form ? request.forms->byId(*result.form) : nullptr;

    LetterRequest letter;
    letter.result = &result;
    letter.form = form;
    letter.campaign = request.campaign;
    letter.teryt = request.teryt;
    letter.catalog = &request.forms->catalog();
    letter.caseSign = request.caseSign;
    letter.date = request.date;
    letter.fileName = request.fileName;
    answer.letterPdf = renderLetterPdf(*request.templates, letter);
    answer.title = request.forms->catalog().decision(result.decision).title;
    answer.unit = reportUnit(result, letterData(letter));

    if (form) answer.filledPdf = renderFormPdf(*form, &result, request.campaign->name);
    EpuapDocument doc = renderEpuapAnswer(result, request, answer.title, answer.letterPdf);
    if (doc) answer.epuapXml = std::move(doc.xml);
    else answer.epuapError = doc.error;
    return answer;
}

}  // namespace formproc::output
