#include "formproc/plugin/registry.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace formproc::plugin {

namespace fs = std::filesystem;

PluginRegistry::~PluginRegistry() {
    // Readers first, while their code is still mapped.
    for (auto& loaded : _loaded) loaded->reader.reset();
}

void PluginRegistry::loadDirectory(const std::string& dir) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("formproc_", 0) == 0 && entry.path().extension() == ".so") files.push_back(entry.path());
    }
    if (ec) {
        _failures.push_back({dir, "cannot list the plugin directory " + dir + ": " + ec.message()});
        return;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files)
        if (auto reason = loadFile(file.string())) _failures.push_back({file.string(), *reason});
}

std::optional<std::string> PluginRegistry::loadFile(const std::string& path) {
    auto loaded = std::make_unique<Loaded>();
    loaded->path = path;
    try {
        loaded->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return "plugin " + path + " cannot be loaded: " + e.what();
    }
    if (!loaded->library.has("formproc_abi")) return "plugin " + path + " has no formproc_abi entry point";
    if (!loaded->library.has("formproc_factory")) return "plugin " + path + " has no formproc_factory entry point";
    const sdk::AbiTag* tag = nullptr;
    try {
        tag = loaded->library.get_alias<sdk::AbiFunction>("formproc_abi")();
    } catch (...) {
        return "plugin " + path + ": formproc_abi failed";
    }
    if (!tag) return "plugin " + path + ": formproc_abi returned nothing";
    if (tag->major != sdk::kAbiMajor || tag->minor > sdk::kAbiMinor)
        return "plugin " + path + " was built for SDK ABI " + std::to_string(tag->major) + "." +
               std::to_string(tag->minor) + ", this formproc expects " + std::to_string(sdk::kAbiMajor) + "." +
               std::to_string(sdk::kAbiMinor);
    try {
        loaded->reader = loaded->library.get_alias<sdk::FactoryFunction>("formproc_factory")();
    } catch (const std::exception& e) {
        return "plugin " + path + ": its factory threw: " + e.what();
    } catch (...) {
        return "plugin " + path + ": its factory threw an unknown exception";
    }
    if (!loaded->reader) return "plugin " + path + ": its factory returned no reader";
    const std::string id = loaded->reader->describe().id;
    if (byId(id)) return "plugin " + path + ": a plugin with id '" + id + "' is already loaded";
    _loaded.push_back(std::move(loaded));
    return std::nullopt;
}

std::vector<sdk::Reader*> PluginRegistry::candidates(const sdk::Probe& probe) const {
    struct Scored {
        sdk::Reader* reader;
        sdk::Identification id;
    };
    std::vector<Scored> scored;
    for (const auto& loaded : _loaded) {
        sdk::Identification id = loaded->reader->identify(probe);
        if (id.verdict != sdk::Verdict::No) scored.push_back({loaded->reader.get(), id});
    }
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        if (a.id.score != b.id.score) return a.id.score > b.id.score;
        return a.id.verdict == sdk::Verdict::Yes && b.id.verdict != sdk::Verdict::Yes;
    });
    std::vector<sdk::Reader*> out;
    for (const auto& s : scored) out.push_back(s.reader);
    return out;
}

sdk::Reader* PluginRegistry::byId(std::string_view id) const {
    for (const auto& loaded : _loaded)
        if (loaded->reader->describe().id == id) return loaded->reader.get();
    return nullptr;
}

std::vector<const sdk::Reader*> PluginRegistry::readers() const {
    std::vector<const sdk::Reader*> out;
    for (const auto& loaded : _loaded) out.push_back(loaded->reader.get());
    return out;
}

std::string executablePath() {
    boost::system::error_code ec;
    auto location = boost::dll::program_location(ec);
    return ec ? std::string() : location.string();
}

namespace {

std::string firstExisting(const char* envName, const std::vector<fs::path>& candidates) {
    if (const char* env = std::getenv(envName); env && *env) return env;
    for (const auto& c : candidates)
        if (fs::is_directory(c)) return c.lexically_normal().string();
    return candidates.empty() ? std::string() : candidates.front().string();
}

}  // namespace

std::string defaultPluginDir() {
    const fs::path exeDir = fs::path(executablePath()).parent_path();
    return firstExisting("FORMPROC_PLUGIN_DIR",
                         {exeDir / "plugins", exeDir / ".." / FORMPROC_LIBDIR / "formproc" / "plugins"});
}

std::string defaultShareDir() {
    const fs::path exeDir = fs::path(executablePath()).parent_path();
    return firstExisting("FORMPROC_SHARE_DIR",
                         {exeDir / "share" / "formproc", exeDir / ".." / FORMPROC_DATADIR / "formproc"});
}

}  // namespace formproc::plugin
