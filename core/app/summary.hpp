// What the document commands share: running one document through the
// pipeline's steps, and the people-readable summary line.
#pragma once

#include <optional>
#include <string>

#include "formproc/pipeline/pipeline.hpp"

namespace formproc::app {

struct DocumentOutcome {
    std::optional<Result> result;
    std::string error;  // why the file could not be read from disk (English)
};

// All the pipeline's steps for one file. Never throws: an internal error is
// reported as an outcome without a result.
DocumentOutcome processDocument(pipeline::Pipeline& pipe, const std::string& path, const std::string& forcedForm);

// A path as it may be shown (valid UTF-8, invalid bytes replaced visibly).
std::string shownPath(const std::string& path);

// One line per document, then its issues, as the applicant reads them.
std::string summaryLine(const Result& result);

}  // namespace formproc::app
