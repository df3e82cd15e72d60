// Loads reader plugins (shared libraries) through Boost.DLL and answers which
// of them may read an input.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formproc/sdk/reader.hpp"

namespace formproc::plugin {

struct LoadFailure {
    std::string path;
    std::string reason;  // English, names the file and what was wrong
};

class PluginRegistry {
public:
    PluginRegistry() = default;
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;
    ~PluginRegistry();

    // Loads every formproc_*.so in `dir`. A plugin with a wrong ABI, a missing
    // entry point or a throwing factory is refused and recorded in failures();
    // the others still load. Not thread-safe; call before sharing.
    void loadDirectory(const std::string& dir);

    // Loads one file; returns the refusal reason, or nullopt when loaded.
    std::optional<std::string> loadFile(const std::string& path);

    // Notes the plugin files of `dir` without loading them; obtain() loads
    // them when a reader is asked for. A worker reads with one or two
    // readers: loading all of them (Tesseract and its libraries for every
    // worker that reads Word files) cost more than reading a card.
    void deferDirectory(const std::string& dir);

    // The reader with this id, loading deferred files as needed: first the
    // file named after the id (formproc_pdf_text.so for "pdf-text"), then
    // the others in name order until one provides it.
    sdk::Reader* obtain(std::string_view id);

    const std::vector<LoadFailure>& failures() const { return _failures; }

    // Readers that may read the probed input, best first (score, then Yes over Maybe).
    std::vector<sdk::Reader*> candidates(const sdk::Probe& probe) const;

    sdk::Reader* byId(std::string_view id) const;

    // The first loaded reader (in load order) that gives `what`, takes
    // `mediaType` and gives nothing of `without`; nullptr when none. This is
    // how the pipeline asks for "a recogniser for these pages" without naming
    // a plugin.
    sdk::Reader* readerGiving(sdk::Gives what, std::string_view mediaType, sdk::Gives without = sdk::Gives::None) const;

    // The media type of an input by the formats the loaded readers declare:
    // the matching signature with the most bytes; without one, the file
    // name's extension among formats whose container signature matched or
    // that declare none. Empty when no reader knows the input.
    std::string sniff(std::string_view head, std::string_view fileName) const;
    std::vector<const sdk::Reader*> readers() const;

private:
    struct Loaded {
        std::string path;
        boost::dll::shared_library library;
        std::unique_ptr<sdk::Reader> reader;  // destroyed before the library
    };
    std::vector<std::unique_ptr<Loaded>> _loaded;
    std::vector<std::string> _deferred;  // plugin files not loaded yet, in name order
    std::vector<LoadFailure> _failures;
};

// Where the installed pieces are, found from the executable's own location:
// <exe dir>/plugins and <exe dir>/share/formproc in the build tree,
// <prefix>/lib/formproc/plugins and <prefix>/share/formproc when installed.
// FORMPROC_PLUGIN_DIR and FORMPROC_SHARE_DIR override them.
std::string defaultPluginDir();
std::string defaultShareDir();
std::string executablePath();

}  // namespace formproc::plugin
