#include "formproc/extraction/extracted_json.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace formproc::extraction {

namespace {

Poco::JSON::Array::Ptr stringArray(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& item : items) array->add(item);
    return array;
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> out;
    if (!array) return out;
    for (std::size_t i = 0; i < array->size(); ++i)
        out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

// A scalar as the validator reads it when written by a person.
std::string scalarText(const Poco::Dynamic::Var& value) {
    if (value.isBoolean()) return value.extract<bool>() ? "1" : "0";
    return value.convert<std::string>();
}

double fourPlaces(double v) { return std::round(v * 10000.0) / 10000.0; }

}  // namespace

Poco::JSON::Object::Ptr pageBoxToJson(const PageBox& box) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("page", box.page);
    o->set("x", fourPlaces(box.x));
    o->set("y", fourPlaces(box.y));
    o->set("w", fourPlaces(box.w));
    o->set("h", fourPlaces(box.h));
    return o;
}

std::optional<PageBox> pageBoxFromJson(const Poco::JSON::Object& o) {
    try {
        PageBox box{o.getValue<int>("page"), o.getValue<double>("x"), o.getValue<double>("y"), o.getValue<double>("w"),
                    o.getValue<double>("h")};
        auto fraction = [](double v) { return v >= 0.0 && v <= 1.0; };
        if (box.page < 1 || !fraction(box.x) || !fraction(box.y) || !fraction(box.w) || !fraction(box.h))
            return std::nullopt;
        return box;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::string extractedToJson(const validation::ExtractedFields& fields) {
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [id, e] : fields) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        if (!e.text.empty()) o->set("text", e.text);
        if (!e.items.empty()) o->set("items", stringArray(e.items));
        if (!e.rows.empty()) {
            Poco::JSON::Object::Ptr rows = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            for (const auto& [n, cells] : e.rows) {
                Poco::JSON::Object::Ptr row = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                for (const auto& [column, text] : cells) row->set(column, text);
                rows->set(std::to_string(n), row);
            }
            o->set("rows", rows);
        }
        o->set("page", e.page);
        o->set("confidence", e.confidence);
        o->set("source", e.source);
        if (e.box) o->set("box", pageBoxToJson(*e.box));
        if (e.recognised) o->set("recognised", true);
        if (!e.alternatives.empty()) o->set("alternatives", stringArray(e.alternatives));
        root.set(id, o);
    }
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

validation::ExtractedFields extractedFromJson(const std::string& json) {
    validation::ExtractedFields fields;
    try {
        Poco::JSON::Parser parser;
        auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        for (const auto& [id, var] : *root) {
            auto o = var.extract<Poco::JSON::Object::Ptr>();
            validation::Extracted e;
            e.text = o->optValue<std::string>("text", "");
            e.items = strings(o->getArray("items"));
            if (auto rows = o->getObject("rows"))
                for (const auto& [n, cells] : *rows) {
                    auto& row = e.rows[std::stoi(n)];
                    for (const auto& [column, text] : *cells.extract<Poco::JSON::Object::Ptr>())
                        row[column] = text.convert<std::string>();
                }
            e.page = o->optValue<int>("page", 0);
            e.confidence = o->optValue<double>("confidence", 1.0);
            e.source = o->optValue<std::string>("source", "");
            if (auto box = o->getObject("box")) e.box = pageBoxFromJson(*box);
            e.recognised = o->optValue<bool>("recognised", false);
            e.alternatives = strings(o->getArray("alternatives"));
            fields[id] = std::move(e);
        }
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("extracted fields: " + error.displayText());
    } catch (const std::logic_error& error) {
        throw std::runtime_error(std::string("extracted fields: ") + error.what());
    }
    return fields;
}

std::string applyCorrection(validation::ExtractedFields& fields, const forms::Field& field,
                            const Poco::Dynamic::Var& value) {
    if (value.isEmpty()) {
        fields.erase(field.id);
        return {};
    }
    validation::Extracted e;
    const int page = fields.count(field.id) ? fields[field.id].page : field.page;
    // The correction stands where the value was read: the desk still shows that place.
    const std::optional<PageBox> box = fields.count(field.id) ? fields[field.id].box : std::nullopt;
    try {
        if (field.type == forms::FieldType::Set) {
            if (value.type() != typeid(Poco::JSON::Array::Ptr))
                return field.id + ": a list of option codes is expected";
            for (const auto& code : strings(value.extract<Poco::JSON::Array::Ptr>())) {
                if (!field.option(code)) return field.id + ": '" + code + "' is not one of its options";
                e.items.push_back(code);
            }
        } else if (field.type == forms::FieldType::List) {
            if (value.type() != typeid(Poco::JSON::Array::Ptr)) return field.id + ": a list of rows is expected";
            auto rows = value.extract<Poco::JSON::Array::Ptr>();
            for (std::size_t i = 0; i < rows->size(); ++i) {
                auto row = rows->getObject(static_cast<unsigned>(i));
                if (!row) return field.id + ": row " + std::to_string(i + 1) + " is not an object";
                for (const auto& [column, cell] : *row) {
                    if (!field.column(column)) return field.id + ": no column '" + column + "'";
                    if (!cell.isEmpty()) e.rows[static_cast<int>(i) + 1][column] = scalarText(cell);
                }
            }
        } else if (field.type == forms::FieldType::Checkbox) {
            if (!value.isBoolean()) return field.id + ": true or false is expected";
            e.text = value.extract<bool>() ? "1" : "0";
        } else {
            if (value.type() == typeid(Poco::JSON::Array::Ptr) || value.type() == typeid(Poco::JSON::Object::Ptr))
                return field.id + ": a single value is expected";
            e.text = scalarText(value);
        }
    } catch (const Poco::Exception& error) {
        return field.id + ": " + error.displayText();
    }
    e.page = page;
    e.box = box;
    e.confidence = 1.0;
    e.source = "correction";
    fields[field.id] = std::move(e);
    return {};
}

}  // namespace formproc::extraction
