// Options shared by the commands that run the pipeline (extract, process).
#pragma once

#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "formproc/pipeline/pipeline.hpp"

namespace formproc::app {

// Parses --timeout (seconds), --workers and --page-threads as given (empty:
// the defaults, 120 s, 2 workers, the cores the workers leave). Prints the
// problem and returns nullopt on bad usage.
inline std::optional<pipeline::Options> pipelineOptions(const std::string& command, const std::string& timeout,
                                                        const std::string& workers, bool inProcess,
                                                        const std::string& pageThreads = "") {
    pipeline::Options options;
    try {
        options.limits.timeout = std::chrono::milliseconds(
            static_cast<long long>(std::stod(timeout.empty() ? "120" : timeout) * 1000));
        options.workers = std::stoul(workers.empty() ? "2" : workers);
        options.pageThreads = static_cast<unsigned>(std::stoul(pageThreads.empty() ? "0" : pageThreads));
    } catch (const std::exception&) {
        std::cerr << "formproc " << command << ": --timeout, --workers and --page-threads take numbers\n";
        return std::nullopt;
    }
    if (options.workers < 1 || options.workers > 64 || options.limits.timeout.count() <= 0 ||
        options.pageThreads > 16) {
        std::cerr << "formproc " << command << ": --workers is 1..64, --page-threads 0..16 (0: automatic), --timeout positive\n";
        return std::nullopt;
    }
    options.isolate = !inProcess;
    return options;
}

}  // namespace formproc::app
