// Intake from a real Dovecot (IMAP and POP3) and replies to a real SMTP
// conversation (a sink in the test).
#include <catch2/catch.hpp>

#include <curl/curl.h>

#include <set>

#include "formproc/intake/mail_source.hpp"
#include "formproc/intake/reply_sender.hpp"
#include "intake/intake_support.hpp"
#include "support/dovecot.hpp"
#include "support/smtp_sink.hpp"

using namespace formproc;
using namespace formproc::intake;

namespace {

std::vector<FetchedMessage> drain(MailSource& source) {
    std::vector<FetchedMessage> out;
    while (auto message = source.next()) out.push_back(std::move(*message));
    INFO(source.error());
    CHECK(source.error().empty());
    return out;
}

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

std::size_t appendResponse(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// One IMAP command through curl, as a mail client would see the folder (a
// check independent of the source under test).
std::string imapCommand(int port, const std::string& wireFolder, const std::string& command) {
    CURL* curl = curl_easy_init();
    std::string out;
    const std::string url = "imap://127.0.0.1:" + std::to_string(port) + "/" + wireFolder;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, test::DovecotServer::user().c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, test::DovecotServer::password().c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, command.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendResponse);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return out;
}

std::size_t filesIn(const std::filesystem::path& folder) {
    std::size_t count = 0;
    for (const char* sub : {"cur", "new"}) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(folder / sub, ec), end; !ec && it != end; it.increment(ec)) ++count;
    }
    return count;
}

SourceOptions quick(ImapAction action) {
    SourceOptions options;
    options.imapAction = action;
    options.timeout = std::chrono::seconds{10};
    return options;
}

}  // namespace

TEST_CASE("intake: IMAP and POP3 from a real Dovecot give what the mbox gives; actions touch only what was told",
          "[intake][dovecot][imap][pop3]") {
    std::string why;
    if (!test::DovecotServer::available(why)) {
        WARN("skipped: " << why);
        SUCCEED();  // a test case without assertions fails (ctest runs with -w NoAssertions)
        return;
    }
    auto server = test::DovecotServer::start(why);
    INFO(why);
    REQUIRE(server);
    std::vector<std::string> raws;
    for (const auto& sample : test::sampleMessages()) {
        raws.push_back(sample.raw);
        server->deliver("", sample.raw);
    }
    for (std::size_t i = 0; i < 3; ++i) server->deliver("Zg&AUI-oszenia", raws[i]);  // „Zgłoszenia”
    const Credentials login{test::DovecotServer::user(), test::DovecotServer::password()};
    const std::string host = "127.0.0.1:";
    test::TempDir dir;
    auto mbox = openSource("mbox:" + dir.file("in.mbox", test::toMboxrd(raws)), {}).source;
    const auto reference = fingerprints(drain(*mbox));
    REQUIRE(reference.size() == 17);

    // Reading changes nothing on the server with ImapAction::None.
    auto imap =
        openSource("imap://" + host + std::to_string(server->imapPort()) + "/INBOX", login, quick(ImapAction::None));
    REQUIRE(imap.source);
    const auto overImap = drain(*imap.source);
    CHECK(fingerprints(overImap) == reference);
    REQUIRE(overImap.size() == 17);
    CHECK(overImap[0].key.item.find("/uid=1") != std::string::npos);
    CHECK(overImap[0].key.messageId == "<20180606115941.3E7CC0@rops.lublin.example>");
    CHECK(overImap[0].receivedAt.has_value());
    for (const auto& message : overImap) CHECK(imap.source->done(message.key, Outcome::Stored));

    // A folder with Polish letters, named in UTF-8 in the spec.
    auto polish = openSource("imap://" + host + std::to_string(server->imapPort()) + "/Zg%C5%82oszenia", login,
                             quick(ImapAction::Move));
    REQUIRE(polish.source);
    CHECK(polish.source->mailbox().find("/Zgłoszenia") != std::string::npos);
    const auto inFolder = drain(*polish.source);
    REQUIRE(inFolder.size() == 3);
    CHECK(fingerprints(inFolder) == std::vector<std::string>(reference.begin(), reference.begin() + 3));

    // Move: the stored one to „Przetworzone”, the rejected one to „Błędne”, the third stays.
    CHECK(polish.source->done(inFolder[0].key, Outcome::Stored));
    CHECK(polish.source->done(inFolder[1].key, Outcome::Rejected));
    CHECK(polish.source->done(inFolder[2].key, Outcome::Retry));
    CHECK(filesIn(server->folderPath("Przetworzone")) == 1);
    CHECK(filesIn(server->folderPath("B&AUIBGQ-dne")) == 1);
    const auto left = imapCommand(server->imapPort(), "Zg&AUI-oszenia", "UID FETCH 1:* (FLAGS)");
    CHECK(left.find("UID 3 ") != std::string::npos);
    CHECK(left.find("UID 1 ") == std::string::npos);
    CHECK(left.find("\\Seen") == std::string::npos);  // Retry took back the \Seen fetching set

    // Flag: processed and rejected get \Seen and their keyword, the rest is read again next time.
    auto flagging = openSource("imap://" + host + std::to_string(server->imapPort()), login, quick(ImapAction::Flag));
    std::vector<FetchedMessage> firstThree;
    for (int i = 0; i < 3; ++i) firstThree.push_back(*flagging.source->next());
    CHECK(flagging.source->done(firstThree[0].key, Outcome::Stored));
    CHECK(flagging.source->done(firstThree[1].key, Outcome::Rejected));
    CHECK(flagging.source->done(firstThree[2].key, Outcome::Retry));
    const auto flags = imapCommand(server->imapPort(), "INBOX", "UID FETCH 1:4 (FLAGS)");
    INFO(flags);
    CHECK(flags.find("UID 1 FLAGS (\\Seen FormprocStored)") != std::string::npos);
    CHECK(flags.find("UID 2 FLAGS (\\Seen FormprocRejected)") != std::string::npos);
    CHECK(flags.find("UID 3 FLAGS ()") != std::string::npos);
    CHECK(flags.find("UID 4 FLAGS ()") != std::string::npos);
    auto again = openSource("imap://" + host + std::to_string(server->imapPort()), login, quick(ImapAction::Flag));
    const auto remaining = drain(*again.source);
    CHECK(remaining.size() == 15);
    CHECK(remaining.front().key.str() == firstThree[2].key.str());  // the same key for the same message

    // POP3 (Dovecot marks what RETR fetched as \\Seen, as POP3 servers do).
    auto pop3 = openSource("pop3://" + host + std::to_string(server->pop3Port()), login, quick(ImapAction::None));
    REQUIRE(pop3.source);
    const auto overPop3 = drain(*pop3.source);
    CHECK(fingerprints(overPop3) == reference);
    CHECK(pop3.source->close());
    std::set<std::string> uidls;
    for (const auto& message : overPop3) uidls.insert(message.key.item);
    CHECK(uidls.size() == 17);

    // POP3 with deletion: only what was done() goes, at QUIT.
    SourceOptions deleting = quick(ImapAction::None);
    deleting.pop3Delete = true;
    auto pop3Delete = openSource("pop3://" + host + std::to_string(server->pop3Port()), login, deleting);
    const auto one = pop3Delete.source->next();
    REQUIRE(one);
    CHECK(pop3Delete.source->done(one->key, Outcome::Stored));
    CHECK(pop3Delete.source->close());
    auto pop3After = openSource("pop3://" + host + std::to_string(server->pop3Port()), login, quick(ImapAction::None));
    CHECK(drain(*pop3After.source).size() == 16);

    // Wrong password: a clear error without the password.
    auto wrong = openSource("imap://" + host + std::to_string(server->imapPort()), {login.user, "zle-haslo"},
                            quick(ImapAction::None));
    CHECK_FALSE(wrong.source->next());
    CHECK_FALSE(wrong.source->error().empty());
    CHECK(wrong.source->error().find("zle-haslo") == std::string::npos);
    server->stop();
}

TEST_CASE("intake: IMAPS and POP3S check the server's certificate", "[intake][dovecot][tls]") {
    std::string why;
    if (!test::DovecotServer::available(why)) {
        WARN("skipped: " << why);
        SUCCEED();  // a test case without assertions fails (ctest runs with -w NoAssertions)
        return;
    }
    auto server = test::DovecotServer::start(why, true);
    INFO(why);
    REQUIRE(server);
    const auto& samples = test::sampleMessages();
    server->deliver("", samples[1].raw);
    server->deliver("", samples[2].raw);
    const Credentials login{test::DovecotServer::user(), test::DovecotServer::password()};
    SourceOptions trusted = quick(ImapAction::None);
    trusted.caFile = server->caFile();
    const std::string imaps = "imaps://127.0.0.1:" + std::to_string(server->imapsPort()) + "/INBOX";
    const std::string pop3s = "pop3s://127.0.0.1:" + std::to_string(server->pop3sPort());
    for (const std::string& spec : {imaps, pop3s}) {
        INFO(spec);
        auto source = openSource(spec, login, trusted).source;
        const auto messages = drain(*source);
        REQUIRE(messages.size() == 2);
        CHECK(messages[0].key.messageId == samples[1].expected.at(0).messageId);
        source->close();
        // Without the test certificate among the trusted ones: refused.
        auto untrusted = openSource(spec, login, quick(ImapAction::None)).source;
        CHECK_FALSE(untrusted->next());
        CHECK_FALSE(untrusted->error().empty());
    }
    server->stop();
}

TEST_CASE("intake: a reply reaches an SMTP server with a Polish subject and the PDF", "[intake][smtp]") {
    test::SmtpSink sink;
    SmtpConfig config;
    config.host = "127.0.0.1";
    config.port = sink.port();
    config.timeout = std::chrono::seconds{10};
    Reply reply;
    reply.from = {"rops@rops.lublin.example", "Regionalny Ośrodek Polityki Społecznej w Lublinie"};
    reply.to = {"sekretariat@gmina.example", "Gmina Łęczna"};
    reply.subject = "Potwierdzenie wpływu zgłoszenia – „Liderzy kooperacji”";
    reply.text = "Szanowni Państwo,\n\npotwierdzamy wpływ karty zgłoszeniowej.\n\nZ poważaniem\n";
    reply.inReplyTo = "<20180606115941.3E7CC0@rops.lublin.example>";
    reply.files.push_back({"potwierdzenie-wpływu.pdf", "application/pdf", test::tinyPdf()});
    const SendResult sent = ReplySender(config).send(reply);
    INFO(sent.error);
    REQUIRE(sent.ok);
    const auto received = sink.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].from == "rops@rops.lublin.example");
    CHECK(received[0].to == std::vector<std::string>{"sekretariat@gmina.example"});
    const std::string& data = received[0].data;
    // The header is ASCII: the subject and names travel as RFC 2047 encoded words.
    const std::string header = data.substr(0, data.find("\r\n\r\n"));
    CHECK(std::all_of(header.begin(), header.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    std::string lowerHeader = header;
    for (char& c : lowerHeader) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(lowerHeader.find("=?utf-8?b?") != std::string::npos);
    const ParsedMessage parsed = parseMessage(data);
    REQUIRE(parsed.ok());
    CHECK(parsed.subject == reply.subject);
    CHECK(parsed.messageId == sent.messageId);
    CHECK(parsed.from.name == reply.from.name);
    REQUIRE(parsed.attachments.size() == 1);
    CHECK(parsed.attachments[0].fileName == "potwierdzenie-wpływu.pdf");
    CHECK(parsed.attachments[0].bytes == test::tinyPdf());
    CHECK(data.find("In-Reply-To: <20180606115941.3E7CC0@rops.lublin.example>") != std::string::npos);

    // Nothing listening: a failure as a value.
    config.port = 1;
    const SendResult failed = ReplySender(config).send(reply);
    CHECK_FALSE(failed.ok);
    CHECK_FALSE(failed.error.empty());
    CHECK(sink.received().size() == 1);
}
