// The review desk in a real headless Chromium (Debian's chromium and
// chromium-driver, driven through WebDriver): signing in, uploading cards,
// correcting a flagged field from the keyboard, approving, downloading the
// letter, CSRF refusals, office scope, signing out, and axe-core's
// accessibility rules (tests/browser: npm install, done by scripts/setup.sh).
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>

#include "storage/backends.hpp"
#include "support/serve_process.hpp"
#include "support/webdriver.hpp"
#include "test_support.hpp"

using namespace formproc;
using test::Browser;
using test::HttpClient;
using test::ServeProcess;

namespace {

constexpr const char* kEnter = "\uE007";

Poco::JSON::Object::Ptr json(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr waitProcessed(const HttpClient& client, std::int64_t id,
                                      std::chrono::seconds deadline = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        const auto record = json(client.get("/api/v1/submissions/" + std::to_string(id)).body);
        const std::string status = record->getValue<std::string>("status");
        if (status == "done" || status == "failed") return record;
        if (std::chrono::steady_clock::now() > until) FAIL("submission " << id << " still " << status);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Whether the keyboard focus reaches the field `id` (the page's script sets it
// once it has run, which under load is after the page has loaded).
bool focusReaches(Browser& browser, const std::string& id) {
    return browser.waitUntil(
        [&] { return browser.script("return document.activeElement.dataset.field || '';").toString() == id; });
}

void signIn(Browser& browser, const std::string& base, const std::string& token) {
    browser.go(base + "/desk/");
    REQUIRE(browser.url() == base + "/desk/login");  // signed out: sent to the sign-in page
    browser.type(browser.find("#token"), token + kEnter);
    REQUIRE(browser.waitUntil([&] { return browser.url() == base + "/desk/"; }));
    browser.find("table.list");
}

// axe-core's serious and critical violations on the page shown.
std::vector<std::string> accessibilityProblems(Browser& browser) {
    static const std::string axe = test::readFile(test::sourcePath("tests/browser/node_modules/axe-core/axe.min.js"));
    INFO("axe-core is missing: scripts/setup.sh installs it with npm (cd tests/browser && npm ci)");
    REQUIRE(axe.size() > 100000);
    browser.script(axe + "\n;return typeof window.axe;");
    const auto result = browser.asyncScript(R"(
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then((r) => done(r.violations.map(
            (v) => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '))))
          .catch((e) => done(['critical axe-failed: ' + e]));)");
    std::vector<std::string> serious;
    const auto list = result.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string line = list->getElement<std::string>(static_cast<unsigned>(i));
        if (line.rfind("serious", 0) == 0 || line.rfind("critical", 0) == 0)
            serious.push_back(line);
        else
            WARN("axe (" << browser.url() << "): " << line);
    }
    return serious;
}

// `fetch` from the page (with its session cookie): "STATUS FIRST-BYTES".
std::string fetchFromPage(Browser& browser, const std::string& method, const std::string& path,
                          const std::string& csrfHeader) {
    return browser
        .asyncScript(
            R"(
        const [method, path, csrf, done] = arguments;
        const headers = csrf === null ? {} : {'X-CSRF-Token': csrf};
        fetch(path, {method, headers, credentials: 'same-origin'})
          .then((r) => r.arrayBuffer().then((b) => done(r.status + ' ' +
              String.fromCharCode(...new Uint8Array(b.slice(0, 4))))))
          .catch((e) => done('error ' + e));)",
            "[\"" + method + "\",\"" + path + "\"," + (csrfHeader == "-" ? "null" : "\"" + csrfHeader + "\"") + "]")
        .toString();
}

// The crop of the page under field `id` is shown, with the page image as its
// background, scaled to a visible size.
bool cropShown(Browser& browser, const std::string& id) {
    return browser
        .script("const c = document.querySelector('.field[data-field=\"" + id +
                "\"] .crop'); return Boolean(c && !c.hidden && c.offsetWidth > 50 && c.offsetHeight > 10 && "
                "/url\\(.*\\/pages\\/1/.test(getComputedStyle(c).backgroundImage));")
        .convert<bool>();
}

void saveScreenshot(Browser& browser, const std::string& name) {
    const std::string dir = std::string(FORMPROC_BUILD_DIR) + "/desk-screenshots";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/" + name, std::ios::binary) << browser.screenshot();
}

}  // namespace

TEST_CASE("desk: sign in, upload cards, correct a flagged field, approve, download the letter, CSRF refused",
          "[desk][browser]") {
    if (!test::chromiumAvailable()) {
        WARN("chromium or chromium-driver is not installed: the desk's browser test is skipped");
        SUCCEED();
        return;
    }
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string reviewer = test::createToken(data, "reviewer", {}, {"--label", "Anna K."});
    // The bundled campaign with a deadline still to come: cards uploaded today are not late.
    test::TempDir dir;
    std::string campaign = test::readFile(test::sourcePath("data/campaigns/liderzy-kooperacji-2018.json"));
    REQUIRE(campaign.find("\"deadline\": \"2018-06-21\"") != std::string::npos);
    campaign.replace(campaign.find("\"deadline\": \"2018-06-21\""), 24, "\"deadline\": \"2099-12-31\"");
    std::ofstream(dir.path() + "/campaign.json") << campaign;
    ServeProcess server(data, {"--campaign", dir.path() + "/campaign.json"});
    const HttpClient api(server.port(), reviewer);
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    const std::string card = dir.path() + "/karta-005.pdf";
    std::filesystem::copy_file(test::dataPath("acroform/005-powiat-leczynski.pdf"), card);
    REQUIRE(std::system(("pdftoppm -r 100 -png -f 1 -l 1 -singlefile '" +
                         test::dataPath("pdf-text/002-powiat-rzeszowski.pdf") + "' '" + dir.path() + "/skan'")
                            .c_str()) == 0);

    Browser browser;
    browser.go(base + "/desk/login");
    CHECK(accessibilityProblems(browser).empty());
    signIn(browser, base, reviewer);

    // Two cards dropped at once (through the drop zone's file input): each with its progress and case sign.
    browser.go(base + "/desk/upload");
    CHECK(accessibilityProblems(browser).empty());
    browser.type(browser.find("#files"), card + "\n" + dir.path() + "/skan.png");
    REQUIRE(browser.waitUntil([&] { return browser.count("#uploads li.done") == 2; }, std::chrono::seconds(20)));
    CHECK(browser.count("#uploads progress") == 2);
    const std::string href = browser
                                 .script(
                                     "return [...document.querySelectorAll('#uploads li')].find("
                                     "(l) => l.firstChild.textContent === 'karta-005.pdf').querySelector('a')"
                                     ".getAttribute('href');")
                                 .toString();
    const std::int64_t id = std::stoll(href.substr(href.rfind('/') + 1));
    CHECK(waitProcessed(api, id)->getValue<std::string>("decision") == "incomplete");
    // A file dropped on the drop zone (a real drop event with its DataTransfer).
    browser.script(R"(const t = new DataTransfer();
        t.items.add(new File(['zgłoszenie bez karty'], 'upuszczony.txt', {type: 'text/plain'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true}));)");
    CHECK(browser.waitUntil([&] { return browser.count("#uploads li.done") == 3; }));
    // A postal submission with its postmark date: the date that counts.
    browser.type(browser.find("#postal-file"), test::dataPath("docx/008-gmina-jodlowa.docx"));
    browser.script("document.getElementById('postmark').value = '2018-06-18';");
    browser.click(browser.find("#postal button[type=submit]"));
    REQUIRE(browser.waitUntil(
        [&] { return browser.text(browser.find("#postal-status")).find("Zarejestrowano") != std::string::npos; }));
    const auto posted = json(api.get("/api/v1/submissions?channel=post").body)->getArray("items");
    REQUIRE(posted->size() == 1);
    CHECK(posted->getObject(0)->getValue<std::string>("date") == "2018-06-18");

    // The list: the new card waits for review, counts per decision shown.
    browser.go(base + "/desk/");
    CHECK(browser.count("tr.waiting[data-id=\"" + std::to_string(id) + "\"]") == 1);
    CHECK(browser.text(browser.find(".counts")).find("braki") != std::string::npos);
    CHECK(accessibilityProblems(browser).empty());
    saveScreenshot(browser, "desk-list.png");

    // The record: the page image, and the first flagged field has the focus.
    browser.go(base + href);
    browser.find(".pages img");
    CHECK(browser.waitUntil([&] {
        return browser
            .script("const i = document.querySelector('.pages img'); return i.complete && i.naturalWidth > 500;")
            .convert<bool>();
    }));
    CHECK(focusReaches(browser, "adres_kod_pocztowy"));
    // The fields grouped as on the card, under its numbered sections.
    CHECK(browser
              .script("return [...document.querySelectorAll('#fields legend')].map((l) => l.textContent)"
                      ".join('|');")
              .toString() ==
          "1. Dane powiatu|2. Dane jednostki zgłaszającej|3. Reprezentacja powiatu|4. Osoba do kontaktu|"
          "5. Powiatowe Centrum Pomocy Rodzinie|6. Gminy wiejskie z terenu powiatu zgłoszone do projektu|"
          "7. Instytucje deklarowane do Partnerskiego Zespołu Kooperacji|8. Oświadczenia|Pozostałe pola");
    // The flagged field shows where it was read: the page image cropped around its widget.
    CHECK(browser.waitUntil([&] { return cropShown(browser, "adres_kod_pocztowy"); }));
    CHECK(accessibilityProblems(browser).empty());
    saveScreenshot(browser, "desk-record.png");
    // j / k move between fields.
    browser.type(browser.active(), "j");
    CHECK(focusReaches(browser, "adres_miejscowosc"));
    browser.type(browser.active(), "k");
    // Enter edits the field, typing corrects it; the REGON too; Enter saves through PATCH fields.
    browser.type(browser.active(), kEnter);
    const std::string postal = browser.active();
    browser.clear(postal);
    browser.type(postal, "21-010");
    const std::string regon = browser.find("#f-regon");
    browser.clear(regon);
    browser.type(regon, std::string("123456785") + kEnter);
    REQUIRE(browser.waitUntil([&] {
        const auto m = browser.tryFind("#message");
        return m && browser.text(*m).find("Zapisano") != std::string::npos;
    }));
    CHECK(browser.count(".field[data-field=\"regon\"][data-review]") == 0);
    CHECK(browser.count(".field[data-field=\"adres_kod_pocztowy\"][data-review]") == 0);
    const std::string decided =
        json(api.get("/api/v1/submissions/" + std::to_string(id)).body)->getValue<std::string>("decision");
    CHECK(decided != "incomplete");
    CHECK(browser.text(browser.find("#decision")).find("braki") == std::string::npos);
    // A field not under review shows its crop once clicked.
    CHECK_FALSE(cropShown(browser, "nazwa_powiatu"));
    browser.click(browser.find("#f-nazwa_powiatu"));
    CHECK(browser.waitUntil([&] { return cropShown(browser, "nazwa_powiatu"); }));

    // Approve: recorded; the letter of the new version downloads.
    browser.click(browser.find("#approve"));
    REQUIRE(browser.waitUntil([&] { return browser.text(browser.find("#review-state")) == "zatwierdzone"; }));
    const std::string trail = api.get("/api/v1/submissions/" + std::to_string(id) + "/audit").body;
    CHECK(trail.find("\"approve\"") != std::string::npos);
    CHECK(trail.find("\"field\":\"regon\"") != std::string::npos);
    const std::string csrf =
        browser.script("return document.querySelector('meta[name=\"csrf-token\"]').content;").toString();
    const std::string path = "/api/v1/submissions/" + std::to_string(id);
    CHECK(fetchFromPage(browser, "GET", path + "/letter.pdf", "-") == "200 %PDF");
    CHECK(fetchFromPage(browser, "GET", path + "/letter.pdf?version=2", "-") == "200 %PDF");
    // A change without the CSRF token, or with a wrong one, is refused.
    CHECK(fetchFromPage(browser, "POST", path + "/approve", "-").rfind("403", 0) == 0);
    CHECK(fetchFromPage(browser, "POST", path + "/approve", "0000").rfind("403", 0) == 0);
    CHECK(fetchFromPage(browser, "PATCH", path + "/fields", "-").rfind("403", 0) == 0);
    CHECK(fetchFromPage(browser, "POST", path + "/approve", csrf).rfind("200", 0) == 0);

    // Approved: no longer waiting.
    browser.go(base + "/desk/");
    CHECK(browser.count("tr.waiting[data-id=\"" + std::to_string(id) + "\"]") == 0);
    browser.go(base + "/desk/zal1");
    browser.find("h1");
    CHECK(accessibilityProblems(browser).empty());
    CHECK(server.stop() == 0);
}

TEST_CASE("desk: an office sees only its own records, may not approve; signing out ends the session",
          "[desk][browser]") {
    if (!test::chromiumAvailable()) {
        WARN("chromium or chromium-driver is not installed: the desk's browser test is skipped");
        SUCCEED();
        return;
    }
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin");
    const std::string rzeszowski = test::createToken(data, "office", "1816");  // powiat rzeszowski
    const std::string lublin = test::createToken(data, "office", "0663");
    ServeProcess server(data, {});
    const HttpClient api(server.port(), admin);
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    const auto upload = api.upload("/api/v1/submissions", "karta.pdf",
                                   test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf")));
    REQUIRE(upload.status == 201);
    const std::int64_t id = json(upload.body)->getValue<std::int64_t>("id");
    const std::string sign = waitProcessed(api, id)->getValue<std::string>("case_sign");
    const std::string page = "/desk/submissions/" + std::to_string(id);

    Browser browser;
    signIn(browser, base, lublin);
    CHECK(browser.count("tr[data-id]") == 0);
    browser.go(base + page);
    CHECK(browser.text(browser.find("h1")) == "Błąd 404");
    CHECK(fetchFromPage(browser, "GET", "/api/v1/submissions/" + std::to_string(id), "-").rfind("404", 0) == 0);
    CHECK(fetchFromPage(browser, "GET", page + "/pages/1", "-").rfind("404", 0) == 0);
    // Signing out: back to the sign-in page, and the old session no longer opens anything.
    browser.go(base + "/desk/");
    browser.click(browser.find("form.logout button"));
    REQUIRE(browser.waitUntil([&] { return browser.url() == base + "/desk/login"; }));
    browser.go(base + "/desk/");
    CHECK(browser.url() == base + "/desk/login");
    CHECK(fetchFromPage(browser, "GET", "/api/v1/submissions", "-").rfind("401", 0) == 0);

    signIn(browser, base, rzeszowski);
    CHECK(browser.count("tr[data-id=\"" + std::to_string(id) + "\"]") == 1);
    browser.go(base + page);
    CHECK(browser.text(browser.find("h1")).find(sign) != std::string::npos);
    CHECK(browser.count("#approve") == 0);  // an office reads, reviewers decide
    const std::string csrf =
        browser.script("return document.querySelector('meta[name=\"csrf-token\"]').content;").toString();
    CHECK(fetchFromPage(browser, "POST", "/api/v1/submissions/" + std::to_string(id) + "/approve", csrf)
              .rfind("403", 0) == 0);
    CHECK(server.stop() == 0);
}
