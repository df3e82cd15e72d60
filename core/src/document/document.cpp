#include "formproc/document/document.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace formproc {

bool isEmpty(const Value& value) {
    if (std::holds_alternative<std::monostate>(value)) return true;
    if (const auto* s = std::get_if<std::string>(&value)) return s->empty();
    if (const auto* set = std::get_if<std::vector<std::string>>(&value)) return set->empty();
    if (const auto* rows = std::get_if<std::vector<Row>>(&value)) return rows->empty();
    return false;
}

const Scalar* findCell(const Row& row, std::string_view column) {
    for (const auto& [id, cell] : row)
        if (id == column) return &cell;
    return nullptr;
}

const char* toString(Severity severity) {
    switch (severity) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Review: return "review";
    }
    return "error";
}

const char* toString(Decision decision) {
    switch (decision) {
        case Decision::Accepted: return "accepted";
        case Decision::Qualified: return "qualified";
        case Decision::Reserve: return "reserve";
        case Decision::Incomplete: return "incomplete";
        case Decision::Late: return "late";
        case Decision::Redirect: return "redirect";
        case Decision::Rejected: return "rejected";
    }
    return "rejected";
}

const std::vector<Decision>& allDecisions() {
    static const std::vector<Decision> all = {Decision::Incomplete, Decision::Late,    Decision::Redirect,
                                              Decision::Qualified,  Decision::Reserve, Decision::Accepted,
                                              Decision::Rejected};
    return all;
}

std::optional<Decision> decisionFromString(std::string_view text) {
    for (Decision d : allDecisions())
        if (text == toString(d)) return d;
    return std::nullopt;
}

std::vector<int> RawDocument::pagesReported(std::initializer_list<sdk::PageContent> contents) const {
    std::vector<int> numbers;
    for (const auto& report : pageReports)
        if (std::find(contents.begin(), contents.end(), report.content) != contents.end())
            numbers.push_back(report.number);
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    return numbers;
}

const std::string* RawDocument::meta(std::string_view key) const {
    for (const auto& [k, v] : metadata)
        if (k == key) return &v;
    return nullptr;
}

void RawDocument::takePageGeometry() {
    for (Page& page : pages) {
        const std::string suffix = "_page_" + std::to_string(page.number);
        if (const std::string* rotation = meta("rotation" + suffix)) {
            int degrees = 0;
            const auto [end, error] = std::from_chars(rotation->data(), rotation->data() + rotation->size(), degrees);
            if (error == std::errc() && end == rotation->data() + rotation->size() && degrees % 90 == 0)
                page.quarterTurns = ((degrees / 90) % 4 + 4) % 4;
        }
        if (const std::string* skew = meta("skew" + suffix)) {
            double degrees = 0;
            const auto [end, error] = std::from_chars(skew->data(), skew->data() + skew->size(), degrees);
            if (error == std::errc() && end == skew->data() + skew->size() && std::isfinite(degrees) &&
                std::fabs(degrees) <= 45)
                page.skew = degrees;
        }
    }
}

const FieldValue* Result::field(std::string_view id) const {
    for (const auto& [k, v] : fields)
        if (k == id) return &v;
    return nullptr;
}

}  // namespace formproc
