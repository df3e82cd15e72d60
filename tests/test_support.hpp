// Shared helpers for the tests: the project's own forms, TERYT copy and
// campaign, loaded once; temporary directories that clean up after themselves.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "formproc/forms/form.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/teryt.hpp"
#include "formproc/util/text.hpp"
#include "formproc/validation/validator.hpp"

namespace Catch {
template <>
struct StringMaker<formproc::Decision> {
    static std::string convert(formproc::Decision d) { return formproc::toString(d); }
};
}  // namespace Catch

namespace formproc::test {

inline std::string sourcePath(const std::string& rel) { return std::string(FORMPROC_SOURCE_DIR) + "/" + rel; }
inline std::string dataPath(const std::string& rel) { return std::string(FORMPROC_TEST_DATA) + "/" + rel; }

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
        _path = std::filesystem::temp_directory_path() / ("formproc-test-" + std::to_string(rd()) + std::to_string(rd()));
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

}  // namespace formproc::test
