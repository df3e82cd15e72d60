#include "formproc/pipeline/worker.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "formproc/util/text.hpp"
#include "worker_protocol.hpp"

extern char** environ;

namespace formproc::pipeline {

namespace {

constexpr std::uint32_t kMaxFrame = 256u * 1024u * 1024u;

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool writeFrame(int fd, const std::string& payload) {
    std::uint32_t size = static_cast<std::uint32_t>(payload.size());
    unsigned char header[4] = {static_cast<unsigned char>(size & 0xff), static_cast<unsigned char>((size >> 8) & 0xff),
                               static_cast<unsigned char>((size >> 16) & 0xff),
                               static_cast<unsigned char>((size >> 24) & 0xff)};
    return writeAll(fd, reinterpret_cast<const char*>(header), 4) && writeAll(fd, payload.data(), payload.size());
}

enum class ReadResult { Ok, Eof, Timeout, Error };

// The worker's stderr as the parent reads it: library messages (libpng,
// libjpeg, poppler) and sanitizer reports, passed on to the parent's stderr
// line by line with the name of the document being read.
struct SideChannel {
    int fd = -1;
    std::string* pending = nullptr;
    std::string label;
};

void forwardLines(SideChannel& side, bool all) {
    if (!side.pending) return;
    std::string& pending = *side.pending;
    std::size_t start = 0;
    std::string out;
    for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1)
        out += "formproc worker [" + side.label + "]: " + pending.substr(start, end - start) + "\n";
    pending.erase(0, start);
    if (all && !pending.empty()) {
        out += "formproc worker [" + side.label + "]: " + pending + "\n";
        pending.clear();
    }
    if (!out.empty()) writeAll(2, out.data(), out.size());
}

// Reads what the worker has written to stderr so far, without waiting.
void drainSide(SideChannel& side, bool all) {
    if (side.fd < 0 || !side.pending) return;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(side.fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (side.pending->size() < (1u << 20)) side.pending->append(buffer, static_cast<std::size_t>(n));
        forwardLines(side, false);
    }
    forwardLines(side, all);
}

// Reads exactly `size` bytes, waiting at most until `deadline` (no deadline
// when max()); the side channel is drained meanwhile.
ReadResult readExact(int fd, char* out, std::size_t size, std::chrono::steady_clock::time_point deadline,
                     SideChannel* side = nullptr) {
    while (size > 0) {
        if (deadline != std::chrono::steady_clock::time_point::max()) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return ReadResult::Timeout;
            pollfd pfds[2] = {{fd, POLLIN, 0}, {side ? side->fd : -1, POLLIN, 0}};
            int rc = ::poll(pfds, 2, static_cast<int>(std::min<long long>(left.count(), 60000)));
            if (rc < 0) {
                if (errno == EINTR) continue;
                return ReadResult::Error;
            }
            if (side && (pfds[1].revents & (POLLIN | POLLHUP)) != 0) drainSide(*side, false);
            if ((pfds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        }
        ssize_t n = ::read(fd, out, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return ReadResult::Error;
        }
        if (n == 0) return ReadResult::Eof;
        out += n;
        size -= static_cast<std::size_t>(n);
    }
    return ReadResult::Ok;
}

ReadResult readFrame(int fd, std::string& payload, std::chrono::steady_clock::time_point deadline,
                     SideChannel* side = nullptr) {
    unsigned char header[4];
    ReadResult r = readExact(fd, reinterpret_cast<char*>(header), 4, deadline, side);
    if (r != ReadResult::Ok) return r;
    std::uint32_t size =
        header[0] | (header[1] << 8) | (header[2] << 16) | (static_cast<std::uint32_t>(header[3]) << 24);
    if (size > kMaxFrame) return ReadResult::Error;
    payload.resize(size);
    return readExact(fd, payload.data(), size, deadline, side);
}

// Collects what a reader pushes.
class CollectingSink final : public sdk::Sink {
public:
    explicit CollectingSink(RawDocument& doc, bool wantWords) : _doc(doc), _wantWords(wantWords) {}
    void page(int number, double width, double height) override { _doc.pages.push_back({number, width, height}); }
    void pageContent(int number, sdk::PageContent content) override {
        if (_doc.pageReports.size() < 100000) _doc.pageReports.push_back({number, content});
    }
    void word(int page, std::string_view text, const sdk::Box& box, double confidence) override {
        _lastWordKept = _wantWords && _doc.words.size() < 200000;
        if (_lastWordKept) _doc.words.push_back({page, std::string(text), box, confidence, {}});
    }
    void alternatives(std::vector<std::string> readings) override {
        if (!_lastWordKept || _doc.words.empty()) return;
        if (readings.size() > 8) readings.resize(8);
        _doc.words.back().alternatives = std::move(readings);
    }
    void field(sdk::RawField field) override {
        _lastFieldKept = _doc.fields.size() < 20000;
        if (_lastFieldKept) _doc.fields.push_back(std::move(field));
    }
    void fieldBox(const sdk::Box& box) override {
        if (!_lastFieldKept || _doc.fields.empty()) return;
        const std::size_t last = _doc.fields.size() - 1;
        if (!_doc.fieldBoxes.empty() && _doc.fieldBoxes.back().field == last) return;  // the first widget's
        _doc.fieldBoxes.push_back({last, box});
    }
    void metadata(std::string_view key, std::string_view value) override {
        _doc.metadata.emplace_back(std::string(key), std::string(value));
    }
    void note(std::string_view text) override {
        if (_doc.notes.size() < 100) _doc.notes.emplace_back(text);
    }

private:
    RawDocument& _doc;
    bool _wantWords;
    bool _lastWordKept = false;
    bool _lastFieldKept = false;
};

}  // namespace

RawDocument readInProcess(plugin::PluginRegistry& plugins, const ReadRequest& request) {
    RawDocument doc;
    doc.plugin = request.pluginId;
    std::ifstream in(request.path, std::ios::binary | std::ios::ate);
    if (!in) {
        doc.status = sdk::Status::Unreadable;
        return doc;
    }
    std::string bytes(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())), '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    sdk::Input input;
    input.fileName = request.path;
    input.data = reinterpret_cast<const unsigned char*>(bytes.data());
    input.size = bytes.size();
    sdk::ReadOptions options;
    options.maxPages = request.maxPages;
    options.wantWords = request.wantWords;
    options.pages = request.pages;
    options.threads = request.threads;
    options.hints = request.hints;

    // The next reader is tried when one finds the file not its format or
    // malformed (a fillable PDF with a broken xref that the text-layer reader
    // still reads); the first failure that says more than "not mine" is kept
    // when none succeeds. Which readers tried what goes into "readers_tried".
    std::vector<std::string> chain{request.pluginId};
    chain.insert(chain.end(), request.fallbacks.begin(), request.fallbacks.end());
    std::optional<RawDocument> firstFailure;
    std::string tried;
    for (const auto& id : chain) {
        doc = RawDocument();
        doc.plugin = id;
        sdk::Reader* reader = plugins.obtain(id);
        if (!reader) {
            doc.status = sdk::Status::ToolMissing;
        } else {
            CollectingSink sink(doc, request.wantWords);
            doc.status = reader->read(input, sink, options);
        }
        tried += (tried.empty() ? "" : ",") + id + ":" + sdk::toString(doc.status);
        if (doc.status != sdk::Status::NotMyFormat && doc.status != sdk::Status::Malformed) break;
        if (doc.status == sdk::Status::Malformed && !firstFailure) firstFailure = doc;
    }
    if ((doc.status == sdk::Status::NotMyFormat || doc.status == sdk::Status::Malformed) && firstFailure)
        doc = std::move(*firstFailure);
    doc.metadata.emplace_back("readers_tried", tried);
    doc.takePageGeometry();
    return doc;
}

namespace {}  // namespace

// The pipe carries a compact binary encoding (little-endian lengths, raw
// bytes, IEEE doubles): a card's fields cross it thousands of times a minute,
// and a JSON tree cost more than reading the card. The decoder checks every
// length, so a worker that writes garbage fails one document, not the host.
namespace {

class Writer {
public:
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) _out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    void i32(int v) { u32(static_cast<std::uint32_t>(v)); }
    void f64(double v) {
        char bytes[sizeof v];
        std::memcpy(bytes, &v, sizeof v);
        _out.append(bytes, sizeof v);
    }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        _out.append(s.data(), s.size());
    }
    std::string take() { return std::move(_out); }

private:
    std::string _out;
};

class Reader {
public:
    explicit Reader(const std::string& in) : _in(in) {}
    std::uint32_t u32() {
        need(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(_in[_at + static_cast<std::size_t>(i)]))
                 << (8 * i);
        _at += 4;
        return v;
    }
    int i32() { return static_cast<int>(u32()); }
    double f64() {
        double v = 0;
        need(sizeof v);
        std::memcpy(&v, _in.data() + _at, sizeof v);
        _at += sizeof v;
        return v;
    }
    std::string str() {
        const std::uint32_t size = u32();
        need(size);
        std::string s = _in.substr(_at, size);
        _at += size;
        return s;
    }
    std::uint32_t count(std::uint32_t max) {
        const std::uint32_t n = u32();
        if (n > max) throw std::runtime_error("raw document: implausible count");
        return n;
    }
    bool done() const { return _at == _in.size(); }

private:
    void need(std::size_t n) const {
        if (_in.size() - _at < n) throw std::runtime_error("raw document: truncated");
    }
    const std::string& _in;
    std::size_t _at = 0;
};

constexpr std::uint32_t kMagic = 0x33505246;  // "FRP3": field boxes since SDK 5.1

void writeBox(Writer& w, const sdk::Box& box) {
    w.f64(box.x0);
    w.f64(box.y0);
    w.f64(box.x1);
    w.f64(box.y1);
}

sdk::Box readBox(Reader& r) {
    sdk::Box box;
    box.x0 = r.f64();
    box.y0 = r.f64();
    box.x1 = r.f64();
    box.y1 = r.f64();
    return box;
}

}  // namespace

std::string encodeRawDocument(const RawDocument& doc) {
    Writer w;
    w.u32(kMagic);
    w.i32(static_cast<int>(doc.status));
    w.str(doc.plugin);
    w.str(doc.failure);
    w.u32(static_cast<std::uint32_t>(doc.fields.size()));
    for (const auto& f : doc.fields) {
        w.str(f.name);
        w.str(f.value);
        w.i32(static_cast<int>(f.kind));
        w.i32(f.page);
        w.f64(f.confidence);
        w.str(f.source);
    }
    w.u32(static_cast<std::uint32_t>(doc.fieldBoxes.size()));
    for (const auto& b : doc.fieldBoxes) {
        w.u32(static_cast<std::uint32_t>(b.field));
        writeBox(w, b.box);
    }
    w.u32(static_cast<std::uint32_t>(doc.words.size()));
    for (const auto& word : doc.words) {
        w.i32(word.page);
        w.str(word.text);
        writeBox(w, word.box);
        w.f64(word.confidence);
        w.u32(static_cast<std::uint32_t>(word.alternatives.size()));
        for (const auto& a : word.alternatives) w.str(a);
    }
    w.u32(static_cast<std::uint32_t>(doc.pages.size()));
    for (const auto& p : doc.pages) {
        w.i32(p.number);
        w.f64(p.width);
        w.f64(p.height);
    }
    w.u32(static_cast<std::uint32_t>(doc.pageReports.size()));
    for (const auto& p : doc.pageReports) {
        w.i32(p.number);
        w.i32(static_cast<int>(p.content));
    }
    w.u32(static_cast<std::uint32_t>(doc.metadata.size()));
    for (const auto& [k, v] : doc.metadata) {
        w.str(k);
        w.str(v);
    }
    w.u32(static_cast<std::uint32_t>(doc.notes.size()));
    for (const auto& n : doc.notes) w.str(n);
    return w.take();
}

RawDocument decodeRawDocument(const std::string& bytes) {
    Reader r(bytes);
    if (r.u32() != kMagic) throw std::runtime_error("raw document: bad magic");
    RawDocument doc;
    const int status = r.i32();
    if (status < 0 || status > static_cast<int>(sdk::Status::Internal))
        throw std::runtime_error("raw document: bad status");
    doc.status = static_cast<sdk::Status>(status);
    doc.plugin = r.str();
    doc.failure = r.str();
    for (std::uint32_t n = r.count(1000000); n > 0; --n) {
        sdk::RawField f;
        f.name = r.str();
        f.value = r.str();
        const int kind = r.i32();
        if (kind < 0 || kind > static_cast<int>(sdk::ValueKind::Choice))
            throw std::runtime_error("raw document: bad kind");
        f.kind = static_cast<sdk::ValueKind>(kind);
        f.page = r.i32();
        f.confidence = r.f64();
        f.source = r.str();
        doc.fields.push_back(std::move(f));
    }
    for (std::uint32_t n = r.count(1000000); n > 0; --n) {
        const std::uint32_t field = r.u32();
        if (field >= doc.fields.size()) throw std::runtime_error("raw document: bad field box");
        doc.fieldBoxes.push_back({field, readBox(r)});
    }
    for (std::uint32_t n = r.count(10000000); n > 0; --n) {
        RawDocument::Word w;
        w.page = r.i32();
        w.text = r.str();
        w.box = readBox(r);
        w.confidence = r.f64();
        for (std::uint32_t a = r.count(64); a > 0; --a) w.alternatives.push_back(r.str());
        doc.words.push_back(std::move(w));
    }
    for (std::uint32_t n = r.count(100000); n > 0; --n) {
        RawDocument::Page p;
        p.number = r.i32();
        p.width = r.f64();
        p.height = r.f64();
        doc.pages.push_back(p);
    }
    for (std::uint32_t n = r.count(100000); n > 0; --n) {
        const int number = r.i32();
        const int content = r.i32();
        if (content < 0 || content > static_cast<int>(sdk::PageContent::Unreadable))
            throw std::runtime_error("raw document: bad page content");
        doc.pageReports.push_back({number, static_cast<sdk::PageContent>(content)});
    }
    for (std::uint32_t n = r.count(100000); n > 0; --n) {
        std::string k = r.str();
        doc.metadata.emplace_back(std::move(k), r.str());
    }
    for (std::uint32_t n = r.count(100000); n > 0; --n) doc.notes.push_back(r.str());
    if (!r.done()) throw std::runtime_error("raw document: trailing bytes");
    doc.takePageGeometry();  // not on the wire: the metadata carries it
    return doc;
}

// More threads than this for one document is a broken request.
constexpr unsigned kMaxReadThreads = 16;
// The forms' labels are a few dozen; more is a broken request.
constexpr std::size_t kMaxHints = 1000;

ReadRequest decodeReadRequest(const std::string& payload) {
    ReadRequest request;
    Poco::JSON::Parser parser;
    auto o = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
    if (!o) throw std::runtime_error("the request is not a JSON object");
    request.pluginId = o->getValue<std::string>("plugin");
    request.path = o->getValue<std::string>("path");
    request.maxPages = o->getValue<std::size_t>("max_pages");
    request.wantWords = o->getValue<bool>("words");
    if (o->has("threads")) request.threads = std::clamp(o->getValue<unsigned>("threads"), 1U, kMaxReadThreads);
    if (auto hints = o->has("hints") ? o->getArray("hints") : nullptr)
        for (std::size_t i = 0; i < hints->size() && i < kMaxHints; ++i) {
            auto hint = hints->getObject(static_cast<unsigned>(i));
            if (!hint) continue;
            const int kind = hint->getValue<int>("kind");
            std::string label = hint->getValue<std::string>("label");
            if (kind < static_cast<int>(sdk::HintKind::Digits) || kind > static_cast<int>(sdk::HintKind::Date) ||
                label.empty() || label.size() > 200)
                continue;
            request.hints.push_back({std::move(label), static_cast<sdk::HintKind>(kind)});
        }
    if (auto ids = o->has("fallbacks") ? o->getArray("fallbacks") : nullptr)
        for (std::size_t i = 0; i < ids->size() && i < 32; ++i)
            request.fallbacks.push_back(ids->getElement<std::string>(static_cast<unsigned>(i)));
    if (auto pages = o->has("pages") ? o->getArray("pages") : nullptr)
        for (std::size_t i = 0; i < pages->size() && i < 10000; ++i)
            request.pages.push_back(pages->getElement<int>(static_cast<unsigned>(i)));
    return request;
}

int runWorker(plugin::PluginRegistry& plugins, int inFd, int outFd) {
    std::string payload;
    while (readFrame(inFd, payload, std::chrono::steady_clock::time_point::max()) == ReadResult::Ok) {
        RawDocument doc;
        try {
            doc = readInProcess(plugins, decodeReadRequest(payload));
        } catch (const std::bad_alloc&) {
            doc = RawDocument();
            doc.status = sdk::Status::TooLarge;
        } catch (const std::exception&) {
            doc = RawDocument();
            doc.status = sdk::Status::Internal;
        }
        if (!writeFrame(outFd, encodeRawDocument(doc))) return 1;
    }
    return 0;
}

WorkerClient::WorkerClient(std::vector<std::string> command, WorkerLimits limits)
    : _command(std::move(command)), _limits(limits) {
    _command.push_back("--memory-mb");
    _command.push_back(std::to_string(_limits.memoryMb));
    _command.push_back("--cpu-seconds");
    _command.push_back(std::to_string(_limits.cpuSeconds));
}

WorkerClient::~WorkerClient() { stop(false); }

void WorkerClient::startEarly() {
    if (_pid <= 0) start();  // a failure is met again, and reported, at the first read
}

bool WorkerClient::start() {
    int toChild[2], fromChild[2];
    if (::pipe2(toChild, O_CLOEXEC) != 0) return false;
    if (::pipe2(fromChild, O_CLOEXEC) != 0) {
        ::close(toChild[0]);
        ::close(toChild[1]);
        return false;
    }
    int errFromChild[2] = {-1, -1};
    if (::pipe2(errFromChild, O_CLOEXEC) != 0) errFromChild[0] = errFromChild[1] = -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // The worker speaks on fds 3 and 4; its stdout goes nowhere, so that no
    // library's chatter can mix into the parent's JSON output.
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 3);
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 4);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (errFromChild[1] >= 0) posix_spawn_file_actions_adddup2(&actions, errFromChild[1], 2);
    std::vector<char*> argv;
    for (auto& a : _command) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(toChild[0]);
    ::close(fromChild[1]);
    if (errFromChild[1] >= 0) ::close(errFromChild[1]);
    if (rc != 0) {
        ::close(toChild[1]);
        ::close(fromChild[0]);
        if (errFromChild[0] >= 0) ::close(errFromChild[0]);
        return false;
    }
    if (errFromChild[0] >= 0) ::fcntl(errFromChild[0], F_SETFL, ::fcntl(errFromChild[0], F_GETFL) | O_NONBLOCK);
    _errFromChild = errFromChild[0];
    _pid = pid;
    _toChild = toChild[1];
    _fromChild = fromChild[0];
    _served = 0;
    return true;
}

void WorkerClient::stop(bool kill) {
    if (_toChild >= 0) ::close(_toChild);
    if (_fromChild >= 0) ::close(_fromChild);
    _toChild = _fromChild = -1;
    if (_pid > 0) {
        if (kill) ::kill(_pid, SIGKILL);
        int status = 0;
        while (::waitpid(_pid, &status, 0) < 0 && errno == EINTR) {
        }
        _pid = -1;
    }
    if (_errFromChild >= 0) {
        SideChannel side{_errFromChild, &_errPending, "worker"};
        drainSide(side, true);
        ::close(_errFromChild);
        _errFromChild = -1;
    }
}

namespace {

// The document's name as the worker's stderr lines carry it: its last path
// segment, as valid UTF-8.
std::string documentLabel(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return util::sanitizeUtf8(slash == std::string::npos ? path : path.substr(slash + 1));
}

}  // namespace

RawDocument WorkerClient::read(const ReadRequest& request) {
    RawDocument failed;
    failed.plugin = request.pluginId;
    failed.status = sdk::Status::Internal;
    if (_pid > 0 && _served >= _limits.documentsPerWorker) stop(false);
    if (_pid <= 0 && !start()) {
        failed.failure = "spawn";
        return failed;
    }
    Poco::JSON::Object o;
    o.set("plugin", request.pluginId);
    o.set("path", request.path);
    o.set("max_pages", request.maxPages);
    o.set("words", request.wantWords);
    o.set("threads", request.threads);
    if (!request.fallbacks.empty()) {
        Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
        for (const auto& id : request.fallbacks) ids->add(id);
        o.set("fallbacks", ids);
    }
    if (!request.hints.empty()) {
        Poco::JSON::Array::Ptr hints = new Poco::JSON::Array;
        for (const auto& hint : request.hints) {
            Poco::JSON::Object::Ptr h = new Poco::JSON::Object;
            h->set("label", hint.label);
            h->set("kind", static_cast<int>(hint.kind));
            hints->add(h);
        }
        o.set("hints", hints);
    }
    if (!request.pages.empty()) {
        Poco::JSON::Array::Ptr pages = new Poco::JSON::Array;
        for (int p : request.pages) pages->add(p);
        o.set("pages", pages);
    }
    std::ostringstream payload;
    o.stringify(payload);
    // A worker that died while idle shows up as a failed write; give the
    // document a fresh worker once before calling it a crash.
    ::signal(SIGPIPE, SIG_IGN);
    if (!writeFrame(_toChild, payload.str())) {
        stop(true);
        if (!start() || !writeFrame(_toChild, payload.str())) {
            stop(true);
            failed.failure = "spawn";
            return failed;
        }
    }
    ++_served;
    std::string reply;
    auto deadline = std::chrono::steady_clock::now() + _limits.timeout;
    SideChannel side{_errFromChild, &_errPending, documentLabel(request.path)};
    ReadResult r = readFrame(_fromChild, reply, deadline, &side);
    drainSide(side, true);
    if (r != ReadResult::Ok) {
        int status = 0;
        bool killed = r == ReadResult::Timeout;
        if (!killed) {
            // A crash report (a sanitizer's, an abort message) is written before the pipe closes.
            int waited = 0;
            while (_pid > 0 && waited++ < 50 && ::waitpid(_pid, &status, WNOHANG) == 0) ::usleep(10000);
            if (waited > 0 && _pid > 0 && ::waitpid(_pid, &status, WNOHANG) != 0) _pid = -1;
            drainSide(side, true);
        }
        stop(true);
        (void)status;
        failed.failure = killed ? "timeout" : (r == ReadResult::Eof ? "crash" : "protocol");
        return failed;
    }
    try {
        return decodeRawDocument(reply);
    } catch (const std::exception&) {
        stop(true);
        failed.failure = "protocol";
        return failed;
    }
}

}  // namespace formproc::pipeline
