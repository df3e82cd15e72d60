// The formproc executable as one Poco::Util::Application: one option parser
// for every command (each command says which options it takes), and the
// commands themselves as thin callers of the core's steps.
#pragma once

#include <Poco/Util/Application.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formproc/pipeline/pipeline.hpp"

namespace formproc::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // an input could not be read from disk, or an output not written
inline constexpr int kExitUsage = 2;

// The options given on the command line, by long name.
class Arguments {
public:
    std::vector<std::string> positional;  // after the command name
    std::map<std::string, std::string> values;

    bool has(const std::string& name) const { return values.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = {}) const {
        auto it = values.find(name);
        return it == values.end() ? fallback : it->second;
    }
};

// Reads a whole number in [min, max] from an option; prints the problem and
// returns nullopt when it is not one (no overflow, no trailing text).
std::optional<long long> integerOption(const std::string& command, const std::string& name, const std::string& text,
                                       long long min, long long max);

// The pipeline options shared by the commands that read documents: --timeout,
// --workers, --page-threads, --in-process; nullopt after printing the
// problem when one is out of range.
std::optional<pipeline::Options> pipelineOptions(const std::string& command, const Arguments& args);

// Loads forms, register, campaign and plugins as the options say; prints the
// problem and returns nullopt when something cannot be loaded.
std::optional<pipeline::Environment> loadEnvironment(const std::string& command, const Arguments& args);

// Runs `count` documents on `threads` threads and hands each one's outcome
// to `deliver` on one thread, in input order (so that output and case signs
// follow the command line whatever finishes first).
template <typename Outcome>
void runOrdered(std::size_t count, std::size_t threads, const std::function<Outcome(std::size_t)>& work,
                const std::function<void(std::size_t, Outcome&&)>& deliver);

class FormprocApplication final : public Poco::Util::Application {
public:
    FormprocApplication();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    Arguments _args;
};

// The commands (one file each under core/app/).
int runExtract(const Arguments& args);
int runProcess(const Arguments& args);
int runForm(const Arguments& args);
int runInspect(const Arguments& args);
int runWorker(const Arguments& args);
int runServe(const Arguments& args);
int runToken(const Arguments& args);

}  // namespace formproc::app

#include "batch.ipp"
