// The result as JSON (OUTPUT.md).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "formproc/extraction/extracted_json.hpp"
#include "formproc/pipeline/pipeline.hpp"

namespace formproc::pipeline {

namespace {

Poco::Dynamic::Var scalarJson(const Scalar& s) {
    if (auto* b = std::get_if<bool>(&s)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&s)) return static_cast<Poco::Int64>(*i);
    if (auto* t = std::get_if<std::string>(&s)) return *t;
    return Poco::Dynamic::Var();
}

Poco::Dynamic::Var valueJson(const Value& v) {
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<Poco::Int64>(*i);
    if (auto* t = std::get_if<std::string>(&v)) return *t;
    if (auto* set = std::get_if<std::vector<std::string>>(&v)) {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& s : *set) a->add(s);
        return a;
    }
    if (auto* rows = std::get_if<std::vector<Row>>(&v)) {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& row : *rows) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            for (const auto& [k, cell] : row) o->set(k, scalarJson(cell));
            a->add(o);
        }
        return a;
    }
    return Poco::Dynamic::Var();
}

}  // namespace

std::string toJson(const Result& result) {
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("source", result.source);
    root.set("sha256", result.sha256);
    root.set("media_type", result.mediaType);
    root.set("plugin", result.plugin.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(result.plugin));
    root.set("form", result.form ? Poco::Dynamic::Var(*result.form) : Poco::Dynamic::Var());
    if (result.submitted) {
        Poco::JSON::Object::Ptr s = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        s->set("channel", result.submitted->channel);
        s->set("date",
               result.submitted->date.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(result.submitted->date));
        s->set("message_id", result.submitted->messageId.empty() ? Poco::Dynamic::Var()
                                                                 : Poco::Dynamic::Var(result.submitted->messageId));
        root.set("submitted", s);
    }
    Poco::JSON::Object::Ptr fields = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [id, fv] : result.fields) {
        Poco::JSON::Object::Ptr f = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        f->set("value", valueJson(fv.value));
        f->set("confidence", fv.confidence);
        if (fv.page > 0) f->set("page", fv.page);
        if (!fv.source.empty()) f->set("source", fv.source);
        if (fv.box) f->set("box", extraction::pageBoxToJson(*fv.box));
        fields->set(id, f);
    }
    root.set("fields", fields);
    Poco::JSON::Array::Ptr issues = new Poco::JSON::Array;
    for (const auto& i : result.issues) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("field", i.field ? Poco::Dynamic::Var(*i.field) : Poco::Dynamic::Var());
        o->set("code", i.code);
        o->set("severity", toString(i.severity));
        o->set("message", i.message);
        issues->add(o);
    }
    root.set("issues", issues);
    root.set("decision", toString(result.decision));
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

}  // namespace formproc::pipeline
