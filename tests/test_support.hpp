// Shared helpers for the tests: the project's own forms, TERYT copy and
// campaign, loaded once; temporary directories that clean up after themselves;
// deadlines for tests that wait on a process.
#pragma once

#include <dirent.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <csignal>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "formproc/forms/form.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/util/text.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/teryt.hpp"
#include "formproc/validation/validator.hpp"

namespace Catch {
template <>
struct StringMaker<formproc::Decision> {
    static std::string convert(formproc::Decision d) { return formproc::toString(d); }
};
}  // namespace Catch

namespace formproc::test {

// Appended in place: GCC 12 at -O2 reports a false -Warray-bounds on
// `std::string(base) + "/" + rel` when the test's precompiled header is used.
inline std::string joinPath(const char* base, const std::string& rel) {
    std::string path(base);
    path += '/';
    path += rel;
    return path;
}
inline std::string sourcePath(const std::string& rel) { return joinPath(FORMPROC_SOURCE_DIR, rel); }
inline std::string dataPath(const std::string& rel) { return joinPath(FORMPROC_TEST_DATA, rel); }

inline std::shared_ptr<const forms::FormRegistry> projectForms() {
    static auto forms = forms::FormRegistry::loadDirectory(sourcePath("forms"));
    return forms;
}

inline std::shared_ptr<const validation::TerytRegister> projectTeryt() {
    static auto teryt = validation::TerytRegister::loadCsv(sourcePath("data/teryt/TERC_Urzedowy_2022-01-01.csv"));
    return teryt;
}

inline std::shared_ptr<const validation::Campaign> projectCampaign() {
    static auto campaign = std::make_shared<validation::Campaign>(
        validation::Campaign::load(sourcePath("data/campaigns/liderzy-kooperacji-2018.json")));
    return campaign;
}

// The environment of the build tree, with plugins from `pluginDir`.
inline pipeline::Environment buildEnvironment(const std::string& pluginDir = FORMPROC_BUILD_PLUGIN_DIR) {
    pipeline::Environment env;
    env.forms = projectForms();
    env.teryt = projectTeryt();
    env.campaign = projectCampaign();
    env.plugins = std::make_shared<plugin::PluginRegistry>();
    env.plugins->loadDirectory(pluginDir);
    env.pluginDir = pluginDir;
    env.executable = std::string(FORMPROC_BUILD_DIR) + "/formproc";
    return env;
}

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        _path =
            std::filesystem::temp_directory_path() / ("formproc-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name, const std::string& content) const {
        auto p = _path / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }
    std::string path() const { return _path.string(); }

private:
    std::filesystem::path _path;
};

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Appends the words of `text` as a reader lays them out: from x, 6 points a
// letter and 4 between words, on the line whose top is y, `height` high.
inline void layOutWords(std::vector<RawDocument::Word>& words, int page, double x, double y, const std::string& text,
                        double height, double confidence) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        const double width = 6.0 * static_cast<double>(util::utf8Length(word));
        if (!word.empty()) words.push_back({page, word, {x, y, x + width, y + height}, confidence, {}});
        x += width + 4;
        start = end + 1;
    }
}

// The processes whose parent is `parent`, read from /proc.
inline std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> out;
    DIR* proc = ::opendir("/proc");
    if (!proc) return out;
    while (const dirent* entry = ::readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atol(entry->d_name));
        if (pid <= 0) continue;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid ...: the name may hold spaces and brackets.
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 1));
        std::string state;
        long ppid = 0;
        if (rest >> state >> ppid && ppid == parent) out.push_back(pid);
    }
    ::closedir(proc);
    return out;
}

// Kills every descendant of this process (workers, shells of popen and what
// they started), the deepest first.
inline void killDescendants(pid_t parent = ::getpid()) {
    for (pid_t child : childrenOf(parent)) {
        killDescendants(child);
        ::kill(child, SIGKILL);
    }
}

// A deadline for a test that waits on a process or a server: when `limit`
// passes before the object is destroyed, the test program says which test
// case ran out of time, kills the processes it started and exits with status
// 3, so that a hang is a failure with a name, well before ctest's timeout.
// Construct it on the test's thread (it reads the running test's name);
// destroying it from that thread is what "in time" means. Thread-safe.
class Deadline {
public:
    explicit Deadline(std::chrono::milliseconds limit, std::string name = {})
        : _name(name.empty() ? Catch::getResultCapture().getCurrentTestName() : std::move(name)) {
        _watch = std::thread([this, limit] {
            std::unique_lock<std::mutex> lock(_mutex);
            if (_cv.wait_for(lock, limit, [this] { return _done; })) return;
            std::fprintf(stderr, "\nDEADLINE: the test case \"%s\" still runs after %lld ms: killed\n", _name.c_str(),
                         static_cast<long long>(limit.count()));
            std::fflush(stderr);
            killDescendants();
            std::_Exit(3);
        });
    }
    ~Deadline() {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _done = true;
        }
        _cv.notify_all();
        _watch.join();
    }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

private:
    std::string _name;
    std::mutex _mutex;
    std::condition_variable _cv;
    bool _done = false;
    std::thread _watch;
};

}  // namespace formproc::test
