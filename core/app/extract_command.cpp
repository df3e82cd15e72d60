// `formproc extract PATH...`: one JSON line (or a summary line) per document.
#include <filesystem>
#include <iostream>

#include "application.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/util/text.hpp"
#include "summary.hpp"

namespace formproc::app {

int runExtract(const Arguments& args) {
    if (args.positional.empty()) {
        std::cerr << "formproc extract: no documents given (formproc extract --help)\n";
        return kExitUsage;
    }
    const std::string format = args.get("format", "json");
    if (format != "json" && format != "text") {
        std::cerr << "formproc extract: --format is json or text\n";
        return kExitUsage;
    }
    auto options = pipelineOptions("extract", args);
    if (!options) return kExitUsage;
    const std::size_t count = args.positional.size();
    options->workers = std::min(options->workers, count);
    // The workers start while the host loads its data.
    auto workers = pipeline::startWorkers(options->workers, plugin::executablePath(),
                                          args.get("plugins", plugin::defaultPluginDir()), *options);
    auto env = loadEnvironment("extract", args);
    if (!env) return kExitUsage;
    pipeline::Pipeline pipe(std::move(*env), *options, std::move(workers));

    bool anyUnreadable = false;
    runOrdered<DocumentOutcome>(
        count, options->workers,
        [&](std::size_t i) { return processDocument(pipe, args.positional[i], args.get("form")); },
        [&](std::size_t i, DocumentOutcome&& outcome) {
            if (!outcome.result) {
                anyUnreadable = true;
                std::cerr << "formproc: cannot read " << shownPath(args.positional[i]) << ": " << outcome.error << "\n";
                return;
            }
            std::cout << (format == "json" ? pipeline::toJson(*outcome.result) : summaryLine(*outcome.result)) << '\n'
                      << std::flush;
        });
    return anyUnreadable ? kExitFailed : kExitOk;
}

}  // namespace formproc::app
