#include <catch2/catch.hpp>

#include <algorithm>

#include "formproc/plugin/registry.hpp"

using formproc::plugin::PluginRegistry;
namespace sdk = formproc::sdk;

namespace {

const formproc::plugin::LoadFailure* failureFor(const PluginRegistry& r, const std::string& file) {
    for (const auto& f : r.failures())
        if (f.path.find(file) != std::string::npos) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("the loader refuses broken plugins by name and still loads the good one", "[plugin][loader]") {
    PluginRegistry registry;
    registry.loadDirectory(std::string(FORMPROC_TEST_PLUGIN_DIR) + "/broken");

    REQUIRE(registry.byId("fixture") != nullptr);
    REQUIRE(registry.readers().size() == 1);
    REQUIRE(registry.failures().size() == 4);

    const auto* badAbi = failureFor(registry, "formproc_bad_abi.so");
    REQUIRE(badAbi);
    const std::string built = "ABI " + std::to_string(formproc::sdk::kAbiMajor + 98) + ".0";
    const std::string expects =
        "expects " + std::to_string(formproc::sdk::kAbiMajor) + "." + std::to_string(formproc::sdk::kAbiMinor);
    CHECK_THAT(badAbi->reason,
               Catch::Contains("formproc_bad_abi.so") && Catch::Contains(built) && Catch::Contains(expects));

    const auto* noFactory = failureFor(registry, "formproc_no_factory.so");
    REQUIRE(noFactory);
    CHECK_THAT(noFactory->reason, Catch::Contains("no formproc_factory entry point"));

    const auto* throwing = failureFor(registry, "formproc_throwing_factory.so");
    REQUIRE(throwing);
    CHECK_THAT(throwing->reason, Catch::Contains("factory threw") && Catch::Contains("factory failed on purpose"));

    // Its ABI tag names another plugin than its reader describes itself as.
    const auto* wrongId = failureFor(registry, "formproc_wrong_id.so");
    REQUIRE(wrongId);
    CHECK_THAT(wrongId->reason,
               Catch::Contains("ABI tag names plugin 'wrong-id'") && Catch::Contains("describes itself as 'never'"));
}

TEST_CASE("a file that is no shared library is refused with its name", "[plugin][loader]") {
    PluginRegistry registry;
    auto reason = registry.loadFile(std::string(FORMPROC_TEST_DATA) + "/pdf-malformed/qpdf-bad2.pdf");
    REQUIRE(reason);
    CHECK_THAT(*reason, Catch::Contains("qpdf-bad2.pdf") && Catch::Contains("cannot be loaded"));
    CHECK(registry.readers().empty());
}

TEST_CASE("loading the same plugin twice is refused", "[plugin][loader]") {
    PluginRegistry registry;
    const std::string path = std::string(FORMPROC_TEST_PLUGIN_DIR) + "/fixture/formproc_fixture.so";
    REQUIRE_FALSE(registry.loadFile(path));
    auto again = registry.loadFile(std::string(FORMPROC_TEST_PLUGIN_DIR) + "/broken/formproc_fixture_copy.so");
    REQUIRE(again);
    CHECK_THAT(*again, Catch::Contains("already loaded"));
}

TEST_CASE("the build's own plugins load and identify PDFs by their first bytes", "[plugin][pdf-acroform]") {
    PluginRegistry registry;
    registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    CHECK(registry.failures().empty());
    REQUIRE(registry.byId("pdf-acroform"));

    formproc::sdk::Probe pdf{"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "karta.pdf", "", 100};
    auto candidates = registry.candidates(pdf);
    REQUIRE_FALSE(candidates.empty());
    CHECK(candidates.front()->describe().id == "pdf-acroform");

    formproc::sdk::Probe jpeg{"\xFF\xD8\xFF\xE0\x00\x10JFIF", "karta.pdf", "application/pdf", 100};
    auto none = registry.candidates(jpeg);
    CHECK(std::none_of(none.begin(), none.end(), [](auto* r) { return r->describe().id == "pdf-acroform"; }));
}

TEST_CASE("a deferred directory loads only the plugin that is asked for", "[plugin][loader]") {
    PluginRegistry registry;
    registry.deferDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    CHECK(registry.readers().empty());

    // The file named after the id, and nothing else.
    sdk::Reader* text = registry.obtain("pdf-text");
    REQUIRE(text != nullptr);
    CHECK(text->describe().id == "pdf-text");
    REQUIRE(registry.readers().size() == 1);
    CHECK(registry.obtain("pdf-text") == text);
    CHECK(registry.readers().size() == 1);

    REQUIRE(registry.obtain("docx") != nullptr);
    CHECK(registry.readers().size() == 2);

    // An unknown id loads what is left, then gives up.
    CHECK(registry.obtain("no-such-reader") == nullptr);
    PluginRegistry eager;
    eager.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    CHECK(registry.readers().size() == eager.readers().size());
    CHECK(registry.failures().empty());
}

TEST_CASE("a deferred plugin that cannot load is recorded when it is asked for", "[plugin][loader]") {
    PluginRegistry registry;
    registry.deferDirectory(std::string(FORMPROC_TEST_PLUGIN_DIR) + "/broken");
    CHECK(registry.failures().empty());
    REQUIRE(registry.obtain("fixture") != nullptr);
    CHECK(registry.obtain("bad-abi") == nullptr);
    CHECK(failureFor(registry, "formproc_bad_abi.so") != nullptr);
    CHECK(failureFor(registry, "formproc_throwing_factory.so") != nullptr);
}
