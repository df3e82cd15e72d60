// Reading in an isolated worker process (Tika's forked parsers): the parent
// talks to `formproc worker` over two pipes; a crash, hang or memory blow-up
// fails one document, and the next document gets a fresh worker.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/plugin/registry.hpp"

namespace formproc::pipeline {

struct WorkerLimits {
    std::chrono::milliseconds timeout{120000};  // wall clock per document (a 2-page scan needs seconds of OCR)
    std::size_t memoryMb = 2048;                // address space of the worker (not under ASan)
    int cpuSeconds = 3600;                      // whole-life CPU backstop
    int documentsPerWorker = 500;               // recycle after this many
};

struct ReadRequest {
    std::string pluginId;
    std::string path;
    std::size_t maxPages = 50;
    bool wantWords = true;
    std::vector<int> pages;  // empty: all
    // Readers to try, in order, when the one before answers NotMyFormat: the
    // whole chain runs in one round trip, on bytes read once.
    std::vector<std::string> fallbacks;
    unsigned threads = 1;                 // see sdk::ReadOptions::threads
    std::vector<sdk::ValueHint> hints{};  // see sdk::ReadOptions::hints
};

// Reads in the calling process: the worker's side of a request, and the
// pipeline's when isolation is off (tests, debugging).
RawDocument readInProcess(plugin::PluginRegistry& plugins, const ReadRequest& request);

// Serialises a raw document for the pipe (compact binary) and back; decode
// throws std::runtime_error on malformed input.
std::string encodeRawDocument(const RawDocument& doc);
RawDocument decodeRawDocument(const std::string& bytes);

// The child side: serves requests on fds until EOF. Returns the exit code.
int runWorker(plugin::PluginRegistry& plugins, int inFd, int outFd);

// The parent side. Not thread-safe: one client per thread.
class WorkerClient {
public:
    // `command` is the worker's argv (e.g. {"/usr/bin/formproc", "worker", "--plugins", DIR}).
    WorkerClient(std::vector<std::string> command, WorkerLimits limits);
    ~WorkerClient();
    WorkerClient(const WorkerClient&) = delete;
    WorkerClient& operator=(const WorkerClient&) = delete;

    // Reads one document in the worker. Never throws for input problems: a
    // crash sets failure "crash", a timeout "timeout", a broken reply
    // "protocol"; the worker is then replaced before the next request.
    RawDocument read(const ReadRequest& request);

    // Starts the worker now instead of at the first read, so that its start
    // (loading the plugins it is asked for) overlaps the host's own.
    void startEarly();

    pid_t pid() const { return _pid; }

private:
    bool start();
    void stop(bool kill);

    std::vector<std::string> _command;
    WorkerLimits _limits;
    pid_t _pid = -1;
    int _toChild = -1;
    int _fromChild = -1;
    int _served = 0;
};

}  // namespace formproc::pipeline
