#include "formproc/document/document.hpp"

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

const std::string* RawDocument::meta(std::string_view key) const {
    for (const auto& [k, v] : metadata)
        if (k == key) return &v;
    return nullptr;
}

const FieldValue* Result::field(std::string_view id) const {
    for (const auto& [k, v] : fields)
        if (k == id) return &v;
    return nullptr;
}

}  // namespace formproc
