// The handlers of the HTTP API (OUTPUT.md "HTTP API").
#include "api.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <charconv>
#include <fstream>
#include <random>
#include <sstream>

#include "formproc/document/legal_term.hpp"
#include "formproc/document/warsaw_time.hpp"
#include "formproc/extraction/extracted_json.hpp"
#include "formproc/util/text.hpp"

namespace formproc::http {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keeps OUTPUT.md's key order
    return parser.parse(json).extract<Object::Ptr>();
}

// The record: the result of OUTPUT.md plus where it stands.
Object::Ptr recordObject(const storage::Submission& s) {
    Object::Ptr o;
    if (s.resultJson) {
        o = parseObject(*s.resultJson);
    } else {
        o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("source", s.fileName);
        o->set("sha256", s.sha256);
        o->set("media_type", s.mediaType);
        Object::Ptr submitted = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        submitted->set("channel", storage::toString(s.channel));
        submitted->set("date", s.dateCounted);
        submitted->set("message_id", s.messageId ? Poco::Dynamic::Var(*s.messageId) : Poco::Dynamic::Var());
        o->set("submitted", submitted);
    }
    o->set("id", s.id);
    o->set("status", storage::toString(s.status));
    o->set("case_sign", s.caseSign);
    o->set("received_at", s.receivedAt);
    if (s.duplicateOf) o->set("duplicate_of", *s.duplicateOf);
    if (s.failureReason) o->set("failure", *s.failureReason);
    return o;
}

// One row of the list: no field values (no personal data beyond the file's name).
Object::Ptr summaryObject(const storage::Submission& s) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", s.id);
    o->set("status", storage::toString(s.status));
    o->set("decision", s.decision ? Poco::Dynamic::Var(*s.decision) : Poco::Dynamic::Var());
    o->set("form", s.form ? Poco::Dynamic::Var(*s.form) : Poco::Dynamic::Var());
    o->set("campaign", s.campaign);
    o->set("channel", storage::toString(s.channel));
    o->set("date", s.dateCounted);
    o->set("received_at", s.receivedAt);
    o->set("file_name", s.fileName);
    o->set("case_sign", s.caseSign);
    o->set("office", s.office ? Poco::Dynamic::Var(*s.office) : Poco::Dynamic::Var());
    if (s.duplicateOf) o->set("duplicate_of", *s.duplicateOf);
    return o;
}

// --- upload -----------------------------------------------------------------

// Spools the "file" part to disk, refusing it past the size limit.
class SpoolPart final : public Poco::Net::PartHandler {
public:
    SpoolPart(std::string path, std::uint64_t limit) : _path(std::move(path)), _limit(limit) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        if (params.get("name", "") != "file" || _seen) {
            Poco::NullOutputStream null;
            Poco::StreamCopier::copyStream(stream, null);
            return;
        }
        _seen = true;
        _fileName = params.get("filename", "");
        _declaredType = header.get("Content-Type", "");
        std::ofstream out(_path, std::ios::binary | std::ios::trunc);
        char buffer[65536];
        while (stream) {
            stream.read(buffer, sizeof buffer);
            const auto got = static_cast<std::uint64_t>(stream.gcount());
            _size += got;
            if (_size > _limit) throw HttpError{413, "too_large", "the file is larger than the limit"};
            out.write(buffer, static_cast<std::streamsize>(got));
        }
        if (!out.flush()) throw HttpError{500, "spool_failed", "the upload could not be written"};
    }

    bool seen() const { return _seen; }
    const std::string& fileName() const { return _fileName; }
    const std::string& declaredType() const { return _declaredType; }

private:
    std::string _path;
    std::uint64_t _limit;
    bool _seen = false;
    std::string _fileName;
    std::string _declaredType;
    std::uint64_t _size = 0;
};

// Removes a spooled upload when the request ends.
struct SpoolFile {
    std::string path;
    ~SpoolFile() { std::remove(path.c_str()); }
};

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string spoolPath(const std::string& dir) {
    static std::mutex mutex;
    static std::mt19937_64 random{std::random_device{}()};
    std::lock_guard lock(mutex);
    return dir + "/upload-" + std::to_string(random()) + ".part";
}

// "2018-06-21T23:30:00+02:00" (or a date) as a store timestamp (UTC).
std::optional<std::string> utcTimestamp(const std::string& text) {
    Poco::DateTime when;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, when, zone) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, when, zone) &&
        !Poco::DateTimeParser::tryParse(text, when, zone))
        return std::nullopt;
    when.makeUTC(zone);
    return Poco::DateTimeFormatter::format(when, "%Y-%m-%dT%H:%M:%S.%iZ");
}

void upload(Call& call) {
    Service::Context& ctx = call.context;
    if (call.request.getContentLength() != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
        static_cast<std::uint64_t>(call.request.getContentLength()) > ctx.config.maxUploadBytes + 64 * 1024)
        throw HttpError{413, "too_large", "the upload is larger than the limit"};
    if (ctx.store.queueDepth() >= ctx.config.maxQueueDepth) {
        call.response.set("Retry-After", "30");
        throw HttpError{429, "queue_full", "too many submissions wait for processing; try again later"};
    }
    SpoolFile spool{spoolPath(ctx.config.uploadDir)};
    SpoolPart part(spool.path, ctx.config.maxUploadBytes);
    Poco::Net::HTMLForm form;
    form.setFieldLimit(1000);
    form.load(call.request, call.request.stream(), part);
    if (!part.seen()) throw HttpError{400, "no_file", "the multipart upload has no part named \"file\""};

    storage::NewSubmission submission;
    submission.campaign = ctx.config.campaignId;
    submission.casePattern = ctx.config.casePattern;
    const auto channel = storage::parseChannel(form.get("channel", "upload"));
    if (!channel) throw HttpError{400, "bad_channel", "channel is upload, email, post or epuap"};
    submission.channel = *channel;
    const auto now = std::chrono::system_clock::now();
    submission.receivedAt = storage::nowTimestamp();
    std::optional<std::string> sentDate;
    if (const std::string sent = form.get("sent_at", ""); !sent.empty()) {
        submission.sentAt = utcTimestamp(sent);
        if (!submission.sentAt) throw HttpError{400, "bad_sent_at", "sent_at is an ISO 8601 date and time"};
        Poco::DateTime when;
        int zone = 0;
        Poco::DateTimeParser::tryParse(sent, when, zone);
        when.makeUTC(zone);
        sentDate = warsawDate(std::chrono::system_clock::from_time_t(when.timestamp().epochTime())).iso();
    }
    if (const std::string postmark = form.get("postmark_date", ""); !postmark.empty()) {
        if (!storage::isValidDate(postmark)) throw HttpError{400, "bad_postmark", "postmark_date is YYYY-MM-DD"};
        submission.postmarkDate = postmark;
    }
    submission.dateCounted =
        storage::pickDateCounted(*channel, warsawDate(now).iso(), sentDate, submission.postmarkDate);
    submission.fileName = util::sanitizeUtf8(part.fileName().empty() ? "dokument" : part.fileName(), true);
    const std::string bytes = readAll(spool.path);
    const std::string head = bytes.substr(0, 4096);
    submission.mediaType = ctx.pipe.environment().plugins->sniff(head, submission.fileName);
    if (submission.mediaType.empty()) submission.mediaType = ctx.pipe.environment().forms->catalog().sniff(head);
    if (submission.mediaType.empty()) submission.mediaType = "application/octet-stream";
    if (const std::string key = call.request.get("Idempotency-Key", ""); !key.empty() && key.size() <= 200)
        submission.sourceKey = "http:" + key;

    const storage::Registration registration = ctx.store.registerSubmission(submission, bytes);
    ctx.store.audit(&*call.principal, registration.duplicate ? "upload-duplicate" : "upload",
                    registration.submission.id, "channel " + std::string(storage::toString(*channel)));
    if (ctx.runner) ctx.runner->notify();
    ctx.metrics.count("formproc_uploads_total", {{"channel", storage::toString(*channel)}});
    Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("id", registration.submission.id);
    body->set("status", storage::toString(registration.submission.status));
    body->set("case_sign", registration.submission.caseSign);
    if (registration.submission.duplicateOf) body->set("duplicate_of", *registration.submission.duplicateOf);
    call.response.set("Location", "/api/v1/submissions/" + std::to_string(registration.submission.id));
    sendJson(call, registration.existing ? 200 : 201, stringify(body));
}

// --- reading ----------------------------------------------------------------

storage::ListFilter listFilter(const Call& call) {
    const Poco::URI uri(call.request.getURI());
    storage::ListFilter filter;
    for (const auto& [key, value] : uri.getQueryParameters()) {
        if (key == "campaign")
            filter.campaign = value;
        else if (key == "decision")
            filter.decision = value;
        else if (key == "status") {
            filter.status = storage::parseStatus(value);
            if (!filter.status) throw HttpError{400, "bad_status", "status is queued, processing, done or failed"};
        } else if (key == "channel") {
            filter.channel = storage::parseChannel(value);
            if (!filter.channel) throw HttpError{400, "bad_channel", "channel is upload, email, post or epuap"};
        } else if (key == "date_from" || key == "date_to") {
            if (!storage::isValidDate(value)) throw HttpError{400, "bad_date", key + " is YYYY-MM-DD"};
            (key == "date_from" ? filter.dateFrom : filter.dateTo) = value;
        } else if (key == "q") {
            filter.text = value;
        } else if (key == "limit" || key == "offset" || key == "cursor") {
            long long n = -1;
            std::from_chars(value.data(), value.data() + value.size(), n);
            if (n < 0 || (key == "limit" && (n < 1 || n > 1000)))
                throw HttpError{400, "bad_paging", key + " is a whole number (limit 1..1000)"};
            if (key == "limit")
                filter.limit = static_cast<std::size_t>(n);
            else if (key == "offset")
                filter.offset = static_cast<std::size_t>(n);
            else
                filter.beforeId = n;
        }
    }
    return storage::Store::scopedTo(*call.principal, filter);
}

void list(Call& call) {
    const storage::ListFilter filter = listFilter(call);
    const storage::Page page = call.context.store.list(filter);
    Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Array::Ptr items = new Array;
    for (const auto& s : page.items) items->add(summaryObject(s));
    body->set("items", items);
    body->set("total", call.context.store.count(filter));
    body->set("next_cursor", page.nextCursor ? Poco::Dynamic::Var(*page.nextCursor) : Poco::Dynamic::Var());
    sendJson(call, 200, stringify(body));
}

void one(Call& call) {
    const storage::Submission s = visible(call, idParam(call));
    auditRead(call, s, "record");
    sendJson(call, 200, stringify(recordObject(s)));
}

void output(Call& call) {
    const storage::Submission s = visible(call, idParam(call));
    const std::string& name = call.params.at(1);
    std::optional<int> version;
    const Poco::URI uri(call.request.getURI());
    for (const auto& [key, value] : uri.getQueryParameters())
        if (key == "version") {
            int v = 0;
            std::from_chars(value.data(), value.data() + value.size(), v);
            if (v <= 0) throw HttpError{400, "bad_version", "version is a whole number from 1"};
            version = v;
        }
    std::optional<std::string> bytes;
    std::string type = "application/octet-stream";
    if (name == "original") {
        bytes = call.context.store.readOriginal(s);
        type = s.mediaType;
    } else {
        const auto kind = storage::parseOutputKind(name);
        if (!kind || *kind == storage::OutputKind::ExtractionJson) throw HttpError{404, "not_found", "no such output"};
        bytes = call.context.store.readOutput(s.id, *kind, version);
        type = name == "result.json" ? "application/json" : name == "epuap.xml" ? "application/xml" : "application/pdf";
    }
    if (!bytes) throw HttpError{404, "not_found", "the submission has no such output (yet)"};
    auditRead(call, s, name);
    call.response.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
    send(call, 200, type, *bytes);
}

// --- corrections ------------------------------------------------------------

// The request's body, refused (413) past `limit` bytes.
std::string readBody(Call& call, std::size_t limit) {
    std::string body;
    char buffer[8192];
    std::istream& in = call.request.stream();
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) throw HttpError{413, "too_large", "the request body is too large"};
    }
    return body;
}

void correct(Call& call) {
    const storage::Submission s = visible(call, idParam(call));
    applyCorrections(call, s, readBody(call, 1 << 20));
    one(call);
}

// A reviewer approves the latest version: recorded in the audit trail.
void approve(Call& call) {
    const storage::Submission s = visible(call, idParam(call));
    if (s.duplicateOf) throw HttpError{409, "duplicate", "approve the original submission"};
    if (s.status != storage::Status::Done) throw HttpError{409, "not_ready", "only a processed card can be approved"};
    const auto outputs = call.context.store.outputs(s.id);
    const int version = outputs.empty() ? 0 : outputs.front().version;
    call.context.store.audit(&*call.principal, "approve", s.id, "version " + std::to_string(version));
    sendJson(call, 200, "{\"id\":" + std::to_string(s.id) + ",\"approved_version\":" + std::to_string(version) + "}");
}

// Staff record when the wezwanie was delivered (a date, no personal data).
void delivery(Call& call) {
    const storage::Submission s = visible(call, idParam(call));
    std::string date;
    try {
        date = parseObject(readBody(call, 4096))->getValue<std::string>("date");
    } catch (const std::exception&) {
        throw HttpError{400, "bad_json", "the body is {\"date\": \"YYYY-MM-DD\"}"};
    }
    if (!storage::isValidDate(date)) throw HttpError{400, "bad_date", "date is YYYY-MM-DD"};
    call.context.store.audit(&*call.principal, "delivery", s.id, date);
    const auto parsed = validation::parseDate(date);
    const std::string end = termEnd(*parsed, call.context.config.summonsDays).iso();
    sendJson(call, 200,
             "{\"id\":" + std::to_string(s.id) + ",\"delivered\":\"" + date + "\",\"term_end\":\"" + end + "\"}");
}

void audit(Call& call) {
    const storage::Submission s = visible(call, idParam(call));
    Array::Ptr items = new Array;
    for (const auto& a : call.context.store.auditFor(s.id)) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("at", a.at);
        o->set("token", a.tokenId ? Poco::Dynamic::Var(*a.tokenId) : Poco::Dynamic::Var());
        o->set("role", a.role ? Poco::Dynamic::Var(*a.role) : Poco::Dynamic::Var());
        o->set("action", a.action);
        o->set("detail", a.detail);
        items->add(o);
    }
    for (const auto& c : call.context.store.corrections(s.id)) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("at", c.at);
        o->set("action", "correction");
        o->set("who", c.who);
        o->set("field", c.field);
        o->set("from", c.oldValueJson);
        o->set("to", c.newValueJson);
        o->set("version", c.outputVersion);
        items->add(o);
    }
    Object::Ptr body = new Object;
    body->set("items", items);
    sendJson(call, 200, stringify(body));
}

// --- what is installed ------------------------------------------------------

void formsList(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& form : call.context.pipe.environment().forms->forms()) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", form->id);
        o->set("version", form->version);
        o->set("title", form->title);
        Array::Ptr fields = new Array;
        for (const auto& field : form->fields) {
            Object::Ptr f = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            f->set("id", field.id);
            f->set("type", forms::toString(field.type));
            f->set("required", field.required);
            f->set("label", field.label());
            if (field.page > 0) f->set("page", field.page);
            if (!field.options.empty()) {
                Array::Ptr options = new Array;
                for (const auto& option : field.options) {
                    Object::Ptr op = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
                    op->set("code", option.code);
                    op->set("label", option.labels.empty() ? option.code : option.labels.front());
                    options->add(op);
                }
                f->set("options", options);
            }
            if (!field.columns.empty()) {
                Array::Ptr columns = new Array;
                for (const auto& column : field.columns) {
                    Object::Ptr c = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
                    c->set("id", column.id);
                    c->set("type", forms::toString(column.type));
                    c->set("label", column.labels.empty() ? column.id : column.labels.front());
                    columns->add(c);
                }
                f->set("columns", columns);
            }
            fields->add(f);
        }
        o->set("fields", fields);
        list->add(o);
    }
    sendJson(call, 200, stringify(list));
}

void pluginsList(Call& call) {
    Array::Ptr list = new Array;
    for (const sdk::Reader* reader : call.context.pipe.environment().plugins->readers()) {
        const sdk::Description& d = reader->describe();
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", d.id);
        o->set("version", d.version);
        o->set("summary", d.summary);
        Array::Ptr formats = new Array;
        for (const auto& format : d.formats) {
            Object::Ptr f = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            f->set("media_type", format.mediaType);
            Array::Ptr extensions = new Array;
            for (const auto& e : format.extensions) extensions->add(e);
            f->set("extensions", extensions);
            formats->add(f);
        }
        o->set("formats", formats);
        Array::Ptr gives = new Array;
        if (sdk::has(d.gives, sdk::Gives::FormFields)) gives->add("form-fields");
        if (sdk::has(d.gives, sdk::Gives::Words)) gives->add("words");
        if (sdk::has(d.gives, sdk::Gives::PageRecognition)) gives->add("page-recognition");
        o->set("gives", gives);
        o->set("provenance", d.provenance);
        list->add(o);
    }
    sendJson(call, 200, stringify(list));
}

void health(Call& call) { sendJson(call, 200, "{\"status\":\"ok\"}"); }

void metrics(Call& call) {
    Service::Context& ctx = call.context;
    const storage::Metrics m = ctx.store.metrics();
    for (const auto& [status, n] : m.submissionsByStatus)
        ctx.metrics.set("formproc_submissions", {{"status", status}}, static_cast<double>(n));
    for (const auto& [decision, n] : m.submissionsByDecision)
        ctx.metrics.set("formproc_submissions_by_decision", {{"decision", decision}}, static_cast<double>(n));
    ctx.metrics.set("formproc_queue_depth", {}, static_cast<double>(m.queueDepth));
    ctx.metrics.set("formproc_jobs_running", {}, static_cast<double>(m.jobsRunning));
    ctx.metrics.set("formproc_jobs_failed", {}, static_cast<double>(m.jobsFailed));
    const auto losses = ctx.pipe.workerLosses();
    ctx.metrics.set("formproc_worker_crashes_total", {}, static_cast<double>(losses.crashes));
    ctx.metrics.set("formproc_worker_timeouts_total", {}, static_cast<double>(losses.timeouts));
    send(call, 200, "text/plain; version=0.0.4; charset=utf-8", ctx.metrics.render());
}

void openApi(Call& call) { sendJson(call, 200, call.context.openApi); }

}  // namespace

std::int64_t idParam(const Call& call) {
    std::int64_t id = 0;
    const std::string& text = call.params.at(0);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0)
        throw HttpError{404, "not_found", "no such submission"};
    return id;
}

storage::Submission visible(Call& call, std::int64_t id) {
    auto submission = call.context.store.get(id);
    if (!submission || !storage::Store::mayAccess(*call.principal, *submission))
        throw HttpError{404, "not_found", "no such submission"};
    return *submission;
}

void auditRead(Call& call, const storage::Submission& submission, const std::string& what) {
    const bool sensitive = submission.form.value_or("") == "karta-diagnozy" ||
                           submission.resultJson.value_or("").find("\"pesel\"") != std::string::npos;
    if (sensitive) call.context.store.audit(&*call.principal, "read", submission.id, what);
}

Route route(std::string method, std::string pattern, bool authenticated, std::vector<storage::Role> roles,
            Handler handler) {
    std::string regex = "^";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{') {
            i = pattern.find('}', i);
            regex += "([^/]+)";
        } else if (pattern[i] == '.') {
            regex += "\\.";
        } else {
            regex += pattern[i];
        }
    }
    regex += "$";
    return {std::move(method), std::move(pattern), std::regex(regex),
            authenticated,     std::move(roles),   std::move(handler)};
}

void applyCorrections(Call& call, const storage::Submission& s, const std::string& changesJson) {
    Service::Context& ctx = call.context;
    if (s.duplicateOf) throw HttpError{409, "duplicate", "correct the original submission"};
    if (s.status != storage::Status::Done || !s.resultJson || !s.form)
        throw HttpError{409, "not_ready", "only a processed card can be corrected"};
    const forms::Form* form = ctx.pipe.environment().forms->byId(*s.form);
    if (!form) throw HttpError{409, "unknown_form", "the submission's form is no longer installed"};
    Object::Ptr changes;
    try {
        changes = parseObject(changesJson);
    } catch (const std::exception&) {
        throw HttpError{400, "bad_json", "the body is a JSON object of field id to value"};
    }
    const auto extractionJson = ctx.store.readOutput(s.id, storage::OutputKind::ExtractionJson);
    pipeline::Extraction extraction;
    extraction.form = form;
    if (extractionJson) extraction.fields = extraction::extractedFromJson(*extractionJson);
    Object::Ptr previous = parseObject(*s.resultJson);
    Object::Ptr previousFields = previous->getObject("fields");
    std::vector<storage::FieldCorrection> recorded;
    for (const auto& [id, value] : *changes) {
        const forms::Field* field = form->field(id);
        if (!field) throw HttpError{400, "unknown_field", "the form has no field '" + id + "'"};
        if (std::string error = extraction::applyCorrection(extraction.fields, *field, value); !error.empty())
            throw HttpError{400, "bad_value", error};
        Object::Ptr old = previousFields ? previousFields->getObject(id) : nullptr;
        recorded.push_back({id, old ? stringify(old->get("value")) : "null", stringify(value)});
    }
    Result base;
    base.source = previous->optValue<std::string>("source", s.fileName);
    base.sha256 = s.sha256;
    base.mediaType = previous->optValue<std::string>("media_type", s.mediaType);
    base.plugin = previous->optValue<std::string>("plugin", "");
    base.submitted = service::submittedOf(s);
    const std::string who = "reviewer:" + std::to_string(call.principal->tokenId);
    const auto original = ctx.store.readOriginal(s);
    service::Processed processed =
        service::redecide(ctx.pipe, ctx.settings, s, base, extraction, original.value_or(""), who);
    if (!ctx.store.applyCorrection(s.id, recorded, processed.completion, who))
        throw HttpError{409, "not_corrected", "the submission cannot be corrected"};
    ctx.store.audit(&*call.principal, "correct", s.id, std::to_string(recorded.size()) + " field(s)");
}

ReviewState reviewState(const storage::Store& store, std::int64_t submissionId) {
    ReviewState state;
    for (const auto& a : store.auditFor(submissionId)) {
        if (a.action == "approve")
            state.approved = true;
        else if (a.action == "correct")
            state.approved = false;
        else if (a.action == "delivery" && storage::isValidDate(a.detail))
            state.delivered = a.detail;
    }
    return state;
}

const std::vector<Route>& routes() {
    using storage::Role;
    static const std::vector<Route> all = {
        route("GET", "/health", false, {}, health),
        route("GET", "/metrics", true, {Role::Admin}, metrics),
        route("GET", "/api/v1/openapi.json", true, {}, openApi),
        route("GET", "/api/v1/forms", true, {}, formsList),
        route("GET", "/api/v1/plugins", true, {}, pluginsList),
        route("POST", "/api/v1/submissions", true, {}, upload),
        route("GET", "/api/v1/submissions", true, {}, list),
        route("GET", "/api/v1/submissions/{id}", true, {}, one),
        route("PATCH", "/api/v1/submissions/{id}/fields", true, {Role::Admin, Role::Reviewer}, correct),
        route("POST", "/api/v1/submissions/{id}/approve", true, {Role::Admin, Role::Reviewer}, approve),
        route("POST", "/api/v1/submissions/{id}/delivery", true, {Role::Admin, Role::Reviewer}, delivery),
        route("GET", "/api/v1/submissions/{id}/audit", true, {Role::Admin, Role::Reviewer}, audit),
        route("GET", "/api/v1/submissions/{id}/{output}", true, {}, output),
    };
    return all;
}

std::vector<std::pair<std::string, std::string>> routeTable() {
    std::vector<std::pair<std::string, std::string>> table;
    for (const Route& r : routes()) table.emplace_back(r.method, r.pattern);
    return table;
}

}  // namespace formproc::http
