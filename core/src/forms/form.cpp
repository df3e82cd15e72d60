#include "formproc/forms/form.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace formproc::forms {

namespace {

struct TypeName {
    FieldType type;
    const char* name;
};

constexpr TypeName kTypeNames[] = {
    {FieldType::Text, "text"},
    {FieldType::Place, "place"},
    {FieldType::Address, "address"},
    {FieldType::Integer, "integer"},
    {FieldType::Date, "date"},
    {FieldType::PlaceDate, "place-date"},
    {FieldType::Nip, "nip"},
    {FieldType::Regon, "regon"},
    {FieldType::Pesel, "pesel"},
    {FieldType::Phone, "phone"},
    {FieldType::Email, "email"},
    {FieldType::PostalCode, "postal-code"},
    {FieldType::Digits, "digits"},
    {FieldType::Voivodeship, "voivodeship"},
    {FieldType::PowiatName, "powiat-name"},
    {FieldType::GminaName, "gmina-name"},
    {FieldType::GminaRef, "gmina-ref"},
    {FieldType::Enum, "enum"},
    {FieldType::Set, "set"},
    {FieldType::Checkbox, "checkbox"},
    {FieldType::List, "list"},
};

// Parameters each check kind accepts; those that name a field are checked
// against the form so that a typo fails at load, not at run time.
struct CheckSpec {
    const char* kind;
    std::vector<std::string> fieldParams;
    std::vector<std::string> otherParams;
};

const std::vector<CheckSpec>& checkSpecs() {
    static const std::vector<CheckSpec> specs = {
        {"required-if", {"field"}, {"contains"}},
        {"required-unless", {"field"}, {}},
        {"voivodeship-allowed", {}, {"codes"}},
        {"powiat-in-teryt", {"voivodeship"}, {}},
        {"code-matches-name", {"name"}, {"level"}},
        {"gmina-in-teryt", {"powiat", "voivodeship", "code"}, {}},
        {"gmina-in-powiat", {"powiat", "voivodeship"}, {}},
        {"gmina-rural-redirect", {"name"}, {}},
        {"gminy-of-powiat", {"powiat", "powiat-code", "voivodeship"}, {}},
        {"team-composition", {}, {"people", "institutions"}},
        {"pesel-age", {"pesel", "date"}, {}},
        {"within-project-period", {}, {}},
        {"not-after-submission", {}, {}},
    };
    return specs;
}

std::string text(const xmlNode* node) {
    xmlChar* content = xmlNodeGetContent(node);
    std::string out = content ? reinterpret_cast<const char*>(content) : "";
    xmlFree(content);
    // Collapse white space so that labels wrapped in the XML compare cleanly.
    std::string collapsed;
    bool space = false;
    for (char c : out) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !collapsed.empty();
        } else {
            if (space) collapsed.push_back(' ');
            space = false;
            collapsed.push_back(c);
        }
    }
    return collapsed;
}

std::string attr(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
}

bool hasAttr(const xmlNode* node, const char* name) {
    return xmlHasProp(node, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

bool is(const xmlNode* node, const char* name) {
    return node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

std::runtime_error loadError(const std::string& path, int line, const std::string& what) {
    return std::runtime_error(path + ":" + std::to_string(line) + ": " + what);
}

long long toInteger(const std::string& path, const xmlNode* node, const char* name) {
    try {
        return std::stoll(attr(node, name));
    } catch (const std::exception&) {
        throw loadError(path, static_cast<int>(xmlGetLineNo(node)),
                        std::string("attribute ") + name + " is not a number");
    }
}

// Owns the libxml2 objects of one validation.
struct Schema {
    xmlSchemaParserCtxtPtr parser = nullptr;
    xmlSchemaPtr schema = nullptr;
    ~Schema() {
        if (schema) xmlSchemaFree(schema);
        if (parser) xmlSchemaFreeParserCtxt(parser);
    }
};

struct ErrorCollector {
    std::string first;
    int line = 0;
};

void collectError(void* ctx, const xmlError* error) {
    auto* collector = static_cast<ErrorCollector*>(ctx);
    if (!collector->first.empty() || !error) return;
    collector->line = error->line;
    collector->first = error->message ? error->message : "invalid";
    while (!collector->first.empty() && collector->first.back() == '\n') collector->first.pop_back();
}

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

DocPtr parseAndValidate(const std::string& path, xmlSchemaPtr schema) {
    ErrorCollector errors;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) throw std::runtime_error("out of memory");
    xmlSetStructuredErrorFunc(
        &errors, reinterpret_cast<xmlStructuredErrorFunc>(+[](void* c, xmlErrorPtr e) { collectError(c, e); }));
    DocPtr doc(xmlCtxtReadFile(ctxt, path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOBLANKS), &xmlFreeDoc);
    xmlFreeParserCtxt(ctxt);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    if (!doc) throw loadError(path, errors.line, errors.first.empty() ? "cannot be parsed" : errors.first);

    xmlSchemaValidCtxtPtr valid = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(
        valid, reinterpret_cast<xmlStructuredErrorFunc>(+[](void* c, xmlErrorPtr e) { collectError(c, e); }), &errors);
    int rc = xmlSchemaValidateDoc(valid, doc.get());
    xmlSchemaFreeValidCtxt(valid);
    if (rc != 0) throw loadError(path, errors.line, errors.first.empty() ? "does not match form.xsd" : errors.first);
    return doc;
}

void readMessage(const xmlNode* node, Messages& into, bool withType) {
    std::string key = attr(node, "code");
    if (withType && hasAttr(node, "type")) key += "/" + attr(node, "type");
    into[key] = text(node);
}

Option readOption(const xmlNode* node) {
    Option option;
    option.code = attr(node, "code");
    for (const xmlNode* c = node->children; c; c = c->next)
        if (is(c, "label")) option.labels.push_back(text(c));
    return option;
}

Column readColumn(const std::string& path, const xmlNode* node) {
    Column column;
    column.id = attr(node, "id");
    column.type = *fieldTypeFromString(attr(node, "type"));
    column.required = attr(node, "required") == "true";
    if (hasAttr(node, "min")) column.min = toInteger(path, node, "min");
    if (hasAttr(node, "max")) column.max = toInteger(path, node, "max");
    if (hasAttr(node, "length")) column.length = static_cast<int>(toInteger(path, node, "length"));
    for (const xmlNode* c = node->children; c; c = c->next) {
        if (is(c, "label"))
            column.labels.push_back(text(c));
        else if (is(c, "acroform"))
            column.acroformNames.push_back(attr(c, "name"));
        else if (is(c, "option"))
            column.options.push_back(readOption(c));
        else if (is(c, "message"))
            readMessage(c, column.messages, false);
    }
    return column;
}

Check readCheck(const xmlNode* node) {
    Check check;
    check.kind = attr(node, "kind");
    check.line = static_cast<int>(xmlGetLineNo(node));
    for (const xmlAttr* a = node->properties; a; a = a->next) {
        std::string name = reinterpret_cast<const char*>(a->name);
        if (name == "kind") continue;
        check.params[name] = attr(node, name.c_str());
    }
    for (const xmlNode* c = node->children; c; c = c->next)
        if (is(c, "message")) readMessage(c, check.messages, false);
    return check;
}

Field readField(const std::string& path, const xmlNode* node) {
    Field field;
    field.id = attr(node, "id");
    field.type = *fieldTypeFromString(attr(node, "type"));
    field.required = attr(node, "required") == "true";
    field.sensitive = attr(node, "sensitive") == "true";
    const std::string content = attr(node, "content");
    field.content = content == "person"     ? TextContent::Person
                    : content == "office"   ? TextContent::Office
                    : content == "position" ? TextContent::Position
                    : content == "address"  ? TextContent::Address
                                            : TextContent::Any;
    if (hasAttr(node, "min")) field.min = toInteger(path, node, "min");
    if (hasAttr(node, "max")) field.max = toInteger(path, node, "max");
    if (hasAttr(node, "length")) field.length = static_cast<int>(toInteger(path, node, "length"));
    if (hasAttr(node, "rows")) field.rows = static_cast<int>(toInteger(path, node, "rows"));
    if (hasAttr(node, "page")) field.page = static_cast<int>(toInteger(path, node, "page"));
    field.dateField = attr(node, "date-field");
    const std::string position = attr(node, "value");
    field.valuePosition = position == "below"   ? ValuePosition::Below
                          : position == "above" ? ValuePosition::Above
                                                : ValuePosition::Right;
    for (const xmlNode* c = node->children; c; c = c->next) {
        if (is(c, "label"))
            field.labels.push_back(text(c));
        else if (is(c, "acroform"))
            field.acroformNames.push_back(attr(c, "name"));
        else if (is(c, "known"))
            field.known.push_back(text(c));
        else if (is(c, "option"))
            field.options.push_back(readOption(c));
        else if (is(c, "column"))
            field.columns.push_back(readColumn(path, c));
        else if (is(c, "check"))
            field.checks.push_back(readCheck(c));
        else if (is(c, "message"))
            readMessage(c, field.messages, false);
    }
    const int line = static_cast<int>(xmlGetLineNo(node));
    if (field.type == FieldType::List && field.columns.empty())
        throw loadError(path, line, "list field '" + field.id + "' has no columns");
    if ((field.type == FieldType::Set || field.type == FieldType::Enum) && field.options.empty())
        throw loadError(path, line, "field '" + field.id + "' needs options");
    if (field.type == FieldType::PlaceDate && field.dateField.empty())
        throw loadError(path, line, "place-date field '" + field.id + "' needs date-field");
    if (field.type == FieldType::Digits && field.length == 0)
        throw loadError(path, line, "digits field '" + field.id + "' needs length");
    for (const auto& column : field.columns)
        if (column.type == FieldType::Digits && column.length == 0)
            throw loadError(path, line, "digits column '" + column.id + "' needs length");
    return field;
}

void checkReferences(const Form& form) {
    for (const auto& field : form.fields) {
        for (const auto& check : field.checks) {
            auto spec = std::find_if(checkSpecs().begin(), checkSpecs().end(),
                                     [&](const CheckSpec& s) { return check.kind == s.kind; });
            if (spec == checkSpecs().end())
                throw loadError(form.path, check.line, "unknown check kind '" + check.kind + "'");
            for (const auto& [name, value] : check.params) {
                bool isField =
                    std::find(spec->fieldParams.begin(), spec->fieldParams.end(), name) != spec->fieldParams.end();
                bool isOther =
                    std::find(spec->otherParams.begin(), spec->otherParams.end(), name) != spec->otherParams.end();
                if (!isField && !isOther)
                    throw loadError(form.path, check.line,
                                    "check '" + check.kind + "' has no parameter '" + name + "'");
                if (isField && !form.field(value))
                    throw loadError(form.path, check.line,
                                    "check '" + check.kind + "' names unknown field '" + value + "'");
            }
        }
    }
}

}  // namespace

std::optional<FieldType> fieldTypeFromString(std::string_view text) {
    for (const auto& t : kTypeNames)
        if (text == t.name) return t.type;
    return std::nullopt;
}

const char* toString(FieldType type) {
    for (const auto& t : kTypeNames)
        if (t.type == type) return t.name;
    return "text";
}

std::vector<std::string> checkKinds() {
    std::vector<std::string> kinds;
    for (const auto& spec : checkSpecs()) kinds.emplace_back(spec.kind);
    return kinds;
}

const std::string& Check::param(const std::string& key) const {
    static const std::string empty;
    auto it = params.find(key);
    return it == params.end() ? empty : it->second;
}

const Option* Field::option(std::string_view code) const {
    for (const auto& o : options)
        if (o.code == code) return &o;
    return nullptr;
}

const Column* Field::column(std::string_view columnId) const {
    for (const auto& c : columns)
        if (c.id == columnId) return &c;
    return nullptr;
}

const Field* Form::field(std::string_view fieldId) const {
    for (const auto& f : fields)
        if (f.id == fieldId) return &f;
    return nullptr;
}

std::string Form::messageFor(const Field& f, const Check* check, const std::string& code) const {
    if (check) {
        auto it = check->messages.find(code);
        if (it != check->messages.end()) return it->second;
    }
    if (auto it = f.messages.find(code); it != f.messages.end()) return it->second;
    if (auto it = messages.find(code + "/" + toString(f.type)); it != messages.end()) return it->second;
    if (auto it = messages.find(code); it != messages.end()) return it->second;
    return "Pole „{label}” wymaga poprawienia.";
}

namespace {

// The text keys the core asks for: checked at load, so that a messages.xml
// without one fails at start, naming the key, and never at a card.
constexpr const char* kRequiredTexts[] = {
    "rejected.empty",
    "rejected.too_big",
    "rejected.unknown_format",
    "rejected.unknown_format.known",
    "rejected.unknown_format.misnamed",
    "rejected.timeout",
    "rejected.malformed",
    "rejected.encrypted",
    "rejected.too_complex",
    "rejected.unreadable",
    "rejected.unsupported",
    "rejected.internal",
    "rejected.not_a_card",
    "late",
    "late.post",
    "late.received",
    "gmina_kind.other",
    "annex.source.campaign",
    "annex.status.campaign",
    "duplicate.file",
    "duplicate.message",
    "reply.subject",
    "reply.body",
    "reply.closing",
    "reply.note",
};

std::string unhex(const std::string& hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

}  // namespace

namespace {

Catalog readCatalog(const std::string& path, const xmlNode* root) {
    Catalog catalog;
    for (const xmlNode* c = root->children; c; c = c->next) {
        if (is(c, "text")) {
            catalog.addText(attr(c, "key"), text(c));
        } else if (is(c, "decision")) {
            if (const auto decision = decisionFromString(attr(c, "code")))
                catalog.addDecision(*decision, {attr(c, "title"), attr(c, "report"), attr(c, "status")});
        } else if (is(c, "media")) {
            catalog.addMedia(attr(c, "type"), text(c), unhex(attr(c, "magic")));
        }
    }
    if (const std::string missing = catalog.missing(); !missing.empty())
        throw std::runtime_error(path + ": " + missing + " is missing");
    return catalog;
}

}  // namespace

std::string Catalog::missing() const {
    for (const char* key : kRequiredTexts)
        if (!has(key)) return "<text key=\"" + std::string(key) + "\">";
    for (Decision d : allDecisions())
        if (!_decisions.count(d)) return "<decision code=\"" + std::string(toString(d)) + "\">";
    return {};
}

std::string Catalog::text(std::string_view key, const std::map<std::string, std::string>& vars) const {
    auto it = _texts.find(std::string(key));
    if (it == _texts.end()) throw std::out_of_range("messages.xml has no text '" + std::string(key) + "'");
    return fillTemplate(it->second, vars);
}

const DecisionNames& Catalog::decision(Decision decision) const {
    auto it = _decisions.find(decision);
    if (it == _decisions.end())
        throw std::out_of_range("messages.xml has no decision '" + std::string(toString(decision)) + "'");
    return it->second;
}

std::string Catalog::mediaName(std::string_view mediaType) const {
    for (const auto& m : _media)
        if (m.type == mediaType) return m.name;
    return {};
}

std::string Catalog::sniff(std::string_view head) const {
    for (const auto& m : _media)
        if (!m.magic.empty() && head.starts_with(m.magic)) return m.type;
    return {};
}

std::shared_ptr<const FormRegistry> FormRegistry::loadDirectory(const std::string& dir) {
    namespace fs = std::filesystem;
    const std::string xsdPath = (fs::path(dir) / "form.xsd").string();
    Schema schema;
    schema.parser = xmlSchemaNewParserCtxt(xsdPath.c_str());
    if (schema.parser) schema.schema = xmlSchemaParse(schema.parser);
    if (!schema.schema) throw std::runtime_error(xsdPath + ": the form schema cannot be loaded");

    Messages defaults;
    auto registry = std::make_shared<FormRegistry>();
    const std::string messagesPath = (fs::path(dir) / "messages.xml").string();
    if (!fs::exists(messagesPath)) throw std::runtime_error(messagesPath + ": the default messages are missing");
    {
        DocPtr doc = parseAndValidate(messagesPath, schema.schema);
        for (const xmlNode* c = xmlDocGetRootElement(doc.get())->children; c; c = c->next)
            if (is(c, "message")) readMessage(c, defaults, true);
        registry->_catalog = readCatalog(messagesPath, xmlDocGetRootElement(doc.get()));
    }

    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".xml" && entry.path().filename() != "messages.xml")
            files.push_back(entry.path());
    if (ec) throw std::runtime_error(dir + ": cannot list the forms directory: " + ec.message());
    std::sort(files.begin(), files.end());

    std::set<std::string> ids;
    for (const auto& file : files) {
        const std::string path = file.string();
        DocPtr doc = parseAndValidate(path, schema.schema);
        const xmlNode* root = xmlDocGetRootElement(doc.get());
        auto form = std::make_unique<Form>();
        form->path = path;
        form->id = attr(root, "id");
        form->version = attr(root, "version");
        form->messages = defaults;
        if (!ids.insert(form->id).second)
            throw loadError(path, static_cast<int>(xmlGetLineNo(root)), "form id '" + form->id + "' is defined twice");
        for (const xmlNode* c = root->children; c; c = c->next) {
            if (is(c, "title")) {
                form->title = text(c);
            } else if (is(c, "identify")) {
                for (const xmlNode* t = c->children; t; t = t->next) {
                    if (is(t, "title-text"))
                        form->titleTexts.push_back(text(t));
                    else if (is(t, "exclude-text"))
                        form->excludeTexts.push_back(text(t));
                }
            } else if (is(c, "decision")) {
                form->deadlineApplies = attr(c, "deadline") == "true";
                const std::string outcome = attr(c, "outcome");
                form->outcome = outcome == "qualified"          ? Outcome::Qualified
                                : outcome == "powiat-enrolment" ? Outcome::PowiatEnrolment
                                                                : Outcome::Accepted;
                if (hasAttr(c, "review-threshold")) form->reviewThreshold = std::stod(attr(c, "review-threshold"));
            } else if (is(c, "messages")) {
                for (const xmlNode* m = c->children; m; m = m->next)
                    if (is(m, "message")) readMessage(m, form->messages, true);
            } else if (is(c, "field")) {
                form->fields.push_back(readField(path, c));
            } else if (is(c, "section")) {
                form->sections.push_back(attr(c, "title"));
                for (const xmlNode* f = c->children; f; f = f->next)
                    if (is(f, "field")) {
                        form->fields.push_back(readField(path, f));
                        form->fields.back().section = form->sections.back();
                    }
            }
        }
        for (auto& field : form->fields)
            if (field.acroformNames.empty()) field.acroformNames.push_back(field.id);
        checkReferences(*form);
        registry->_forms.push_back(std::move(form));
    }
    if (registry->_forms.empty()) throw std::runtime_error(dir + ": no form definitions found");
    return registry;
}

const Form* FormRegistry::byId(std::string_view id) const {
    for (const auto& f : _forms)
        if (f->id == id) return f.get();
    return nullptr;
}

std::string fillTemplate(std::string_view tmpl, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(tmpl.size() + 32);
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '{') {
            std::size_t end = tmpl.find('}', i);
            if (end != std::string_view::npos) {
                auto it = values.find(std::string(tmpl.substr(i + 1, end - i - 1)));
                if (it != values.end()) {
                    out += it->second;
                    i = end;
                    continue;
                }
            }
        }
        out.push_back(tmpl[i]);
    }
    return out;
}

const char* pluralPl(long long n, const char* one, const char* few, const char* many) {
    if (n == 1) return one;
    long long lastTwo = n % 100, last = n % 10;
    if (last >= 2 && last <= 4 && !(lastTwo >= 12 && lastTwo <= 14)) return few;
    return many;
}

}  // namespace formproc::forms
