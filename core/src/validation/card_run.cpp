#include "card_run.hpp"

#include <cstdio>

#include "formproc/util/text.hpp"

namespace formproc::validation {

FieldValue* CardRun::value(const std::string& id) {
    for (auto& [k, v] : _result.fields)
        if (k == id) return &v;
    return nullptr;
}

const std::string* CardRun::text(const std::string& id) {
    FieldValue* fv = value(id);
    return fv ? std::get_if<std::string>(&fv->value) : nullptr;
}

void CardRun::put(const forms::Field& field, Value v, const Extracted& e) {
    _result.fields.emplace_back(field.id, FieldValue{std::move(v), e.confidence, e.page, e.source, e.box});
}

void CardRun::issue(const forms::Field& field, const forms::Check* check, const std::string& messageKey,
                    Severity severity, Vars vars, const std::string& code) {
    vars.emplace("label", field.label());
    if (!vars.count("value")) {
        auto it = _written.find(field.id);
        vars.emplace("value", it == _written.end() ? std::string() : it->second);
    }
    const std::string issueCode = code.empty() ? messageKey : code;
    _result.issues.push_back(
        {field.id, issueCode, severity, forms::fillTemplate(_form.messageFor(field, check, messageKey), vars)});
}

bool CardRun::hasIssue(const std::string& fieldId) const {
    for (const auto& i : _result.issues)
        if (i.field && *i.field == fieldId && i.severity == Severity::Error) return true;
    return false;
}

std::string CardRun::voivodeshipCode(const std::string& fieldId) {
    if (fieldId.empty()) return {};
    const std::string* name = text(fieldId);
    if (!name) return {};
    const TerytUnit* unit = teryt().voivodeshipByName(*name);
    return unit ? unit->code : std::string();
}

std::string CardRun::cardVoivodeship() {
    for (const auto& f : _form.fields)
        if (f.type == forms::FieldType::Voivodeship) return voivodeshipCode(f.id);
    return {};
}

const TerytUnit* CardRun::resolvePowiat(const std::string& nameField, const std::string& codeField,
                                        const std::string& voivodeshipField) {
    if (!codeField.empty()) {
        if (const std::string* code = text(codeField); code && code->size() == 4)
            if (const TerytUnit* unit = teryt().byCode(*code)) {
                const std::string* name = text(nameField);
                if (!name || TerytRegister::foldName(*name) == TerytRegister::foldName(unit->name)) return unit;
            }
    }
    const std::string* name = nameField.empty() ? nullptr : text(nameField);
    if (!name) return nullptr;
    auto found = teryt().powiatyByName(*name, voivodeshipCode(voivodeshipField));
    return found.size() == 1 ? found.front() : nullptr;
}

const TerytUnit* CardRun::pickGmina(const std::vector<const TerytUnit*>& found) {
    if (found.empty()) return nullptr;
    if (found.size() == 1) return found.front();
    int preferred = 2;
    if (const std::string* unit = text("jednostka_nazwa")) {
        const std::string folded = util::foldPl(*unit);
        if (folded.find("miast") != std::string::npos || folded.find("miejsk") != std::string::npos)
            preferred = folded.find("gmin") != std::string::npos ? 3 : 1;
    }
    for (const TerytUnit* u : found)
        if (u->kind == preferred) return u;
    for (const TerytUnit* u : found)
        if (u->kind == 2) return u;
    return found.front();
}

const TerytUnit* CardRun::gminaOfCard(const forms::Check& check, const std::string& nameField,
                                      const std::string* code) {
    if (code && code->size() == 7)
        if (const TerytUnit* unit = teryt().byCode(*code)) return unit;
    const std::string* name = text(nameField);
    if (!name) return nullptr;
    const TerytUnit* powiat = resolvePowiat(check.param("powiat"), {}, check.param("voivodeship"));
    std::string prefix = powiat ? powiat->code : voivodeshipCode(check.param("voivodeship"));
    return pickGmina(teryt().gminyByName(*name, prefix));
}

std::string polishDate(const Date& d) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d.%02d.%04d", d.day, d.month, d.year);
    return buffer;
}

std::string kindNamePl(const forms::Catalog& catalog, int kind) {
    const std::string key = "gmina_kind." + std::to_string(kind);
    return catalog.text(catalog.has(key) ? key : "gmina_kind.other");
}

}  // namespace formproc::validation
