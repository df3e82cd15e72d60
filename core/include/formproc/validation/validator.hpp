// Normalisation, validation and the decision: everything MODEL.md says about
// a card, driven by its form definition.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/checks.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::validation {

// A field's value as read, before normalisation. Readers of any kind
// (AcroForm, text layer, OCR) are mapped into this by the pipeline.
struct Extracted {
    std::string text;                // scalar fields and check boxes ("1"/"0", "☒", "tak", ...)
    std::vector<std::string> items;  // set fields: codes or labels that are ticked
    std::map<int, std::map<std::string, std::string>> rows;  // list fields: row -> column -> text
    int page = 0;
    double confidence = 1.0;
    std::string source;
    // Where the value stands on its page (fractions of the page), when the
    // reader gave positions: words with boxes, a form field's widget.
    std::optional<PageBox> box;
    // Read by OCR: the validator may repair what the recogniser typically
    // gets wrong (the "@" of an address, a digit of an identifier whose
    // checksum fails), with a lowered confidence.
    bool recognised = false;
    // Other readings of a scalar value the recogniser offered, most likely
    // first (e.g. the digits of an identifier read again with digits only).
    std::vector<std::string> alternatives;
};

using ExtractedFields = std::map<std::string, Extracted>;

struct Context {
    std::optional<Date> submitted;  // the date that dates the submission, when known
    std::string channel;            // how it came ("email", "post", "upload", …): how lateness is said
};

class Validator {
public:
    // `forms` gives the sentences that are no field's (messages.xml).
    Validator(std::shared_ptr<const forms::FormRegistry> forms, std::shared_ptr<const TerytRegister> teryt,
              std::shared_ptr<const Campaign> campaign);

    // Fills result.fields, result.issues and result.decision for a card of
    // `form`. Thread-safe: the validator holds no mutable state.
    void apply(const forms::Form& form, const ExtractedFields& extracted, const Context& context, Result& result) const;

    const Campaign& campaign() const { return *_campaign; }
    const TerytRegister& teryt() const { return *_teryt; }
    const forms::Catalog& catalog() const { return _forms->catalog(); }

private:
    std::shared_ptr<const forms::FormRegistry> _forms;
    std::shared_ptr<const TerytRegister> _teryt;
    std::shared_ptr<const Campaign> _campaign;
};

// Interprets a check box as written: "1", "true", "tak", "x", "☒", "✔", ... -> true.
bool isTicked(std::string_view text);

}  // namespace formproc::validation
