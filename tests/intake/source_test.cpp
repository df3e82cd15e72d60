#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

#include "formproc/intake/imap_utf7.hpp"
#include "formproc/intake/mail_source.hpp"
#include "intake/intake_support.hpp"

using namespace formproc;
using namespace formproc::intake;

namespace {

std::vector<FetchedMessage> drain(MailSource& source) {
    std::vector<FetchedMessage> out;
    while (auto message = source.next()) out.push_back(std::move(*message));
    return out;
}

std::vector<std::string> sampleRaws() {
    std::vector<std::string> raws;
    for (const auto& sample : test::sampleMessages()) raws.push_back(sample.raw);
    return raws;
}

// Message-ID and the attachments' sha256s of each parsed message, in order.
std::vector<std::string> fingerprints(const std::vector<FetchedMessage>& messages) {
    std::vector<std::string> out;
    for (const auto& fetched : messages) {
        const ParsedMessage parsed = parseMessage(fetched.raw);
        std::string print = parsed.messageId + " " + parsed.sentDate;
        for (const auto& attachment : parsed.attachments) print += " " + attachment.fileName + "=" + attachment.sha256;
        out.push_back(print);
    }
    return out;
}

}  // namespace

TEST_CASE("intake: modified UTF-7 folder names", "[intake][imap]") {
    CHECK(encodeImapUtf7("Błędne") == "B&AUIBGQ-dne");
    CHECK(encodeImapUtf7("Przetworzone") == "Przetworzone");
    CHECK(encodeImapUtf7("Zgłoszenia/2018 & później") == "Zg&AUI-oszenia/2018 &- p&APMBeg-niej");
    CHECK(encodeImapUtf7("日本語") == "&ZeVnLIqe-");  // RFC 3501's example
    CHECK(encodeImapUtf7("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    CHECK(encodeImapUtf7("😀") == "&2D3eAA-");  // a surrogate pair
    for (const std::string name : {"Błędne", "Zażółć gęślą jaźń", "A&B", "😀 ok", "ĄĆĘŁŃÓŚŹŻ", ""})
        CHECK(decodeImapUtf7(encodeImapUtf7(name)) == name);
    CHECK(decodeImapUtf7("B&AUI-dne") == "Błdne");
    CHECK(decodeImapUtf7("&ZeVnLIqe-") == "日本語");
    CHECK(decodeImapUtf7("&-") == "&");
    CHECK_FALSE(decodeImapUtf7("B&AUI").has_value());      // unterminated
    CHECK_FALSE(decodeImapUtf7("B\xC5\x82").has_value());  // raw UTF-8
    CHECK_FALSE(decodeImapUtf7("&AGE-").has_value());      // "a" must not be encoded
    CHECK_FALSE(decodeImapUtf7("&2D0-").has_value());      // a lone high surrogate
    CHECK_FALSE(decodeImapUtf7("&A!-").has_value());
}

TEST_CASE("intake: source specs are checked with clear errors", "[intake][source]") {
    test::TempDir dir;
    const std::string mbox = dir.file("in.mbox", "From a\nSubject: x\n\nbody\n");
    std::filesystem::create_directories(dir.path() + "/md/cur");
    const Credentials none;
    CHECK(openSource("mbox:" + mbox, none).source);
    CHECK(openSource("maildir:" + dir.path() + "/md", none).source);
    CHECK(openSource("eml:" + dir.path(), none).source);
    const auto imap = openSource("imaps://urzad@mail.gmina.example/Zg%C5%82oszenia", none);
    REQUIRE(imap.source);
    CHECK(imap.source->mailbox() == "imaps://urzad@mail.gmina.example:993/Zgłoszenia");
    CHECK(openSource("imap://mail.example:1143", {"u", "p"}).source->mailbox() == "imap://u@mail.example:1143/INBOX");
    CHECK(openSource("pop3://u@[::1]:1110", none).source->mailbox() == "pop3://u@[::1]:1110");

    const auto refusedWith = [&](const std::string& spec, const std::string& words) {
        const auto opened = openSource(spec, none);
        INFO(spec << " -> " << opened.error);
        CHECK_FALSE(opened.source);
        CHECK(opened.error.find(words) != std::string::npos);
    };
    refusedWith("imap://urzad:sekret@mail.example/INBOX", "password");
    refusedWith("mbox:" + dir.path() + "/missing.mbox", "no such file");
    refusedWith("maildir:" + dir.path(), "neither cur/ nor new/");
    refusedWith("eml:/nonexistent/folder", "no such folder");
    refusedWith("mbox:", "no path");
    refusedWith("ftp://example.com/x", "unknown mail source");
    refusedWith("inbox.mbox", "unknown mail source");
    refusedWith("imap://mail.example/INBOX", "no user");
    refusedWith("imap://u@mail.example:99999/INBOX", "out of range");
    refusedWith("imap://u@mail.example:abc/INBOX", "not a number");
    refusedWith("imap://u@/INBOX", "no host");
    refusedWith("imap://u@mail.example/Z%C5", "not UTF-8");
    refusedWith("imap://u@mail.example/Z%G1", "%-escape");
    refusedWith("pop3://u@mail.example/INBOX", "no folders");
    // The password never shows in what a source says about itself.
    const auto withPassword = openSource("imap://urzad@mail.example/INBOX", {"", "tajne"});
    REQUIRE(withPassword.source);
    CHECK(withPassword.source->mailbox().find("tajne") == std::string::npos);
}

TEST_CASE("intake: credentials come from the environment, per source where given", "[intake][source]") {
    ::setenv("FORMPROC_MAIL_USER", "ogolny", 1);
    ::setenv("FORMPROC_MAIL_PASSWORD", "haslo1", 1);
    ::setenv("FORMPROC_MAIL_GMINA_2_USER", "gmina", 1);
    const Credentials shared = credentialsFromEnvironment();
    CHECK(shared.user == "ogolny");
    CHECK(shared.password == "haslo1");
    const Credentials specific = credentialsFromEnvironment("gmina-2");
    CHECK(specific.user == "gmina");
    CHECK(specific.password == "haslo1");
    ::unsetenv("FORMPROC_MAIL_USER");
    ::unsetenv("FORMPROC_MAIL_PASSWORD");
    ::unsetenv("FORMPROC_MAIL_GMINA_2_USER");
}

TEST_CASE("intake: mbox, Maildir and .eml folders give the same messages", "[intake][source]") {
    test::TempDir dir;
    const auto raws = sampleRaws();
    const std::string mboxPath = dir.file("zgloszenia.mbox", test::toMboxrd(raws));
    for (std::size_t i = 0; i < raws.size(); ++i) {
        char name[80];
        std::snprintf(name, sizeof name, "%s/%u.M%zuP1.mx.example", i % 3 == 0 ? "new" : "cur",
                      1528000000u + unsigned(i), i);
        dir.file("maildir/" + std::string(name) + (i % 3 == 0 ? "" : ":2,S"), raws[i]);
    }
    const Credentials none;
    auto mbox = openSource("mbox:" + mboxPath, none).source;
    auto maildir = openSource("maildir:" + dir.path() + "/maildir", none).source;
    auto eml = openSource("eml:" + test::dataPath("email/samples"), none).source;
    REQUIRE(mbox);
    REQUIRE(maildir);
    REQUIRE(eml);
    const auto fromMbox = drain(*mbox);
    const auto fromMaildir = drain(*maildir);
    const auto fromEml = drain(*eml);
    CHECK(mbox->error().empty());
    REQUIRE(fromMbox.size() == 17);
    CHECK(fingerprints(fromMbox) == fingerprints(fromEml));
    CHECK(fingerprints(fromMaildir) == fingerprints(fromEml));

    // Keys: stable, unique, without the Maildir flags, with the Message-ID.
    std::set<std::string> keys;
    for (const auto& message : fromMbox) keys.insert(message.key.str());
    CHECK(keys.size() == 17);
    CHECK(fromMbox[0].key.item == "offset=0");
    CHECK(fromMbox[0].key.messageId == "<20180606115941.3E7CC0@rops.lublin.example>");
    CHECK(fromMbox[0].receivedAt == test::utc(2018, 6, 21, 12, 0, 0));
    CHECK(fromMaildir[1].key.item == "file=1528000001.M1P1.mx.example");
    CHECK(fromEml[0].key.item == "file=01-008-gmina-jodlowa.eml");
    CHECK(fromEml[0].key.mailbox.rfind("eml:/", 0) == 0);
    // The duplicate is the same message under another key.
    CHECK(fromMbox[16].key.messageId == fromMbox[9].key.messageId);
    CHECK(fromMbox[16].key.str() != fromMbox[9].key.str());
    // Reading again gives the same keys.
    auto again = openSource("mbox:" + mboxPath, none).source;
    const auto second = drain(*again);
    for (std::size_t i = 0; i < second.size(); ++i) CHECK(second[i].key.str() == fromMbox[i].key.str());
    CHECK(mbox->done(fromMbox[0].key, Outcome::Stored));
}

TEST_CASE("intake: mbox escapes, bare From_ lines and oversized messages", "[intake][source]") {
    test::TempDir dir;
    const std::string body = "From: a@b.example\nMessage-ID: <m1@b.example>\n\nline\n>From here\nFrom the start\n";
    const std::string mbox =
        dir.file("x.mbox", test::toMboxrd({body, std::string("Subject: two\n\n") + std::string(5000, 'x')}));
    SourceOptions small;
    small.maxMessageBytes = 1000;
    auto source = openSource("mbox:" + mbox, {}, small).source;
    const auto messages = drain(*source);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].raw == body);  // ">From" and "From" lines come back as written
    CHECK(messages[0].key.messageId == "<m1@b.example>");
    CHECK_FALSE(messages[0].truncated);
    CHECK(messages[1].truncated);
    CHECK(messages[1].raw.size() == 1001);
    CHECK(messages[1].size > 5000);
    ParseOptions limited;
    limited.limits.maxMessageBytes = 1000;
    CHECK(parseMessage(messages[1].raw, limited).error->code == ParseErrorCode::TooLarge);

    auto dash = openSource("mbox:" + test::dataPath("email/external/mimekit-simple-from-dash.mbox"), {}).source;
    const auto three = drain(*dash);
    CHECK(three.size() == 3);
    for (const auto& message : three) CHECK(parseMessage(message.raw).ok());
    auto romanian = openSource("mbox:" + test::dataPath("email/external/mime4j-rlug-romanian.mbox"), {}).source;
    const auto five = drain(*romanian);
    REQUIRE(five.size() == 5);
    for (const auto& message : five) {
        const auto parsed = parseMessage(message.raw);
        CHECK(parsed.ok());
        CHECK_FALSE(message.key.messageId.empty());
        CHECK(parsed.messageId == message.key.messageId);
    }
    CHECK(scanMessageId("Subject: x\r\nMessage-Id:\r\n  <folded@x.example>\r\n\r\nMessage-ID: <body@x>\r\n") ==
          "<folded@x.example>");
    CHECK(scanMessageId("Subject: x\n\nMessage-ID: <body@x>\n").empty());
}

TEST_CASE("intake: the shared corpus's mailboxes match its expected results", "[intake][corpus]") {
    const std::filesystem::path corpus = std::filesystem::path(FORMPROC_SOURCE_DIR) / ".." / "shared" / "corpus";
    if (!std::filesystem::exists(corpus / "samples" / "index.json")) {
        WARN("../shared/corpus not present: skipped");
        SUCCEED();  // a test case without assertions fails (ctest runs with -w NoAssertions)
        return;
    }
    for (const char* set : {"samples", "hard"}) {
        INFO(set);
        const std::string base = (corpus / set / "email").string();
        auto eml = openSource("eml:" + base + "/eml", {}).source;
        auto mbox = openSource("mbox:" + base + "/zgloszenia.mbox", {}).source;
        auto maildir = openSource("maildir:" + base + "/maildir", {}).source;
        const auto fromEml = drain(*eml);
        CHECK(fingerprints(drain(*mbox)) == fingerprints(fromEml));
        // Maildir names are delivery times, not the .eml folder's order.
        auto fromMaildir = fingerprints(drain(*maildir));
        auto emlPrints = fingerprints(fromEml);
        std::sort(fromMaildir.begin(), fromMaildir.end());
        std::sort(emlPrints.begin(), emlPrints.end());
        CHECK(fromMaildir == emlPrints);
        for (const auto& message : fromEml) {
            const std::string name = message.key.item.substr(5);
            Poco::JSON::Parser parser;
            const auto expected = parser.parse(test::readFile(base + "/eml/" + name + ".expected.json"))
                                      .extract<Poco::JSON::Array::Ptr>();
            const auto parsed = parseMessage(message.raw);
            INFO(name);
            REQUIRE(parsed.attachments.size() == expected->size());
            for (std::size_t i = 0; i < expected->size(); ++i) {
                const auto item = expected->getObject(static_cast<unsigned>(i));
                CHECK(parsed.attachments[i].fileName == item->getValue<std::string>("source"));
                CHECK(parsed.attachments[i].sha256 == item->getValue<std::string>("sha256"));
                CHECK(parsed.sentDate == item->getObject("submitted")->getValue<std::string>("date"));
                CHECK(parsed.messageId == item->getObject("submitted")->getValue<std::string>("message_id"));
            }
        }
    }
}
