#include "formproc/extraction/field_names.hpp"

#include <algorithm>

#include "boxes.hpp"
#include "formproc/util/text.hpp"

namespace formproc::extraction {

using forms::FieldType;

namespace {

std::string foldName(std::string_view name) {
    // Field names compare without case and diacritics, with space and '-'
    // taken as '_'; dots keep separating the parts of a full name.
    std::string folded = util::foldPl(name);
    for (char& c : folded)
        if (c == ' ' || c == '-') c = '_';
    return folded;
}

// Matches a name against an alias with a {n} row placeholder.
bool matchRowPattern(const std::string& folded, const std::string& pattern, int& row) {
    const std::size_t at = pattern.find("{n}");
    if (at == std::string::npos) return false;
    const std::string before = pattern.substr(0, at), after = pattern.substr(at + 3);
    if (folded.size() <= before.size() + after.size()) return false;
    if (folded.compare(0, before.size(), before) != 0) return false;
    if (folded.compare(folded.size() - after.size(), after.size(), after) != 0) return false;
    const std::string digits = folded.substr(before.size(), folded.size() - before.size() - after.size());
    if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return false;
    row = std::stoi(digits);
    return true;
}

void note(validation::Extracted& e, const sdk::RawField& raw, const sdk::Box* box) {
    if (raw.page > 0 && (e.page == 0 || raw.page < e.page)) {
        if (e.box && e.box->page != raw.page) e.box.reset();
        e.page = raw.page;
    }
    if (box && raw.page == e.page) widen(e.box, raw.page, *box);
    if (e.source.empty()) {
        e.confidence = raw.confidence;
        e.source = raw.source;
    } else {
        e.confidence = std::min(e.confidence, raw.confidence);
    }
}

void addItems(validation::Extracted& e, const std::string& value) {
    // A radio group or list box holds one code; a text box may list several.
    std::string item;
    for (char c : value + ",") {
        if (c == ',' || c == ';' || c == '\n') {
            if (!util::collapseSpace(item).empty()) e.items.push_back(util::collapseSpace(item));
            item.clear();
        } else {
            item.push_back(c);
        }
    }
}

}  // namespace

FieldNameIndex::FieldNameIndex(const forms::Form& form) : _form(&form) {
    for (std::size_t i = 0; i < form.fields.size(); ++i) {
        const auto& field = form.fields[i];
        for (const auto& alias : field.acroformNames) {
            const std::string a = foldName(alias);
            if (field.type == FieldType::List) {
                _listPrefixes.emplace(a, i);
            } else if (field.type == FieldType::Set) {
                _exact.emplace(a, Target{i, Target::Kind::SetWhole, {}});
                for (const auto& option : field.options)
                    _exact.emplace(a + "." + foldName(option.code), Target{i, Target::Kind::SetItem, option.code});
            } else {
                _exact.emplace(a, Target{i, Target::Kind::Scalar, {}});
            }
        }
        for (const auto& column : field.columns)
            for (const auto& alias : column.acroformNames) _rowPatterns.push_back({i, column.id, foldName(alias)});
        // Forms made in a word processor often name a field after its printed label.
        if (field.type != FieldType::List && field.type != FieldType::Set)
            for (const auto& label : field.labels) _exact.emplace(foldName(label), Target{i, Target::Kind::Scalar, {}});
    }
}

validation::ExtractedFields FieldNameIndex::map(const std::vector<sdk::RawField>& raw) const {
    return mapFields(raw, {});
}

validation::ExtractedFields FieldNameIndex::map(const RawDocument& doc) const {
    std::vector<const sdk::Box*> boxes(doc.fields.size(), nullptr);
    for (const auto& b : doc.fieldBoxes)
        if (b.field < boxes.size()) boxes[b.field] = &b.box;
    validation::ExtractedFields out = mapFields(doc.fields, boxes);
    normaliseBoxes(out, doc.pages);
    return out;
}

validation::ExtractedFields FieldNameIndex::mapFields(const std::vector<sdk::RawField>& raw,
                                                      const std::vector<const sdk::Box*>& boxes) const {
    validation::ExtractedFields out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const sdk::RawField& r = raw[i];
        const sdk::Box* box = i < boxes.size() ? boxes[i] : nullptr;
        const std::string name = foldName(r.name);
        if (auto it = _exact.find(name); it != _exact.end()) {
            const Target& t = it->second;
            const auto& field = _form->fields[t.field];
            auto& e = out[field.id];
            switch (t.kind) {
                case Target::Kind::Scalar: e.text = r.value; break;
                case Target::Kind::SetItem:
                    if (r.kind == sdk::ValueKind::Checkbox ? r.value == "1" : validation::isTicked(r.value))
                        e.items.push_back(t.code);
                    break;
                case Target::Kind::SetWhole: addItems(e, r.value); break;
            }
            note(e, r, box);
            continue;
        }
        // List cells: ALIAS.N.COLUMN
        if (const auto dot = name.find('.'); dot != std::string::npos) {
            if (auto it = _listPrefixes.find(name.substr(0, dot)); it != _listPrefixes.end()) {
                const auto& field = _form->fields[it->second];
                const auto second = name.find('.', dot + 1);
                const std::string digits = second == std::string::npos ? "" : name.substr(dot + 1, second - dot - 1);
                if (!digits.empty() && digits.size() <= 3 &&
                    std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    const std::string column = name.substr(second + 1);
                    for (const auto& c : field.columns) {
                        if (foldName(c.id) != column) continue;
                        auto& e = out[field.id];
                        e.rows[std::stoi(digits)][c.id] = r.value;
                        note(e, r, box);
                        break;
                    }
                }
                continue;
            }
        }
        for (const auto& pattern : _rowPatterns) {
            int row = 0;
            if (matchRowPattern(name, pattern.pattern, row)) {
                auto& e = out[_form->fields[pattern.field].id];
                e.rows[row][pattern.column] = r.value;
                note(e, r, box);
                break;
            }
        }
    }
    return out;
}

validation::ExtractedFields mapRawFields(const forms::Form& form, const std::vector<sdk::RawField>& raw) {
    return FieldNameIndex(form).map(raw);
}

}  // namespace formproc::extraction
