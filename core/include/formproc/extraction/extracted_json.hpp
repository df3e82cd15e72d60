// A document's fields as read (validation::ExtractedFields) to JSON and
// back, so that the service can keep what was read beside the result and
// decide again when a reviewer corrects a field; and the corrections
// themselves, in the shape of OUTPUT.md's values.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "formproc/forms/form.hpp"
#include "formproc/validation/validator.hpp"

namespace formproc::extraction {

// One JSON object keyed by field id. Thread-safe.
std::string extractedToJson(const validation::ExtractedFields& fields);

// A value's box as JSON (OUTPUT.md's optional "box" of a field):
// {"page": 1, "x": …, "y": …, "w": …, "h": …}, fractions rounded to four
// places. Thread-safe.
Poco::JSON::Object::Ptr pageBoxToJson(const PageBox& box);

// The inverse; nothing when a key is missing or out of range (a page below
// 1, a fraction outside 0..1). Thread-safe.
std::optional<PageBox> pageBoxFromJson(const Poco::JSON::Object& o);

// The inverse; throws std::runtime_error on JSON that is not of this shape.
validation::ExtractedFields extractedFromJson(const std::string& json);

// Puts a reviewer's value for `field` into `fields`, replacing what was
// read: a string for text-like fields (as a person writes it or as OUTPUT.md
// normalises it), true/false for a check box, a number or string for an
// integer, an array of option codes for a set, an array of objects (column
// id -> value) for a list, null to clear the field. The value gets
// confidence 1 and source "correction". Returns an English error (the value
// has the wrong shape) or an empty string.
std::string applyCorrection(validation::ExtractedFields& fields, const forms::Field& field,
                            const Poco::Dynamic::Var& value);

}  // namespace formproc::extraction
