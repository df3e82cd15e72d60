#include "formproc/service/processing.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "formproc/document/warsaw_time.hpp"
#include "formproc/extraction/extracted_json.hpp"
#include "formproc/output/answer_settings.hpp"
#include "formproc/output/issued_form.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/util/text.hpp"

namespace formproc::service {

AnswerSettings loadAnswerSettings(const pipeline::Environment& env, const std::string& templatesDir) {
    AnswerSettings settings;
    settings.templates =
        output::loadLetterTemplates(templatesDir.empty() ? env.shareDir + "/templates/letters" : templatesDir);
    output::pdfFontFile();
    output::pdfaProfileFile();
    settings.layouts = output::IssuedForms::loadDirectory(env.shareDir + "/templates/filled", *env.forms);
    output::answerSettingsFor(*env.campaign);
    settings.epuap.xsdPath = env.shareDir + "/templates/epuap/pismo-ogolne.xsd";
    return settings;
}

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const std::string* textOf(const Result& result, std::string_view field) {
    const FieldValue* value = result.field(field);
    return value ? std::get_if<std::string>(&value->value) : nullptr;
}

pipeline::DocumentInput inputOf(const storage::Submission& submission, const std::string& originalPath) {
    pipeline::DocumentInput input(originalPath);
    input.source = submission.fileName;
    input.fileName = submission.fileName;
    input.declaredMediaType = submission.mediaType;
    input.submitted = submittedOf(submission);
    return input;
}

// A duplicate is answered as its original's case.
void addDuplicateWarning(const pipeline::Pipeline& pipe, const storage::Submission& stored, Result& result) {
    result.issues.push_back({std::nullopt, "duplicate", Severity::Warning,
                             pipe.environment().forms->catalog().text("duplicate.file", {{"sign", stored.caseSign}})});
}

Processed finish(pipeline::Pipeline& pipe, const AnswerSettings& settings, const storage::Submission& submission,
                 Result result, std::string extractionJson, const std::string& originalBytes,
                 const std::string& createdBy) {
    const pipeline::Environment& env = pipe.environment();
    output::AnswerRequest request;
    request.forms = env.forms.get();
    request.campaign = env.campaign.get();
    request.teryt = env.teryt.get();
    request.templates = settings.templates.get();
    request.layouts = settings.layouts.get();
    request.epuap = settings.epuap;
    request.caseSign = submission.caseSign;
    request.date = settings.letterDate ? *settings.letterDate : warsawDate(std::chrono::system_clock::now());
    request.fileName = submission.fileName;
    request.originalBytes = originalBytes;

    Processed processed;
    processed.answer = output::renderAnswer(result, request);
    processed.extractionJson = std::move(extractionJson);
    processed.completion.resultJson = processed.answer.json;
    processed.completion.decision = toString(result.decision);
    processed.completion.form = result.form;
    processed.completion.office = officeOf(result, *env.teryt);
    processed.completion.outputs = outputFiles(processed.answer, processed.extractionJson);
    processed.completion.createdBy = createdBy;
    processed.result = std::move(result);
    return processed;
}

}  // namespace

Submitted submittedOf(const storage::Submission& submission) {
    Submitted submitted;
    submitted.channel = storage::toString(submission.channel);
    submitted.date = submission.dateCounted;
    submitted.messageId = submission.messageId.value_or("");
    return submitted;
}

std::optional<std::string> officeOf(const Result& result, const validation::TerytRegister& teryt) {
    if (!result.form) return std::nullopt;
    auto digits = [](const std::string* text, std::size_t count) -> std::optional<std::string> {
        if (!text) return std::nullopt;
        const std::string d = validation::digitsOnly(*text);
        return d.size() == count ? std::optional<std::string>(d) : std::nullopt;
    };
    // The card's own code when it gives one, else the register's code for its name.
    if (auto code = digits(textOf(result, "teryt_gminy"), 7)) return code;
    if (auto code = digits(textOf(result, "teryt_powiatu"), 4)) return code;
    if (auto code = digits(textOf(result, "gmina"), 7)) return code;
    if (const std::string* name = textOf(result, "gmina")) {
        const auto found = teryt.gminyByName(*name);
        if (found.size() == 1) return found.front()->code;
    }
    const std::string* powiat = textOf(result, "nazwa_powiatu");
    const std::string* voivodeship = textOf(result, "wojewodztwo");
    const validation::TerytUnit* woj = voivodeship ? teryt.voivodeshipByName(*voivodeship) : nullptr;
    if (powiat && woj) {
        const auto found = teryt.powiatyByName(*powiat, woj->code);
        if (found.size() == 1) return found.front()->code;
    }
    return std::nullopt;
}

std::vector<storage::OutputFile> outputFiles(const output::Answer& answer, const std::string& extractionJson) {
    std::vector<storage::OutputFile> files;
    files.push_back({storage::OutputKind::ResultJson, answer.json});
    files.push_back({storage::OutputKind::LetterPdf, answer.letterPdf});
    if (answer.filledPdf) files.push_back({storage::OutputKind::FilledPdf, *answer.filledPdf});
    if (answer.epuapXml) files.push_back({storage::OutputKind::EpuapXml, *answer.epuapXml});
    files.push_back({storage::OutputKind::ExtractionJson, extractionJson});
    return files;
}

Processed processSubmission(pipeline::Pipeline& pipe, const AnswerSettings& settings,
                            const storage::Submission& submission, const std::string& originalPath,
                            const std::string& createdBy) {
    const pipeline::DocumentInput input = inputOf(submission, originalPath);
    std::string diskError;
    validation::ExtractedFields fields;
    std::optional<Result> result = pipe.process(input, &diskError, &fields);
    if (!result) throw std::runtime_error("the original cannot be read: " + diskError);
    const std::string extractionJson = fields.empty() ? "{}" : extraction::extractedToJson(fields);
    // The original goes into the ePUAP answer, unless it is over the size limit.
    std::error_code ec;
    const bool tooLarge = std::filesystem::file_size(originalPath, ec) > pipe.options().maxFileBytes || ec;
    return finish(pipe, settings, submission, std::move(*result), extractionJson,
                  tooLarge ? std::string() : readFile(originalPath), createdBy);
}

Processed processRegistered(storage::Store& store, pipeline::Pipeline& pipe, const AnswerSettings& settings,
                            const storage::Registration& registration, const std::string& createdBy) {
    const storage::Submission& stored = registration.submission;
    // An existing registration (the same source again after a crash) is
    // claimed too: its job is still queued when the crash came before it.
    auto claim =
        registration.duplicate ? std::nullopt : store.claimJobOf(stored.id, createdBy, std::chrono::minutes(30));
    Processed processed = processSubmission(pipe, settings, stored, store.blobs().path(stored.sha256), createdBy);
    if (claim) store.completeJob(*claim, processed.completion);
    if (registration.duplicate) {
        addDuplicateWarning(pipe, stored, processed.result);
        processed.answer.json = pipeline::toJson(processed.result);
    }
    return processed;
}

Result readRegistered(const storage::Store& store, pipeline::Pipeline& pipe,
                      const storage::Registration& registration) {
    const storage::Submission& stored = registration.submission;
    std::string diskError;
    std::optional<Result> result = pipe.process(inputOf(stored, store.blobs().path(stored.sha256)), &diskError);
    if (!result) throw std::runtime_error("the original cannot be read: " + diskError);
    if (registration.duplicate) addDuplicateWarning(pipe, stored, *result);
    return std::move(*result);
}

Processed redecide(pipeline::Pipeline& pipe, const AnswerSettings& settings, const storage::Submission& submission,
                   const Result& previous, const pipeline::Extraction& extraction, const std::string& originalBytes,
                   const std::string& createdBy) {
    if (!extraction.form) throw std::runtime_error("the submission's result names no form");
    Result result = pipe.decideAgain(previous, extraction);
    return finish(pipe, settings, submission, std::move(result), extraction::extractedToJson(extraction.fields),
                  originalBytes, createdBy);
}

}  // namespace formproc::service
