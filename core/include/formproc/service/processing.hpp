// Processing a registered submission: the pipeline's steps on its original,
// the render step, and what the store keeps (result, decision, form, office,
// outputs). `formproc serve`'s job runner, `formproc process` and the mail
// intake call this one function; none of them reads or renders by itself.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "formproc/output/answer.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/storage/store.hpp"

namespace formproc::service {

// What an answer needs beyond the pipeline's environment. Immutable; shared.
struct AnswerSettings {
    std::shared_ptr<const output::LetterTemplates> templates;
    std::shared_ptr<const output::IssuedForms> layouts;  // the issued form's layouts (templates/filled)
    output::EpuapConfig epuap;
    // The letters' date; nullopt: the processing day in Poland.
    std::optional<validation::Date> letterDate;
};

// The answer settings of an environment: the letters from `templatesDir`
// (empty: the share folder's), the issued form's layouts, the ePUAP schema;
// the PDF font, the PDF/A profile and the campaign's answer settings are
// checked here so that a broken installation fails before any card.
// Throws std::runtime_error naming what is missing or wrong.
AnswerSettings loadAnswerSettings(const pipeline::Environment& env, const std::string& templatesDir = {});

// Everything one processed submission gives.
struct Processed {
    Result result;
    output::Answer answer;
    std::string extractionJson;  // what was read, for re-deciding after corrections ("{}" when nothing)
    storage::Completion completion;
};

// The "submitted" block of a submission's result (channel, the date that
// counts, Message-ID).
Submitted submittedOf(const storage::Submission& submission);

// The TERYT code of the unit a result is about (a powiat's 4 digits, a
// gmina's 7), for office-scoped access; nullopt when it names none.
std::optional<std::string> officeOf(const Result& result, const validation::TerytRegister& teryt);

// Runs the pipeline's steps on the submission's original (the blob at
// `originalPath`) and renders its answers with the submission's case sign.
// Throws only on an internal error (a template missing, a disk failure);
// a bad document is a result. Thread-safe for distinct submissions.
Processed processSubmission(pipeline::Pipeline& pipe, const AnswerSettings& settings,
                            const storage::Submission& submission, const std::string& originalPath,
                            const std::string& createdBy);

// Decides again after a reviewer's corrections (`extraction` already
// corrected) and renders new answers. Throws std::runtime_error when the
// submission's result names no form (a rejected file has nothing to correct).
Processed redecide(pipeline::Pipeline& pipe, const AnswerSettings& settings, const storage::Submission& submission,
                   const Result& previous, const pipeline::Extraction& extraction, const std::string& originalBytes,
                   const std::string& createdBy);

// Processes a registered submission now, on the calling thread (the command
// line's way; the service's job runner does the same in the background):
// claims its job, runs processSubmission on its stored original and
// completes the job with the result and outputs. A duplicate is answered as
// its original's case (its case sign) with a "duplicate" warning, and its
// original's job is not touched. Throws as processSubmission does, and
// storage::StoreError on a database failure. Thread-safe for distinct
// registrations.
Processed processRegistered(storage::Store& store, pipeline::Pipeline& pipe, const AnswerSettings& settings,
                            const storage::Registration& registration, const std::string& createdBy);

// The result alone of a registered submission, as `extract` gives it (no
// answers rendered, its job left as it is), with the "duplicate" warning of
// processRegistered: for a stateless intake whose store is thrown away.
// Throws as processSubmission does. Thread-safe.
Result readRegistered(const storage::Store& store, pipeline::Pipeline& pipe, const storage::Registration& registration);

// The outputs of an answer as the store keeps them.
std::vector<storage::OutputFile> outputFiles(const output::Answer& answer, const std::string& extractionJson);

}  // namespace formproc::service
