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

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

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

// Reads exactly `size` bytes, waiting at most until `deadline` (no deadline when max()).
ReadResult readExact(int fd, char* out, std::size_t size, std::chrono::steady_clock::time_point deadline) {
    while (size > 0) {
        if (deadline != std::chrono::steady_clock::time_point::max()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return ReadResult::Timeout;
            pollfd pfd{fd, POLLIN, 0};
            int rc = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count(), 60000)));
            if (rc < 0) {
                if (errno == EINTR) continue;
                return ReadResult::Error;
            }
            if (rc == 0) continue;
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

ReadResult readFrame(int fd, std::string& payload, std::chrono::steady_clock::time_point deadline) {
    unsigned char header[4];
    ReadResult r = readExact(fd, reinterpret_cast<char*>(header), 4, deadline);
    if (r != ReadResult::Ok) return r;
    std::uint32_t size = header[0] | (header[1] << 8) | (header[2] << 16) | (static_cast<std::uint32_t>(header[3]) << 24);
    if (size > kMaxFrame) return ReadResult::Error;
    payload.resize(size);
    return readExact(fd, payload.data(), size, deadline);
}

// Collects what a reader pushes.
class CollectingSink final : public sdk::Sink {
public:
    explicit CollectingSink(RawDocument& doc, bool wantWords) : _doc(doc), _wantWords(wantWords) {}
    void page(int number, double width, double height) override { _doc.pages.push_back({number, width, height}); }
    void word(int page, std::string_view text, const sdk::Box& box, double confidence) override {
        if (_wantWords && _doc.words.size() < 200000) _doc.words.push_back({page, std::string(text), box, confidence});
    }
    void field(sdk::RawField field) override {
        if (_doc.fields.size() < 20000) _doc.fields.push_back(std::move(field));
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
};

sdk::Status statusFromString(const std::string& text) {
    using S = sdk::Status;
    for (S s : {S::Ok, S::NotMyFormat, S::Unsupported, S::Malformed, S::Encrypted, S::TooLarge, S::Unreadable,
                S::ToolMissing, S::Cancelled, S::Internal})
        if (text == sdk::toString(s)) return s;
    return S::Internal;
}

RawDocument readInProcess(plugin::PluginRegistry& plugins, const ReadRequest& request) {
    RawDocument doc;
    doc.plugin = request.pluginId;
    sdk::Reader* reader = plugins.byId(request.pluginId);
    if (!reader) {
        doc.status = sdk::Status::ToolMissing;
        return doc;
    }
    std::ifstream in(request.path, std::ios::binary | std::ios::ate);
    if (!in) {
        doc.status = sdk::Status::Unreadable;
        return doc;
    }
    std::string bytes(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())), '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    sdk::Input input;
    input.fileName = request.path;
    input.data = reinterpret_cast<const unsigned char*>(bytes.data());
    input.size = bytes.size();
    sdk::ReadOptions options;
    options.maxPages = request.maxPages;
    options.wantWords = request.wantWords;
    CollectingSink sink(doc, request.wantWords);
    doc.status = reader->read(input, sink, options);
    return doc;
}

}  // namespace

std::string encodeRawDocument(const RawDocument& doc) {
    Poco::JSON::Object root;
    root.set("status", sdk::toString(doc.status));
    root.set("plugin", doc.plugin);
    root.set("failure", doc.failure);
    Poco::JSON::Array fields;
    for (const auto& f : doc.fields) {
        Poco::JSON::Object o;
        o.set("n", f.name);
        o.set("v", f.value);
        o.set("k", static_cast<int>(f.kind));
        o.set("p", f.page);
        o.set("c", f.confidence);
        o.set("s", f.source);
        fields.add(o);
    }
    root.set("fields", fields);
    Poco::JSON::Array words;
    for (const auto& w : doc.words) {
        Poco::JSON::Array a;
        a.add(w.page);
        a.add(w.text);
        a.add(w.box.x0);
        a.add(w.box.y0);
        a.add(w.box.x1);
        a.add(w.box.y1);
        a.add(w.confidence);
        words.add(a);
    }
    root.set("words", words);
    Poco::JSON::Array pages;
    for (const auto& p : doc.pages) {
        Poco::JSON::Array a;
        a.add(p.number);
        a.add(p.width);
        a.add(p.height);
        pages.add(a);
    }
    root.set("pages", pages);
    Poco::JSON::Object meta;
    Poco::JSON::Array metaList;
    for (const auto& [k, v] : doc.metadata) {
        Poco::JSON::Array a;
        a.add(k);
        a.add(v);
        metaList.add(a);
    }
    root.set("metadata", metaList);
    Poco::JSON::Array notes;
    for (const auto& n : doc.notes) notes.add(n);
    root.set("notes", notes);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

RawDocument decodeRawDocument(const std::string& json) {
    Poco::JSON::Parser parser;
    auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    RawDocument doc;
    doc.status = statusFromString(root->getValue<std::string>("status"));
    doc.plugin = root->getValue<std::string>("plugin");
    doc.failure = root->getValue<std::string>("failure");
    auto fields = root->getArray("fields");
    for (std::size_t i = 0; fields && i < fields->size(); ++i) {
        auto o = fields->getObject(static_cast<unsigned>(i));
        sdk::RawField f;
        f.name = o->getValue<std::string>("n");
        f.value = o->getValue<std::string>("v");
        f.kind = static_cast<sdk::ValueKind>(o->getValue<int>("k"));
        f.page = o->getValue<int>("p");
        f.confidence = o->getValue<double>("c");
        f.source = o->getValue<std::string>("s");
        doc.fields.push_back(std::move(f));
    }
    auto words = root->getArray("words");
    for (std::size_t i = 0; words && i < words->size(); ++i) {
        auto a = words->getArray(static_cast<unsigned>(i));
        RawDocument::Word w;
        w.page = a->getElement<int>(0);
        w.text = a->getElement<std::string>(1);
        w.box = {a->getElement<double>(2), a->getElement<double>(3), a->getElement<double>(4), a->getElement<double>(5)};
        w.confidence = a->getElement<double>(6);
        doc.words.push_back(std::move(w));
    }
    auto pages = root->getArray("pages");
    for (std::size_t i = 0; pages && i < pages->size(); ++i) {
        auto a = pages->getArray(static_cast<unsigned>(i));
        doc.pages.push_back({a->getElement<int>(0), a->getElement<double>(1), a->getElement<double>(2)});
    }
    auto meta = root->getArray("metadata");
    for (std::size_t i = 0; meta && i < meta->size(); ++i) {
        auto a = meta->getArray(static_cast<unsigned>(i));
        doc.metadata.emplace_back(a->getElement<std::string>(0), a->getElement<std::string>(1));
    }
    auto notes = root->getArray("notes");
    for (std::size_t i = 0; notes && i < notes->size(); ++i) doc.notes.push_back(notes->getElement<std::string>(static_cast<unsigned>(i)));
    return doc;
}

int runWorker(plugin::PluginRegistry& plugins, int inFd, int outFd) {
    std::string payload;
    while (readFrame(inFd, payload, std::chrono::steady_clock::time_point::max()) == ReadResult::Ok) {
        ReadRequest request;
        RawDocument doc;
        try {
            Poco::JSON::Parser parser;
            auto o = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
            request.pluginId = o->getValue<std::string>("plugin");
            request.path = o->getValue<std::string>("path");
            request.maxPages = o->getValue<std::size_t>("max_pages");
            request.wantWords = o->getValue<bool>("words");
            doc = readInProcess(plugins, request);
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

bool WorkerClient::start() {
    int toChild[2], fromChild[2];
    if (::pipe2(toChild, O_CLOEXEC) != 0) return false;
    if (::pipe2(fromChild, O_CLOEXEC) != 0) {
        ::close(toChild[0]);
        ::close(toChild[1]);
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // The worker speaks on fds 3 and 4; its stdout goes nowhere, so that no
    // library's chatter can mix into the parent's JSON output.
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 3);
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 4);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (auto& a : _command) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(toChild[0]);
    ::close(fromChild[1]);
    if (rc != 0) {
        ::close(toChild[1]);
        ::close(fromChild[0]);
        return false;
    }
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
}

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
    ReadResult r = readFrame(_fromChild, reply, deadline);
    if (r != ReadResult::Ok) {
        int status = 0;
        bool killed = r == ReadResult::Timeout;
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
