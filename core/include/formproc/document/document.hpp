// The data model of one processed document: normalised field values, issues
// and the decision, as the contract (OUTPUT.md) describes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "formproc/sdk/reader.hpp"

namespace formproc {

// A scalar cell of a list row.
using Scalar = std::variant<std::monostate, bool, std::int64_t, std::string>;
// One row of a list field: column id -> value, in the form's column order.
using Row = std::vector<std::pair<std::string, Scalar>>;
// A normalised field value: empty, checkbox, integer, text/date/code, set of
// codes (sorted), or list of rows.
using Value = std::variant<std::monostate, bool, std::int64_t, std::string, std::vector<std::string>, std::vector<Row>>;

bool isEmpty(const Value& value);
const Scalar* findCell(const Row& row, std::string_view column);

enum class Severity { Error, Warning, Review };
const char* toString(Severity severity);

// The decisions of MODEL.md. Their strings (toString) are the contract's
// (OUTPUT.md); everywhere else the enum is used. Each has a letter template
// of its name and a title in forms/messages.xml.
enum class Decision { Accepted, Qualified, Reserve, Incomplete, Late, Redirect, Rejected };
const char* toString(Decision decision);
std::optional<Decision> decisionFromString(std::string_view text);
// Every decision, in the order of MODEL.md's table.
const std::vector<Decision>& allDecisions();

struct Issue {
    std::optional<std::string> field;  // nullopt -> JSON null
    std::string code;
    Severity severity = Severity::Error;
    std::string message;  // plain Polish for the person who filled the card
};

// Where a value stands on its page: fractions (0..1) of the page's width
// and height, origin top-left, so that it fits the page image at any DPI.
struct PageBox {
    int page = 0;  // 1-based
    double x = 0, y = 0, w = 0, h = 0;
};

struct FieldValue {
    Value value;
    double confidence = 1.0;
    int page = 0;
    std::string source;  // provenance: acroform, text-layer, ocr, ...
    // Where it was read (words with boxes, a form field's widget); absent
    // when the reader gave no position (a Word document, an ePUAP file).
    std::optional<PageBox> box = std::nullopt;
};

struct Submitted {
    std::string channel;    // email, upload, post, epuap, ...
    std::string date;       // YYYY-MM-DD, empty when unknown
    std::string messageId;  // e-mail Message-ID, may be empty
};

// Everything a reader found, before the form is applied (crosses the worker pipe).
struct RawDocument {
    sdk::Status status = sdk::Status::Internal;
    std::string plugin;
    std::vector<sdk::RawField> fields;
    // The widget of a form field (sdk::Sink::fieldBox), in page units.
    struct FieldBox {
        std::size_t field;  // index into `fields`
        sdk::Box box;
    };
    std::vector<FieldBox> fieldBoxes;
    struct Word {
        int page;
        std::string text;
        sdk::Box box;
        double confidence;
        std::vector<std::string> alternatives;  // other readings, most likely first
    };
    std::vector<Word> words;
    struct Page {
        int number;
        double width, height;
        // How a recogniser turned the page before reading it (its words are
        // in that frame): quarter turns clockwise, then the skew taken out
        // (degrees, clockwise positive, about the page's centre, same size).
        int quarterTurns = 0;
        double skew = 0;
    };
    std::vector<Page> pages;
    // The typed page reports (sdk::PageContent) of pages that are not plain text.
    struct PageReport {
        int number;
        sdk::PageContent content;
    };
    std::vector<PageReport> pageReports;
    std::vector<std::pair<std::string, std::string>> metadata;
    std::vector<std::string> notes;
    std::string failure;  // set by the host when the worker crashed or timed out

    const std::string* meta(std::string_view key) const;
    // Sets each page's quarterTurns and skew from the recogniser's metadata
    // ("rotation_page_N" in degrees, "skew_page_N"); malformed values are ignored.
    void takePageGeometry();
    // The pages reported with one of `contents`, ascending, each once.
    std::vector<int> pagesReported(std::initializer_list<sdk::PageContent> contents) const;
};

struct Result {
    std::string source;
    std::string sha256;
    std::string mediaType;
    std::string plugin;               // empty -> null
    std::optional<std::string> form;  // nullopt -> null
    std::optional<Submitted> submitted;
    std::vector<std::pair<std::string, FieldValue>> fields;  // form order
    std::vector<Issue> issues;
    Decision decision = Decision::Rejected;

    const FieldValue* field(std::string_view id) const;
};

}  // namespace formproc
