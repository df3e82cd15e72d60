// `formproc worker`: the isolated reader process the pipeline spawns.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "application.hpp"
#include "formproc/pipeline/worker.hpp"
#include "formproc/plugin/registry.hpp"

namespace formproc::app {

namespace {

// Ends this worker when the process that spawned it is gone (killed, or left
// without waiting for a document that hangs): a reader stuck in a loop or a
// sleep would otherwise outlive `formproc serve` for ever. Polls once a
// second; PR_SET_PDEATHSIG would follow the spawning thread, not the process.
void leaveWithParent() {
    const pid_t parent = ::getppid();
    std::thread([parent] {
        for (;;) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            if (::getppid() != parent) std::_Exit(1);
        }
    }).detach();
}

}  // namespace

int runWorker(const Arguments& args) {
    const auto memoryMb = integerOption("worker", "memory-mb", args.get("memory-mb", "0"), 0, 1 << 20);
    const auto cpuSeconds = integerOption("worker", "cpu-seconds", args.get("cpu-seconds", "0"), 0, 1 << 24);
    if (!memoryMb || !cpuSeconds) return kExitUsage;
#ifndef FORMPROC_SANITIZED
    // AddressSanitizer reserves terabytes of address space: no AS limit there.
    if (*memoryMb > 0) {
        const auto bytes = static_cast<rlim_t>(*memoryMb) * 1024 * 1024;
        rlimit limit{bytes, bytes};
        setrlimit(RLIMIT_AS, &limit);
    }
#endif
    if (*cpuSeconds > 0) {
        rlimit limit{static_cast<rlim_t>(*cpuSeconds), static_cast<rlim_t>(*cpuSeconds) + 5};
        setrlimit(RLIMIT_CPU, &limit);
    }
    // One OCR thread per worker: the host runs workers side by side instead.
    // libgomp reads this when the OCR plugin loads it, so set it before loading.
    setenv("OMP_THREAD_LIMIT", "1", 0);
    leaveWithParent();
    rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    plugin::PluginRegistry plugins;
    plugins.deferDirectory(args.get("plugins", plugin::defaultPluginDir()));
    return pipeline::runWorker(plugins, 3, 4);
}

}  // namespace formproc::app
