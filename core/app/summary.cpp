#include "summary.hpp"

#include "formproc/util/text.hpp"

namespace formproc::app {

DocumentOutcome processDocument(pipeline::Pipeline& pipe, const std::string& path, const std::string& forcedForm) {
    DocumentOutcome outcome;
    pipeline::DocumentInput input(path);
    input.forceForm = forcedForm;
    try {
        outcome.result = pipe.process(input, &outcome.error);
    } catch (const std::exception& e) {
        // A bug of ours, not the document's: say so, keep going.
        outcome.error = std::string("internal error: ") + e.what();
    }
    return outcome;
}

std::string shownPath(const std::string& path) { return util::sanitizeUtf8(path, true); }

std::string summaryLine(const Result& r) {
    const auto slash = r.source.find_last_of('/');
    std::string line = slash == std::string::npos ? r.source : r.source.substr(slash + 1);
    // Columns by characters, not bytes: Polish letters take two bytes.
    auto pad = [](std::string text, std::size_t width) {
        const std::size_t length = util::utf8Length(text);
        if (length < width) text.append(width - length, ' ');
        return text;
    };
    line = pad(line, 48) + "  " + pad(r.form ? *r.form : "-", 16) + pad(toString(r.decision), 11);
    line += std::to_string(r.fields.size()) + " pól";
    if (!r.issues.empty()) line += ", uwagi: " + std::to_string(r.issues.size());
    for (const auto& i : r.issues) line += "\n      - " + i.message;
    return line;
}

}  // namespace formproc::app
