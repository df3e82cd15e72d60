#include "formproc/output/issued_form.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace formproc::output {

namespace {

namespace fs = std::filesystem;

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    return object->has(key) && !object->isNull(key) ? object->getValue<std::string>(key) : std::string();
}

std::vector<std::string> texts(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    std::vector<std::string> out;
    if (!object->has(key)) return out;
    if (auto list = object->getArray(key)) {
        for (std::size_t i = 0; i < list->size(); ++i)
            out.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
    } else {
        out.push_back(object->getValue<std::string>(key));
    }
    return out;
}

SectionKind kindOf(const std::string& kind) {
    if (kind.empty() || kind == "rows") return SectionKind::Rows;
    if (kind == "table") return SectionKind::Table;
    if (kind == "options") return SectionKind::Options;
    if (kind == "declarations") return SectionKind::Declarations;
    if (kind == "text") return SectionKind::TextBox;
    throw std::runtime_error("unknown section kind \"" + kind + "\" (rows, table, options, declarations, text)");
}

// Each kind of section holds fields of its own type.
void checkSection(const IssuedSection& section, const forms::Form& form) {
    using forms::FieldType;
    if (section.fields.empty()) throw std::runtime_error("section \"" + section.title + "\" names no field");
    for (const auto& id : section.fields) {
        const forms::Field* field = form.field(id);
        if (!field)
            throw std::runtime_error("section \"" + section.title + "\": no field \"" + id + "\" in " + form.id);
        const bool fits =
            section.kind == SectionKind::Table          ? field->type == FieldType::List
            : section.kind == SectionKind::Options      ? field->type == FieldType::Set
            : section.kind == SectionKind::Declarations ? field->type == FieldType::Checkbox
            : section.kind == SectionKind::Rows
                ? field->type != FieldType::List && field->type != FieldType::Set
                : field->type != FieldType::List && field->type != FieldType::Set && field->type != FieldType::Checkbox;
        if (!fits) throw std::runtime_error("section \"" + section.title + "\": field \"" + id + "\" does not fit it");
    }
    if (!section.other.empty() && !form.field(section.other))
        throw std::runtime_error("section \"" + section.title + "\": no field \"" + section.other + "\"");
    if (!section.widths.empty() && section.kind == SectionKind::Table &&
        section.widths.size() != form.field(section.fields.front())->columns.size() + 1)
        throw std::runtime_error("section \"" + section.title + "\": widths need Lp. and one per column");
}

IssuedForm readLayout(const std::string& path, const forms::FormRegistry& registry) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    Poco::JSON::Parser parser;
    auto root = parser.parse(bytes.str()).extract<Poco::JSON::Object::Ptr>();
    if (!root) throw std::runtime_error("not a JSON object");
    IssuedForm layout;
    layout.form = text(root, "form");
    const forms::Form* form = registry.byId(layout.form);
    if (!form) throw std::runtime_error("no form \"" + layout.form + "\" is installed");
    layout.directory = fs::path(path).parent_path().string();
    layout.headerImage = text(root, "header_image");
    if (!layout.headerImage.empty() && !fs::is_regular_file(fs::path(layout.directory) / layout.headerImage))
        throw std::runtime_error("header_image \"" + layout.headerImage + "\" is not beside the layout");
    layout.annex = text(root, "annex");
    layout.title = texts(root, "title");
    layout.subtitle = text(root, "subtitle");
    layout.footer = text(root, "footer");
    if (root->has("label_share")) layout.labelShare = root->getValue<double>("label_share");
    if (auto labels = root->getObject("labels"))
        for (const auto& id : labels->getNames()) {
            if (!form->field(id)) throw std::runtime_error("labels: no field \"" + id + "\"");
            layout.labels[id] = labels->getValue<std::string>(id);
        }
    if (auto sections = root->getArray("sections"))
        for (std::size_t i = 0; i < sections->size(); ++i) {
            auto s = sections->getObject(static_cast<unsigned>(i));
            if (!s) throw std::runtime_error("sections hold something that is not an object");
            IssuedSection section;
            section.title = text(s, "title");
            section.kind = kindOf(text(s, "kind"));
            section.fields = texts(s, "fields");
            if (s->has("rows")) section.rows = s->getValue<int>("rows");
            if (s->has("blank_rows")) section.blankRows = s->getValue<int>("blank_rows");
            if (auto widths = s->getArray("widths"))
                for (std::size_t w = 0; w < widths->size(); ++w)
                    section.widths.push_back(widths->getElement<double>(static_cast<unsigned>(w)));
            section.other = text(s, "other");
            checkSection(section, *form);
            layout.sections.push_back(std::move(section));
        }
    if (auto signatures = root->getObject("signatures")) {
        layout.placeDateField = text(signatures, "place_date");
        if (!layout.placeDateField.empty() && !form->field(layout.placeDateField))
            throw std::runtime_error("signatures.place_date: no field \"" + layout.placeDateField + "\"");
        layout.leftCaption = text(signatures, "left");
        layout.rightCaption = text(signatures, "right");
    }
    return layout;
}

}  // namespace

std::string IssuedForm::label(const forms::Field& field) const {
    auto it = labels.find(field.id);
    return it == labels.end() ? field.label() : it->second;
}

std::shared_ptr<const IssuedForms> IssuedForms::loadDirectory(const std::string& dir,
                                                              const forms::FormRegistry& registry) {
    auto forms = std::make_shared<IssuedForms>();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return forms;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".json") continue;
        const std::string path = entry.path().string();
        try {
            IssuedForm layout = readLayout(path, registry);
            forms->_forms[layout.form] = std::move(layout);
        } catch (const Poco::Exception& e) {
            throw std::runtime_error(path + ": " + e.displayText());
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ": " + e.what());
        }
    }
    return forms;
}

const IssuedForm* IssuedForms::find(const std::string& formId) const {
    auto it = _forms.find(formId);
    return it == _forms.end() ? nullptr : &it->second;
}

}  // namespace formproc::output
