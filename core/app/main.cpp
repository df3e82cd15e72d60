// The formproc command line: a thin caller of the pipeline (OUTPUT.md).
#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "formproc/pipeline/pipeline.hpp"
#include "cli_options.hpp"
#include "formproc/pipeline/worker.hpp"
#include "formproc/plugin/registry.hpp"
#include "process_command.hpp"

namespace {

namespace fs = std::filesystem;
using namespace formproc;

constexpr int kExitOk = 0;
constexpr int kExitUnreadable = 1;
constexpr int kExitUsage = 2;

const char* kUsage = R"(usage: formproc COMMAND [OPTIONS] ...

Commands:
  extract PATH...     read each document and print one JSON line per document
  process PATH... --out DIR
                      as extract, and write DIR/NAME/ for each document: result.json,
                      letter.pdf (receipt + the decision's letter), filled.pdf;
                      see formproc process --help for its options
  form blank ID --out FILE
                      write the blank official form ID as a fillable PDF
  inspect FILE        print what the readers see in FILE (fields, words with boxes);
                      for developers: the output holds the document's personal data
  worker              (internal) the isolated reader process

Options of extract:
  --campaign FILE     the intake campaign (default: the bundled 2018 campaign)
  --form ID           read every document as this form (karta-powiatu, karta-gminy, karta-diagnozy)
  --format json|text  JSON Lines (default) or a short summary for people
  --timeout SECONDS   wall-clock limit per document (default 120)
  --workers N         documents read in parallel (default 2)
  --page-threads N    threads each worker reads a document's pages with (default: the
                      cores divided among the workers; one document alone gets them all)
  --plugins DIR       plugin directory (default: found beside the executable)
  --share DIR         forms and data directory (default: found beside the executable)
  --in-process        read without a worker process (debugging only)

Exit status: 0 every input processed, 1 an input could not be read from disk, 2 bad usage.
)";

struct Args {
    std::string command;
    std::vector<std::string> paths;
    std::map<std::string, std::string> options;
    std::vector<std::string> flags;
    bool has(const std::string& flag) const {
        return std::find(flags.begin(), flags.end(), flag) != flags.end();
    }
    std::string get(const std::string& key, const std::string& fallback = {}) const {
        auto it = options.find(key);
        return it == options.end() ? fallback : it->second;
    }
};

std::optional<Args> parseArgs(int argc, char** argv, const std::vector<std::string>& valued,
                              const std::vector<std::string>& boolean) {
    Args args;
    if (argc < 2) return std::nullopt;
    args.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            for (++i; i < argc; ++i) args.paths.emplace_back(argv[i]);
            break;
        }
        if (a.rfind("--", 0) == 0) {
            std::string key = a.substr(2), value;
            bool inlineValue = false;
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
                inlineValue = true;
            }
            if (std::find(valued.begin(), valued.end(), key) != valued.end()) {
                if (!inlineValue) {
                    if (i + 1 >= argc) {
                        std::cerr << "formproc: --" << key << " needs a value\n";
                        return std::nullopt;
                    }
                    value = argv[++i];
                }
                args.options[key] = value;
            } else if (std::find(boolean.begin(), boolean.end(), key) != boolean.end()) {
                args.flags.push_back(key);
            } else {
                std::cerr << "formproc: unknown option --" << key << "\n";
                return std::nullopt;
            }
        } else {
            args.paths.push_back(a);
        }
    }
    return args;
}

int runWorkerCommand(int argc, char** argv) {
    auto args = parseArgs(argc, argv, {"plugins", "memory-mb", "cpu-seconds"}, {});
    if (!args) return kExitUsage;
#ifndef FORMPROC_SANITIZED
    // AddressSanitizer reserves terabytes of address space: no AS limit there.
    if (auto mb = std::stoull(args->get("memory-mb", "0")); mb > 0) {
        rlimit limit{mb * 1024 * 1024, mb * 1024 * 1024};
        setrlimit(RLIMIT_AS, &limit);
    }
#endif
    if (auto seconds = std::stoull(args->get("cpu-seconds", "0")); seconds > 0) {
        rlimit limit{seconds, seconds + 5};
        setrlimit(RLIMIT_CPU, &limit);
    }
    // One OCR thread per worker: the host runs workers side by side instead.
    // libgomp reads this when the OCR plugin loads it, so set it before loading.
    setenv("OMP_THREAD_LIMIT", "1", 0);
    rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    plugin::PluginRegistry plugins;
    plugins.deferDirectory(args->get("plugins", plugin::defaultPluginDir()));
    return pipeline::runWorker(plugins, 3, 4);
}

std::string summaryLine(const Result& r) {
    std::string line = fs::path(r.source).filename().string();
    if (line.size() < 48) line.resize(48, ' ');
    std::string form = r.form ? *r.form : "-";
    form.resize(16, ' ');
    std::string decision = r.decision;
    decision.resize(11, ' ');
    line += "  " + form + decision;
    int errors = 0, warnings = 0;
    for (const auto& i : r.issues) (i.severity == Severity::Error ? errors : warnings)++;
    line += std::to_string(r.fields.size()) + " pól";
    if (!r.issues.empty()) line += ", uwagi: " + std::to_string(r.issues.size());
    for (const auto& i : r.issues) line += "\n      - " + i.message;
    return line;
}

int runExtract(int argc, char** argv) {
    auto args = parseArgs(argc, argv,
                          {"campaign", "form", "format", "timeout", "workers", "page-threads", "plugins", "share"},
                          {"in-process"});
    if (!args) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    if (args->paths.empty()) {
        std::cerr << "formproc extract: no documents given\n" << kUsage;
        return kExitUsage;
    }
    const std::string format = args->get("format", "json");
    if (format != "json" && format != "text") {
        std::cerr << "formproc extract: --format is json or text\n";
        return kExitUsage;
    }
    auto parsedOptions = app::pipelineOptions("extract", args->get("timeout"), args->get("workers"),
                                              args->has("in-process"), args->get("page-threads"));
    if (!parsedOptions) return kExitUsage;
    pipeline::Options options = *parsedOptions;
    const std::size_t count = args->paths.size();
    options.workers = std::min(options.workers, count);
    const std::string pluginDir = args->get("plugins", plugin::defaultPluginDir());
    auto workers = pipeline::startWorkers(options.workers, plugin::executablePath(), pluginDir, options);

    pipeline::Environment env;
    try {
        env = pipeline::loadEnvironment(args->get("share", plugin::defaultShareDir()), pluginDir, args->get("campaign"));
    } catch (const std::exception& e) {
        std::cerr << "formproc: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const auto& failure : env.plugins->failures()) std::cerr << "formproc: refused " << failure.reason << "\n";
    const std::string forcedForm = args->get("form");
    if (!forcedForm.empty() && !env.forms->byId(forcedForm)) {
        std::cerr << "formproc extract: unknown form '" << forcedForm << "'\n";
        return kExitUsage;
    }

    pipeline::Pipeline pipe(std::move(env), options, std::move(workers));

    std::vector<std::optional<std::string>> lines(count);
    std::vector<bool> done(count, false);
    std::mutex mutex;
    std::condition_variable ready;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> anyUnreadable{false};

    auto work = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            pipeline::DocumentInput input;
            input.path = args->paths[i];
            input.forceForm = forcedForm;
            std::optional<std::string> line;
            try {
                auto result = pipe.process(input);
                if (result) {
                    line = format == "json" ? pipeline::toJson(*result) : summaryLine(*result);
                } else {
                    anyUnreadable = true;
                    std::cerr << "formproc: cannot read " << input.path << "\n";
                }
            } catch (const std::exception& e) {
                // A bug of ours, not the document's: say so, keep going.
                anyUnreadable = true;
                std::cerr << "formproc: internal error on " << input.path << ": " << e.what() << "\n";
            }
            std::lock_guard lock(mutex);
            lines[i] = std::move(line);
            done[i] = true;
            ready.notify_all();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < options.workers; ++t) threads.emplace_back(work);
    std::thread printer([&] {
        for (std::size_t i = 0; i < count; ++i) {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return done[i]; });
            if (lines[i]) std::cout << *lines[i] << '\n' << std::flush;
        }
    });
    work();
    for (auto& t : threads) t.join();
    printer.join();
    return anyUnreadable ? kExitUnreadable : kExitOk;
}

// Prints the raw reading of one file: what the label matcher and the mapping work from.
int runInspect(int argc, char** argv) {
    auto args = parseArgs(argc, argv, {"plugins", "share", "plugin"}, {});
    if (!args || args->paths.size() != 1) {
        std::cerr << "usage: formproc inspect FILE [--plugin ID]\n";
        return kExitUsage;
    }
    plugin::PluginRegistry plugins;
    plugins.loadDirectory(args->get("plugins", plugin::defaultPluginDir()));
    std::ifstream in(args->paths[0], std::ios::binary);
    if (!in) return kExitUnreadable;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    sdk::Probe probe{std::string_view(bytes).substr(0, 4096), fs::path(args->paths[0]).filename().string(), "",
                     bytes.size()};
    const std::string only = args->get("plugin");
    for (sdk::Reader* reader : plugins.candidates(probe)) {
        if (!only.empty() && reader->describe().id != only) continue;
        pipeline::WorkerClient client({plugin::executablePath(), "worker", "--plugins",
                                       args->get("plugins", plugin::defaultPluginDir())},
                                      pipeline::WorkerLimits{});
        RawDocument raw = client.read({reader->describe().id, args->paths[0], 50, true, {}, {}});
        std::cout << "# " << reader->describe().id << ": " << sdk::toString(raw.status)
                  << (raw.failure.empty() ? "" : " (" + raw.failure + ")") << "\n";
        for (const auto& [k, v] : raw.metadata) std::cout << "meta " << k << " = " << v << "\n";
        for (const auto& f : raw.fields)
            std::cout << "field p" << f.page << " " << f.name << " = " << f.value << "\n";
        for (const auto& w : raw.words) {
            char box[96];
            std::snprintf(box, sizeof box, "word p%d %8.1f %8.1f %8.1f %8.1f %.2f ", w.page, w.box.x0, w.box.y0,
                          w.box.x1, w.box.y1, w.confidence);
            std::cout << box << w.text << "\n";
        }
        if (raw.status != sdk::Status::NotMyFormat) break;
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
        std::cout << kUsage;
        return argc < 2 ? kExitUsage : kExitOk;
    }
    const std::string command = argv[1];
    try {
        if (command == "extract") return runExtract(argc, argv);
        if (command == "process") return runProcess(argc, argv);
        if (command == "worker") return runWorkerCommand(argc, argv);
        if (command == "inspect") return runInspect(argc, argv);
        if (command == "form") return runForm(argc, argv);
        if (command == "--version" || command == "version") {
            std::cout << "formproc " << FORMPROC_VERSION_STRING << "\n";
            return kExitOk;
        }
    } catch (const std::exception& e) {
        std::cerr << "formproc: " << e.what() << "\n";
        return kExitUsage;
    }
    std::cerr << "formproc: unknown command '" << command << "'\n" << kUsage;
    return kExitUsage;
}
