// A test reader for documents of the form
//   FORMPROC-FIXTURE
//   name=value
//   ...
// A line STDERR writes to stderr as libraries do; CRASH, HANG, SPIN, ALLOC or
// THROW makes it misbehave on purpose, so that
// the worker's isolation can be tested without relying on a library bug.
// ALLOC takes memory, 64 MiB at a time, until it is refused (TooLarge). A
// worker without its memory limit would let it take the whole machine, so at
// 3 GiB, far beyond any limit a test sets, it stops taking and waits like
// HANG: the worker's timeout then ends it, which a test tells apart.
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "formproc/sdk/reader.hpp"

namespace {

using namespace formproc::sdk;

class FixtureReader final : public Reader {
public:
    FixtureReader() {
        _description.id = "fixture";
        _description.version = "1";
        _description.summary = "test fixture reader";
        _description.formats = {{"text/x-formproc-fixture", {"fixture"}, {{{0, "FORMPROC-FIXTURE"}}}}};
        _description.gives = Gives::FormFields;
        _description.provenance = "fixture";
    }
    const Description& describe() const noexcept override { return _description; }
    Identification identify(const Probe& probe) const noexcept override {
        if (probe.head.rfind("FORMPROC-FIXTURE", 0) == 0) return {Verdict::Yes, 90};
        return {};
    }
    Status read(const Input& input, Sink& sink, const ReadOptions&) noexcept override {
        std::string text(reinterpret_cast<const char*>(input.data), input.size);
        std::size_t pos = 0;
        sink.page(1, 595, 842);
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();
            std::string line = text.substr(pos, end - pos);
            pos = end + 1;
            if (line == "CRASH") std::abort();  // a crash that sanitizers do not report as our bug
            if (line == "HANG")
                for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
            if (line == "SPIN") {
                // Busy for ever (a reader caught in a loop): the CPU limit's case.
                volatile unsigned long spins = 0;
                for (;;) spins = spins + 1;
            }
            if (line == "ALLOC") {
                try {
                    std::vector<std::vector<char>> hog;
                    constexpr std::size_t kBlock = 64u * 1024u * 1024u, kCeiling = 3u * 1024u * 1024u * 1024u;
                    while (hog.size() * kBlock < kCeiling) {
                        hog.emplace_back(kBlock);
                        std::memset(hog.back().data(), 1, hog.back().size());
                    }
                    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
                } catch (const std::bad_alloc&) {
                    return Status::TooLarge;
                }
            }
            if (line == "ENCRYPTED") return Status::Encrypted;
            // A library's chatter.
            if (line == "STDERR") std::fputs("libfixture: warning: amount too big: 2\n", stderr);
            auto eq = line.find('=');
            if (eq == std::string::npos) continue;
            RawField field;
            field.name = line.substr(0, eq);
            field.value = line.substr(eq + 1);
            field.page = 1;
            field.source = "fixture";
            if (field.value == "[x]" || field.value == "[ ]") {
                field.kind = ValueKind::Checkbox;
                field.value = field.value == "[x]" ? "1" : "0";
            }
            sink.field(std::move(field));
        }
        return Status::Ok;
    }

private:
    Description _description;
};

}  // namespace

FORMPROC_PLUGIN("fixture", std::make_unique<FixtureReader>())
