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

namespace {

// The formproc_*.so files of `dir` in name order; an unlistable directory is
// recorded as a failure.
std::vector<std::string> pluginFiles(const std::string& dir, std::vector<LoadFailure>& failures) {
    std::error_code ec;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("formproc_", 0) == 0 && entry.path().extension() == ".so")
            files.push_back(entry.path().string());
    }
    if (ec) {
        failures.push_back({dir, "cannot list the plugin directory " + dir + ": " + ec.message()});
        return {};
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

void PluginRegistry::loadDirectory(const std::string& dir) {
    for (const auto& file : pluginFiles(dir, _failures))
        if (auto reason = loadFile(file)) _failures.push_back({file, *reason});
}

void PluginRegistry::deferDirectory(const std::string& dir) {
    for (auto& file : pluginFiles(dir, _failures)) _deferred.push_back(std::move(file));
}

sdk::Reader* PluginRegistry::obtain(std::string_view id) {
    if (sdk::Reader* reader = byId(id)) return reader;
    std::string expected = "formproc_" + std::string(id) + ".so";
    std::replace(expected.begin(), expected.end(), '-', '_');
    // The file named after the id first, then the rest in name order.
    std::stable_partition(_deferred.begin(), _deferred.end(),
                          [&](const std::string& file) { return fs::path(file).filename() == expected; });
    while (!_deferred.empty()) {
        const std::string file = std::move(_deferred.front());
        _deferred.erase(_deferred.begin());
        if (auto reason = loadFile(file)) _failures.push_back({file, *reason});
        if (sdk::Reader* reader = byId(id)) return reader;
    }
    return nullptr;
}

std::optional<std::string> PluginRegistry::loadFile(const std::string& path) {
    auto loaded = std::make_unique<Loaded>();
    loaded->path = path;
    try {
        // Lazy binding: a plugin's functions are bound when first called. Bound
        // eagerly, loading the four plugins cost ~14 ms of every process start.
        loaded->library.load(path, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
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
    if (!tag->pluginId || id != tag->pluginId)
        return "plugin " + path + ": its ABI tag names plugin '" + std::string(tag->pluginId ? tag->pluginId : "") +
               "' but its reader describes itself as '" + id + "'";
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

sdk::Reader* PluginRegistry::readerGiving(sdk::Gives what, std::string_view mediaType, sdk::Gives without) const {
    for (const auto& loaded : _loaded) {
        const sdk::Description& d = loaded->reader->describe();
        if (sdk::has(d.gives, what) && !sdk::has(d.gives, without) && d.takes(mediaType)) return loaded->reader.get();
    }
    return nullptr;
}

namespace {

bool matches(const sdk::Magic& magic, std::string_view head) {
    if (magic.bytes.empty()) return false;
    if (magic.offset == sdk::Magic::kAnywhere) return head.find(magic.bytes) != std::string_view::npos;
    if (magic.offset < 0) return false;
    const auto at = static_cast<std::size_t>(magic.offset);
    return at <= head.size() && head.substr(at).starts_with(magic.bytes);
}

std::string lowerExtension(std::string_view fileName) {
    const auto dot = fileName.rfind('.');
    if (dot == std::string_view::npos) return {};
    std::string ext(fileName.substr(dot + 1));
    for (char& c : ext)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return ext;
}

}  // namespace

std::string PluginRegistry::sniff(std::string_view head, std::string_view fileName) const {
    std::string best;
    std::size_t bestBytes = 0;
    for (const auto& loaded : _loaded)
        for (const sdk::Format& format : loaded->reader->describe().formats)
            for (const auto& signature : format.signatures) {
                std::size_t bytes = 0;
                bool all = !signature.empty();
                for (const auto& magic : signature) {
                    all = all && matches(magic, head);
                    bytes += magic.bytes.size();
                }
                if (all && bytes > bestBytes) best = format.mediaType, bestBytes = bytes;
            }
    if (!best.empty()) return best;
    // No signature: the extension decides only among formats that declared
    // none, or whose container signature (a ZIP's first bytes) matched.
    const std::string ext = lowerExtension(fileName);
    if (ext.empty()) return {};
    for (const auto& loaded : _loaded)
        for (const sdk::Format& format : loaded->reader->describe().formats) {
            if (std::find(format.extensions.begin(), format.extensions.end(), ext) == format.extensions.end()) continue;
            bool container = format.signatures.empty();
            for (const auto& signature : format.signatures)
                if (!signature.empty() && matches(signature.front(), head)) container = true;
            if (container) return format.mediaType;
        }
    return {};
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
