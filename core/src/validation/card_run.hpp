// One card's validation in progress (validator.hpp): the values normalised
// so far, the issues found, the TERYT context the checks share and the facts
// the decision needs. Built by Validator::apply for one call; not
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "formproc/validation/validator.hpp"

namespace formproc::validation {

class CardRun {
public:
    using Vars = std::map<std::string, std::string>;

    CardRun(const Validator& validator, const forms::Form& form, const ExtractedFields& extracted,
            const Context& context, Result& result)
        : _v(validator), _form(form), _extracted(extracted), _context(context), _result(result) {}

    const forms::Form& form() const { return _form; }
    const ExtractedFields& extracted() const { return _extracted; }
    const Context& context() const { return _context; }
    Result& result() { return _result; }
    const TerytRegister& teryt() const { return _v.teryt(); }
    const Campaign& campaign() const { return _v.campaign(); }
    const forms::Catalog& catalog() const { return _v.catalog(); }

    // The normalised value of a field; null when it has none.
    FieldValue* value(const std::string& id);
    // The normalised value of a field when it is text; null otherwise.
    const std::string* text(const std::string& id);
    // Adds the normalised value of `field`, with the read value's confidence,
    // page and provenance.
    void put(const forms::Field& field, Value v, const Extracted& e);

    // Remembers the value as written, for the {value} of its messages.
    void setWritten(const std::string& fieldId, std::string written) { _written[fieldId] = std::move(written); }
    // Adds an issue on `field` with the message of `messageKey` (the check's,
    // the field's or the form's) filled with `vars`, {label} and {value};
    // its code is `code`, or `messageKey` when empty.
    void issue(const forms::Field& field, const forms::Check* check, const std::string& messageKey, Severity severity,
               Vars vars, const std::string& code = {});
    // The field has an issue of severity Error.
    bool hasIssue(const std::string& fieldId) const;

    // --- TERYT context shared by normalisation and checks ---
    // The 2-digit code of the voivodeship named in `fieldId`; empty when none.
    std::string voivodeshipCode(const std::string& fieldId);
    // The voivodeship the card names (its first field of that type); empty when none.
    std::string cardVoivodeship();
    // The powiat a card names, when it resolves to exactly one unit.
    const TerytUnit* resolvePowiat(const std::string& nameField, const std::string& codeField,
                                   const std::string& voivodeshipField);
    // Picks among same-named gminy (Tomaszów Lubelski is both urban and
    // rural): a card's own wording decides, rural by default.
    const TerytUnit* pickGmina(const std::vector<const TerytUnit*>& found);
    // The gmina a card is about: by its code when that is known, else by
    // the name in `nameField` within the check's powiat or voivodeship.
    const TerytUnit* gminaOfCard(const forms::Check& check, const std::string& nameField, const std::string* code);

    // --- facts for the decision ---
    void redirectTo(std::string office) { _redirectOffice = std::move(office); }
    bool redirected() const { return _redirectOffice.has_value(); }
    void noteEnrolled() { _anyEnrolled = true; }
    bool anyEnrolled() const { return _anyEnrolled; }

private:
    const Validator& _v;
    const forms::Form& _form;
    const ExtractedFields& _extracted;
    const Context& _context;
    Result& _result;
    std::map<std::string, std::string> _written;  // field id -> the value as written (for messages)
    std::optional<std::string> _redirectOffice;
    bool _anyEnrolled = false;
};

// A date as Polish messages write it: DD.MM.YYYY.
std::string polishDate(const Date& d);

// A gmina's kind as the complement of „jest gminą …” (messages.xml).
std::string kindNamePl(const forms::Catalog& catalog, int kind);

// Normalises the value read for `field` (if any) into the run's result,
// repairing OCR readings from evidence, and reports format and checksum
// problems (normalise.cpp).
void normaliseField(CardRun& run, const forms::Field& field);

// Reports a required field that is absent (a required check box that is
// not ticked) and a set or list with fewer entries than its minimum.
void checkRequired(CardRun& run, const forms::Field& field);

}  // namespace formproc::validation
