// Form definitions: the single source of truth for extraction, validation and
// output. Loaded from forms/*.xml, each checked against forms/form.xsd.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formproc/document/document.hpp"

namespace formproc::forms {

// Place and Address are text as written; they say what the text names, so
// that a value read by OCR may be checked against the TERYT register (a
// locality; an address ending in a postal code and a locality).
enum class FieldType {
    Text,
    Place,
    Address,
    Integer,
    Date,
    PlaceDate,
    Nip,
    Regon,
    Pesel,
    Phone,
    Email,
    PostalCode,
    Digits,
    Voivodeship,
    PowiatName,
    GminaName,
    GminaRef,
    Enum,
    Set,
    Checkbox,
    List
};

std::optional<FieldType> fieldTypeFromString(std::string_view text);
const char* toString(FieldType type);

enum class Outcome { Accepted, Qualified, PowiatEnrolment };

// Where a value stands relative to its printed label on a laid-out card.
enum class ValuePosition { Right, Below, Above };

struct Option {
    std::string code;
    std::vector<std::string> labels;  // the first is the printed label
};

// Messages keyed by the code they answer ("missing", "format", ...).
using Messages = std::map<std::string, std::string>;

struct Check {
    std::string kind;
    std::map<std::string, std::string> params;
    Messages messages;
    int line = 0;  // where it stands in its file, for error reports

    const std::string& param(const std::string& key) const;  // "" when absent
};

// The check kinds a form may use (the loader refuses any other), in the
// order of form.xsd. Each has an implementation in the validator
// (validation/check_registry.hpp). Thread-safe.
std::vector<std::string> checkKinds();

struct Column {
    std::string id;
    FieldType type = FieldType::Text;
    bool required = false;
    std::optional<long long> min, max;
    int length = 0;
    std::vector<std::string> labels;
    std::vector<std::string> acroformNames;  // may contain {n}
    std::vector<Option> options;
    Messages messages;
};

// What a text field holds, for the repairs of a value OCR read (prose_repair.hpp).
enum class TextContent { Any, Person, Office, Position, Address, Place };

struct Field {
    std::string id;
    FieldType type = FieldType::Text;
    TextContent content = TextContent::Any;
    std::vector<std::string> known;  // content="position": the usual values
    bool required = false;
    bool sensitive = false;
    std::optional<long long> min, max;
    int length = 0;
    int rows = 0;
    int page = 0;
    std::string dateField;  // place-date: id of the derived date
    ValuePosition valuePosition = ValuePosition::Right;
    std::vector<std::string> labels;
    std::vector<std::string> acroformNames;  // defaults to {id}
    std::vector<Option> options;
    std::vector<Column> columns;
    std::vector<Check> checks;
    Messages messages;
    // The title of the card's section the field stands in ("2. Dane
    // jednostki zgłaszającej"); empty when the form gives none for it.
    std::string section;

    const std::string& label() const { return labels.front(); }
    const Option* option(std::string_view code) const;
    const Column* column(std::string_view id) const;
};

struct Form {
    std::string id;
    std::string version;
    std::string title;
    std::vector<std::string> titleTexts;
    std::vector<std::string> excludeTexts;
    bool deadlineApplies = true;
    Outcome outcome = Outcome::Accepted;
    double reviewThreshold = 0.80;
    std::vector<Field> fields;  // in card order, sections' fields included
    // The titles of the card's sections (<section>), in card order; empty
    // when the form is not divided into sections.
    std::vector<std::string> sections;
    // Defaults by "code" and by "code/type" (messages.xml, then the form's own).
    Messages messages;
    std::string path;

    const Field* field(std::string_view id) const;

    // The message for an issue: check's own, field's own, type default, code
    // default. Never empty (falls back to a generic sentence).
    std::string messageFor(const Field& field, const Check* check, const std::string& code) const;
};

// How a decision is named for people (forms/messages.xml <decision>).
struct DecisionNames {
    std::string title;   // the letter's title: "wezwanie do uzupełnienia braków"
    std::string report;  // its line in the report of submissions
    std::string status;  // a gmina's status on Zał. nr 1; empty when the decision gives none
};

// Every sentence a person reads that is not a field's issue: refusals,
// lateness, decision names, names of file formats (forms/messages.xml).
// Immutable after load; thread-safe.
class Catalog {
public:
    // The text of `key` with its {placeholders} filled. Throws
    // std::out_of_range naming the key when messages.xml lacks it (the keys
    // the core uses are checked at load, so this is a programming error).
    std::string text(std::string_view key, const std::map<std::string, std::string>& vars = {}) const;
    bool has(std::string_view key) const { return _texts.count(std::string(key)) > 0; }
    const DecisionNames& decision(Decision decision) const;
    // "obraz JPEG" for "image/jpeg"; empty when messages.xml does not name it.
    std::string mediaName(std::string_view mediaType) const;
    // The media type of a known format that no reader takes (a .doc, a ZIP),
    // by its first bytes; empty when none matches.
    std::string sniff(std::string_view head) const;

    // Building (FormRegistry::loadDirectory, tests).
    void addText(std::string key, std::string text) { _texts[std::move(key)] = std::move(text); }
    void addDecision(Decision decision, DecisionNames names) { _decisions[decision] = std::move(names); }
    void addMedia(std::string type, std::string name, std::string magic) {
        _media.push_back({std::move(type), std::move(name), std::move(magic)});
    }
    // The first text key the core needs or decision that is missing; empty when complete.
    std::string missing() const;

private:
    struct Media {
        std::string type;
        std::string name;
        std::string magic;  // raw bytes; empty when not given
    };
    std::map<std::string, std::string> _texts;
    std::map<Decision, DecisionNames> _decisions;
    std::vector<Media> _media;
};

// All forms of a directory. Immutable after load; safe to share across threads.
class FormRegistry {
public:
    // Loads every *.xml in `dir` except messages.xml, validating each against
    // dir/form.xsd. Throws std::runtime_error naming the file and line of the
    // first problem (schema violation, unknown check parameter, duplicate id).
    static std::shared_ptr<const FormRegistry> loadDirectory(const std::string& dir);

    const Form* byId(std::string_view id) const;
    const std::vector<std::unique_ptr<Form>>& forms() const { return _forms; }
    const Catalog& catalog() const { return _catalog; }

private:
    std::vector<std::unique_ptr<Form>> _forms;
    Catalog _catalog;
};

// Replaces {name} placeholders in a message template.
std::string fillTemplate(std::string_view tmpl, const std::map<std::string, std::string>& values);

// Polish plural: pluralPl(2, "cyfra", "cyfry", "cyfr") -> "cyfry".
const char* pluralPl(long long n, const char* one, const char* few, const char* many);

}  // namespace formproc::forms
