// `formproc intake` as a person or the scorer runs it: a folder of .eml
// files, then a real Dovecot over IMAP, each attachment one JSON line with the
// message's sending date and Message-ID; with --data, each message once.
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "formproc/storage/store.hpp"
#include "output/output_support.hpp"
#include "support/dovecot.hpp"
#include "support/serve_process.hpp"
#include "support/smtp_sink.hpp"
#include "test_support.hpp"

using namespace formproc;
namespace fs = std::filesystem;

namespace {

using Json = Poco::JSON::Object::Ptr;

// The sample messages the tests take (tests/data/email/samples): a PDF card,
// the same message again, a message without an attachment, a card with a
// cover letter scanned as JPEG.
const char* const kCard = "10-003-powiat-bialostocki.eml";
const char* const kAgain = "17-003-powiat-bialostocki-duplikat.eml";
const char* const kNoAttachment = "09-003-powiat-bialostocki-bez-zalacznika.eml";
const char* const kWithCoverLetter = "06-009-gmina-pulawy.eml";

std::string sample(const std::string& name) { return test::readFile(test::dataPath("email/samples/" + name)); }

std::vector<Json> jsonLines(const std::string& text) {
    std::vector<Json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(Poco::JSON::Parser().parse(line).extract<Json>());
    return out;
}

std::pair<int, std::string> intake(const std::string& args, const std::string& env = {}) {
    return test::runCommand(env + " " + std::string(FORMPROC_BUILD_DIR) + "/formproc intake " + args + " 2>/dev/null");
}

std::string submitted(const Json& result, const std::string& key) {
    return result->getObject("submitted")->getValue<std::string>(key);
}

bool hasIssue(const Json& result, const std::string& code) {
    const auto issues = result->getArray("issues");
    for (std::size_t i = 0; i < issues->size(); ++i)
        if (issues->getObject(static_cast<unsigned>(i))->getValue<std::string>("code") == code) return true;
    return false;
}

// The expected results of a sample message (its .expected.json, a list).
std::vector<Json> expected(const std::string& name) {
    std::vector<Json> out;
    const auto parsed = Poco::JSON::Parser().parse(sample(name + ".expected.json"));
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr)) {
        const auto list = parsed.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < list->size(); ++i) out.push_back(list->getObject(static_cast<unsigned>(i)));
    } else {
        out.push_back(parsed.extract<Json>());
    }
    return out;
}

}  // namespace

TEST_CASE("intake eml:DIR: a line per attachment, dated by the message, each message once with --data",
          "[intake][command]") {
    const test::Deadline deadline(std::chrono::seconds(150));
    test::TempDir dir;
    for (const char* name : {kCard, kAgain, kNoAttachment, kWithCoverLetter})
        dir.file(std::string("in/") + name, sample(name));

    auto [status, out] = intake("'eml:" + dir.path() + "/in'");
    CHECK(status == 0);
    const auto results = jsonLines(out);
    // 06: the card and its cover letter; 09: nothing; 10 and 17: one card each.
    REQUIRE(results.size() == 4);
    std::vector<Json> want;
    for (const char* name : {kWithCoverLetter, kNoAttachment, kCard, kAgain})  // the folder's order: by name
        for (const auto& e : expected(name)) want.push_back(e);
    REQUIRE(want.size() == results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        INFO(want[i]->getValue<std::string>("source"));
        CHECK(results[i]->getValue<std::string>("source") == want[i]->getValue<std::string>("source"));
        CHECK(results[i]->getValue<std::string>("decision") == want[i]->getValue<std::string>("decision"));
        CHECK(submitted(results[i], "channel") == "email");
        CHECK(submitted(results[i], "date") == submitted(want[i], "date"));
        CHECK(submitted(results[i], "message_id") == submitted(want[i], "message_id"));
    }
    // The cover letter names the card but is not one; the same message again is a duplicate.
    CHECK(hasIssue(results[1], "unsupported"));
    CHECK_FALSE(hasIssue(results[2], "duplicate"));
    CHECK(hasIssue(results[3], "duplicate"));

    // With --data the messages are remembered: a second run takes nothing,
    // a new message is taken alone.
    const std::string data = dir.path() + "/dane";
    dir.file("in2/" + std::string(kCard), sample(kCard));
    auto [first, firstOut] = intake("'eml:" + dir.path() + "/in2' --data '" + data + "' --workers 1");
    CHECK(first == 0);
    CHECK(jsonLines(firstOut).size() == 1);
    auto [second, secondOut] = intake("'eml:" + dir.path() + "/in2' --data '" + data + "' --workers 1");
    CHECK(second == 0);
    CHECK(secondOut.empty());
    dir.file("in2/" + std::string(kNoAttachment), sample(kNoAttachment));
    auto [third, thirdOut] = intake("'eml:" + dir.path() + "/in2' --data '" + data + "' --format text");
    CHECK(third == 0);
    CHECK_THAT(thirdOut, Catch::Contains("wiadomości: 2, pominięte (przyjęte wcześniej): 1, bez załącznika: 1"));
}

TEST_CASE("intake over IMAP: a real Dovecot, messages marked as taken only with --data", "[intake][command][imap]") {
    std::string why;
    if (!test::DovecotServer::available(why)) {
        WARN("Dovecot cannot run here: " << why);
        SUCCEED();  // a test case without assertions fails (ctest runs with -w NoAssertions)
        return;
    }
    const test::Deadline deadline(std::chrono::seconds(120));
    std::string error;
    auto dovecot = test::DovecotServer::start(error);
    REQUIRE(dovecot);
    dovecot->deliver("", sample(kCard));
    dovecot->deliver("", sample(kNoAttachment));
    test::TempDir dir;
    const std::string spec =
        "'imap://" + test::DovecotServer::user() + "@127.0.0.1:" + std::to_string(dovecot->imapPort()) + "/INBOX'";
    const std::string env = "FORMPROC_MAIL_PASSWORD='" + test::DovecotServer::password() + "'";
    auto seenCount = [&] {
        std::size_t seen = 0;
        for (const char* sub : {"cur", "new"}) {
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator(dovecot->folderPath("") / sub, ec)) {
                const std::string name = entry.path().filename().string();
                const auto flags = name.find(":2,");
                if (flags != std::string::npos && name.find('S', flags) != std::string::npos) ++seen;
            }
        }
        return seen;
    };

    // Without --data: read only.
    auto [readStatus, readOut] = intake(spec, env);
    CHECK(readStatus == 0);
    CHECK(jsonLines(readOut).size() == 1);
    CHECK(seenCount() == 0);

    // With --data: taken, marked, and not taken again.
    const std::string data = "--data '" + dir.path() + "/dane'";
    auto [status, out] = intake(spec + " " + data, env);
    CHECK(status == 0);
    const auto results = jsonLines(out);
    REQUIRE(results.size() == 1);
    CHECK(submitted(results[0], "message_id") == submitted(expected(kCard)[0], "message_id"));
    CHECK(seenCount() == 2);
    auto [again, againOut] = intake(spec + " " + data, env);
    CHECK(again == 0);
    CHECK(againOut.empty());

    // A wrong password is a failure with a reason, not a crash or a hang.
    auto [denied, deniedOut] = intake(spec + " " + data, "FORMPROC_MAIL_PASSWORD=zle");
    CHECK(denied == 1);
    CHECK(deniedOut.empty());
}

TEST_CASE("intake --reply: each card's letter goes back to its sender once", "[intake][command][smtp]") {
    const test::Deadline deadline(std::chrono::seconds(90));
    test::SmtpSink sink;
    test::TempDir dir;
    dir.file(std::string("in/") + kCard, sample(kCard));
    dir.file(std::string("in/") + kNoAttachment, sample(kNoAttachment));
    const std::string args = "'eml:" + dir.path() + "/in' --data '" + dir.path() +
                             "/dane' --reply smtp://127.0.0.1:" + std::to_string(sink.port()) + " --format text";
    CHECK(intake("'eml:" + dir.path() + "/in' --reply smtp://127.0.0.1:25").first == 2);  // needs --data
    CHECK(intake(args + " --reply 'smtp://urzad:haslo@127.0.0.1'").first == 2);           // no password in a URL

    auto [status, out] = intake(args);
    CHECK(status == 0);
    CHECK_THAT(out, Catch::Contains("wysłane odpowiedzi: 1"));
    const auto mails = sink.received();
    REQUIRE(mails.size() == 1);
    const Json card = expected(kCard)[0];
    CHECK(mails[0].to == std::vector<std::string>{"starostwo@powiat.bialystok.example"});
    CHECK_THAT(mails[0].data, Catch::Contains("In-Reply-To: " + submitted(card, "message_id")));
    CHECK_THAT(mails[0].data, Catch::Contains("application/pdf"));
    // Run again: nothing new, nothing sent twice.
    auto [again, againOut] = intake(args);
    CHECK(again == 0);
    CHECK(sink.received().size() == 1);
}

TEST_CASE("serve --mailbox: the poller registers each message's cards once; the job runner processes them",
          "[intake][command][http]") {
    const test::Deadline deadline(std::chrono::seconds(90));
    test::TempDir dir;
    dir.file(std::string("in/") + kCard, sample(kCard));
    dir.file(std::string("in/") + kNoAttachment, sample(kNoAttachment));
    const std::string data = dir.path() + "/dane";
    test::ServeProcess serve(data, {"--mailbox", "eml:" + dir.path() + "/in", "--poll-seconds", "1"});
    const test::HttpClient client(serve.port(), test::createToken(data, "admin"));
    Json record;
    for (int i = 0; i < 600 && !record; ++i) {
        const auto list = Poco::JSON::Parser().parse(client.get("/api/v1/submissions").body).extract<Json>();
        const auto items = list->getArray("items");
        if (items && items->size() == 1 && items->getObject(0)->getValue<std::string>("status") == "done")
            record = items->getObject(0);
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(record);
    const auto id = record->getValue<std::int64_t>("id");
    const auto full =
        Poco::JSON::Parser().parse(client.get("/api/v1/submissions/" + std::to_string(id)).body).extract<Json>();
    CHECK(full->getValue<std::string>("decision") == expected(kCard)[0]->getValue<std::string>("decision"));
    CHECK(submitted(full, "channel") == "email");
    CHECK(submitted(full, "date") == submitted(expected(kCard)[0], "date"));
    // Later rounds take nothing again.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    const auto list = Poco::JSON::Parser().parse(client.get("/api/v1/submissions").body).extract<Json>();
    CHECK(list->getArray("items")->size() == 1);
    CHECK(serve.stop() == 0);
}

TEST_CASE("intake killed mid-run loses nothing and registers nothing twice when run again",
          "[intake][command][durability]") {
    const test::Deadline deadline(std::chrono::seconds(150));
    test::TempDir dir;
    std::size_t attachments = 0;
    for (const auto& entry : fs::directory_iterator(test::dataPath("email/samples"))) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".eml") continue;
        dir.file("in/" + name, sample(name));
        attachments += expected(name).size();
    }
    const std::string data = dir.path() + "/dane";
    const std::string command = std::string(FORMPROC_BUILD_DIR) + "/formproc intake 'eml:" + dir.path() +
                                "/in' --data '" + data + "' --workers 1";
    // Killed (SIGKILL) as soon as its first answer is out.
    const std::string first = dir.path() + "/first.jsonl";
    test::runCommand("(" + command + " > '" + first + "' 2>/dev/null & pid=$!; while [ ! -s '" + first +
                     "' ]; do sleep 0.05; done; kill -9 $pid; wait $pid) 2>/dev/null");
    const auto killed = jsonLines(test::readFile(first));
    CHECK(!killed.empty());
    CHECK(killed.size() < attachments);
    auto [status, out] = test::runCommand(command + " 2>/dev/null");
    CHECK(status == 0);

    // Every attachment is a submission, once, processed once.
    auto store = storage::Store::open(data, "");
    storage::ListFilter all;
    all.limit = 1000;
    const auto page = store->list(all);
    CHECK(page.items.size() == attachments);
    std::set<std::string> sources;
    for (const auto& item : page.items) {
        INFO(item.fileName);
        CHECK(item.status == storage::Status::Done);
        CHECK(store->outputHistory(item.id).size() == store->outputs(item.id).size());  // one version each
        sources.insert(item.messageId.value_or("") + "/" + item.fileName);
    }
    // A third run takes nothing.
    auto [again, againOut] = test::runCommand(command + " 2>/dev/null");
    CHECK(again == 0);
    CHECK(againOut.empty());
}
