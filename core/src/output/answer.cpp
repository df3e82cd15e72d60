#include "formproc/output/answer.hpp"

#include <filesystem>

#include "formproc/output/form_pdf.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/util/text.hpp"

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

// A file name from a title: no separators, no controls, at most 120 characters.
std::string attachmentName(const std::string& title, const std::string& extension) {
    std::string name = util::collapseSpace(util::sanitizeUtf8(title, true));
    for (char& c : name)
        if (c == '/' || c == '\\' || c == ':' || c == '"' || c == '*' || c == '?' || c == '<' || c == '>' || c == '|')
            c = '-';
    if (util::utf8Length(name) > 120) {
        std::string shortened;
        std::size_t count = 0;
        for (std::size_t i = 0; i < name.size() && count < 120; ++count) {
            const auto d = sdk::support::decodeUtf8At(name, i);
            shortened.append(name, i, d.size);
            i += d.size;
        }
        name = std::string(util::trim(shortened));
    }
    return (name.empty() ? std::string("pismo") : name) + extension;
}

std::string lowerFirst(const std::string& text) {
    if (text.empty()) return text;
    const auto d = sdk::support::decodeUtf8At(text, 0);
    return util::toLowerPl(text.substr(0, d.size)) + text.substr(d.size);
}

std::string upperFirst(const std::string& text) {
    if (text.empty()) return text;
    const auto d = sdk::support::decodeUtf8At(text, 0);
    return util::toUpperPl(text.substr(0, d.size)) + text.substr(d.size);
}

LetterRequest letterRequest(const Result& result, const AnswerRequest& request, const forms::Form* form,
                            const AnswerSettings& settings) {
    LetterRequest letter;
    letter.result = &result;
    letter.form = form;
    letter.campaign = request.campaign;
    letter.teryt = request.teryt;
    letter.catalog = &request.forms->catalog();
    letter.settings = &settings;
    letter.caseSign = request.caseSign;
    letter.date = request.date;
    letter.fileName = request.fileName;
    return letter;
}

}  // namespace

EpuapDocument renderEpuapAnswer(const Result& result, const AnswerRequest& request, const RenderedLetter& letter,
                                const Addressee& addressee) {
    const std::shared_ptr<const AnswerSettings> own = request.settings ? nullptr : answerSettingsFor(*request.campaign);
    const AnswerSettings& settings = request.settings ? *request.settings : *own;
    const forms::Form* form = result.form ? request.forms->byId(*result.form) : nullptr;
    const TemplateData data = letterData(letterRequest(result, request, form, settings));

    EpuapInput in(result, *request.campaign);
    in.teryt = request.teryt;
    in.kind = letter.title;
    in.documentName = letter.title;
    in.title = letter.title + " – dotyczy " + data.values.at("dotyczy");
    std::string text = "Znak sprawy: " + request.caseSign + "\n\nDotyczy: " + data.values.at("dotyczy") + ".";
    for (const auto& paragraph : letter.paragraphs) text += "\n\n" + paragraph;
    in.letterText = text;
    in.letterPdf = letter.pdf;
    std::string sign = request.caseSign.empty() ? std::string() : request.caseSign + " – ";
    in.letterName = attachmentName("Pismo " + sign + lowerFirst(letter.title), ".pdf");
    in.letterDescription = "Potwierdzenie wpływu i " + lowerFirst(letter.title);
    if (form && settings.attachOriginal.count(form->id)) {
        in.originalBytes = request.originalBytes;
        const std::string extension = std::filesystem::path(request.fileName).extension().string();
        const std::string& name = data.values.at("dokument_mianownik");
        in.originalName = attachmentName("Zgłoszenie – " + name, extension.size() <= 6 ? extension : "");
        in.originalDescription = upperFirst(name) + " w postaci otrzymanej" +
                                 (request.fileName.empty() ? "" : " (plik „" + request.fileName + "”)");
    }
    in.date = request.date.iso();
    in.caseSign = request.caseSign;
    in.addressee = addressee.party;
    in.signerName = settings.signature.name;
    in.signerFunction = util::collapseSpace(settings.signature.function + " " + settings.signature.office);
    return renderEpuapDocument(in, request.epuap);
}

Answer renderAnswer(const Result& result, const AnswerRequest& request) {
    Answer answer;
    answer.json = pipeline::toJson(result);
    const forms::Form* form = result.form ? request.forms->byId(*result.form) : nullptr;
    const std::shared_ptr<const AnswerSettings> own = request.settings ? nullptr : answerSettingsFor(*request.campaign);
    const AnswerSettings& settings = request.settings ? *request.settings : *own;
    AnswerRequest resolved = request;
    resolved.settings = &settings;

    const LetterRequest letter = letterRequest(result, resolved, form, settings);
    const RenderedLetter rendered = renderLetter(*request.templates, letter);
    answer.letterPdf = rendered.pdf;
    answer.title = request.forms->catalog().decision(result.decision).title;
    answer.unit = reportUnit(result, letterData(letter));
    const Addressee addressee = addresseeOf(result, form, request.teryt, settings, request.fileName);
    if (!addressee.complete && form) answer.warnings.push_back("letter and ePUAP addressee: " + addressee.gap);

    if (form)
        answer.filledPdf = renderFormPdf(*form, &result, request.campaign->name,
                                         request.layouts ? request.layouts->find(form->id) : nullptr);
    EpuapDocument doc = renderEpuapAnswer(result, resolved, rendered, addressee);
    if (doc)
        answer.epuapXml = std::move(doc.xml);
    else
        answer.epuapError = doc.error;
    return answer;
}

}  // namespace formproc::output
