// The check registry against the form loader, the schema and the forms:
// every check kind a form may use has exactly one implementation.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>

#include "formproc/forms/form.hpp"
#include "formproc/validation/check_registry.hpp"
#include "test_support.hpp"

using namespace formproc;
namespace fs = std::filesystem;

namespace {

std::set<std::string> asSet(const std::vector<std::string>& kinds) { return {kinds.begin(), kinds.end()}; }

// The kinds named in a text by `pattern`'s first group.
std::set<std::string> kindsIn(const std::string& text, const std::regex& pattern) {
    std::set<std::string> kinds;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
        kinds.insert((*it)[1].str());
    return kinds;
}

}  // namespace

TEST_CASE("every check kind the loader accepts has a registered implementation, and no other is registered",
          "[validation][checks]") {
    const auto registered = asSet(validation::registeredCheckKinds());
    CHECK(registered.size() == validation::registeredCheckKinds().size());  // each kind once
    CHECK(asSet(forms::checkKinds()) == registered);
    for (const auto& kind : forms::checkKinds()) CHECK(validation::hasCheckKind(kind));
    CHECK_FALSE(validation::hasCheckKind("no-such-check"));
    CHECK_FALSE(validation::hasCheckKind(""));
}

TEST_CASE("the check kinds of form.xsd are the registered ones", "[validation][checks]") {
    const std::string xsd = test::readFile(test::sourcePath("forms/form.xsd"));
    const auto begin = xsd.find("<xs:simpleType name=\"CheckKind\">");
    REQUIRE(begin != std::string::npos);
    const auto end = xsd.find("</xs:simpleType>", begin);
    REQUIRE(end != std::string::npos);
    const auto declared = kindsIn(xsd.substr(begin, end - begin), std::regex(R"(<xs:enumeration value="([^"]+)\")"));
    CHECK(declared == asSet(validation::registeredCheckKinds()));
}

TEST_CASE("every check kind used in forms/*.xml is registered, and every registered kind is used",
          "[validation][checks]") {
    // As written in the files (the loader refuses unknown kinds, so reading
    // the files shows what a form names, not what loaded).
    std::set<std::string> written;
    const std::regex checkKind(R"(<check\b[^>]*\bkind="([^"]+)\")");
    for (const auto& entry : fs::directory_iterator(test::sourcePath("forms")))
        if (entry.path().extension() == ".xml" && entry.path().filename() != "messages.xml")
            for (const auto& kind : kindsIn(test::readFile(entry.path().string()), checkKind)) written.insert(kind);
    REQUIRE_FALSE(written.empty());
    CHECK(written == asSet(validation::registeredCheckKinds()));

    // And as loaded: every field's checks.
    std::set<std::string> loaded;
    for (const auto& form : test::projectForms()->forms())
        for (const auto& field : form->fields)
            for (const auto& check : field.checks) loaded.insert(check.kind);
    CHECK(loaded == written);
}
