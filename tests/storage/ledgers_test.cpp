// The e-mail intake's ledger and the replies ledger, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <thread>

#include "storage/backends.hpp"

using namespace formproc;
using namespace formproc::storage;
using test::PostgresBackend;
using test::SqliteBackend;

TEST_CASE("mail ledger: keys are spelled one way per source", "[storage]") {
    CHECK(MailKey::imap("imaps://k@h/INBOX", 1700000000u, 42u).key == "imap:1700000000:42");
    CHECK(MailKey::pop3("pop3://k@h", "UID42-abc").key == "pop3:UID42-abc");
    CHECK(MailKey::file("mbox:/var/mail/k", "k", 123456).key == "file:k:123456");
    CHECK(MailKey::file("maildir:/m", "1700000000.M1P2.host:2,S").key == "file:1700000000.M1P2.host:2,S:0");
}

TEMPLATE_TEST_CASE("mail ledger: a message is taken once, stored, then finished on the server", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const MailKey key = MailKey::imap("imaps://kancelaria@poczta/INBOX", 7, 1001);
    const auto first = store->takeMail(key, std::string("<m1@example.org>"), "inst-a", std::chrono::minutes(5));
    CHECK(first.taken);
    CHECK(first.record.state == MailState::Taken);
    CHECK(first.record.takenBy == "inst-a");
    CHECK_FALSE(store->takeMail(key, std::string("<m1@example.org>"), "inst-b", std::chrono::seconds(60)).taken);
    // inst-c took a message with a lease that ran out (it died before
    // storing it): another instance takes it over.
    const MailKey lost = MailKey::imap("imaps://kancelaria@poczta/INBOX", 7, 1002);
    CHECK(store->takeMail(lost, std::nullopt, "inst-c", std::chrono::milliseconds(0)).taken);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto retaken = store->takeMail(lost, std::nullopt, "inst-b", std::chrono::seconds(60));
    CHECK(retaken.taken);
    CHECK(retaken.record.takenBy == "inst-b");
    CHECK(store->takeMail(key, std::nullopt, "inst-b", std::chrono::seconds(60)).record.takenBy == "inst-a");

    const auto card = store->registerSubmission(test::newSubmission(), "attachment").submission;
    CHECK(store->recordMailAttachment(key, card.sha256, card.id));
    CHECK(store->recordMailAttachment(key, sha256Hex("cover letter"), std::nullopt));
    CHECK_FALSE(store->recordMailAttachment(MailKey::imap("other", 1, 1), card.sha256, card.id));
    CHECK(store->markMailStored(key));
    CHECK_FALSE(store->markMailStored(key));
    // Stored: nobody takes it again, whatever the lease.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK_FALSE(store->takeMail(key, std::nullopt, "inst-c", std::chrono::milliseconds(1)).taken);
    const auto awaiting = store->mailAwaitingServerAction("imaps://kancelaria@poczta/INBOX");
    REQUIRE(awaiting.size() == 1);
    CHECK(awaiting[0].key.key == "imap:7:1001");
    CHECK(store->markMailServerActionDone(key));
    CHECK(store->mailAwaitingServerAction("imaps://kancelaria@poczta/INBOX").empty());

    const auto record = store->mail(key);
    REQUIRE(record);
    CHECK(record->state == MailState::ServerActionDone);
    CHECK(record->messageId == "<m1@example.org>");
    REQUIRE(record->attachments.size() == 2);
    int registered = 0;
    for (const auto& a : record->attachments) {
        if (a.submissionId) {
            CHECK(*a.submissionId == card.id);
            CHECK(a.sha256 == card.sha256);
            ++registered;
        }
    }
    CHECK(registered == 1);
    CHECK_FALSE(store->mail(MailKey::pop3("pop3://k@h", "nope")));

    // The same Message-ID from another mailbox (forwarded copy).
    const MailKey copy = MailKey::file("maildir:/srv/mail", "1700000000.M1.host:2,S");
    CHECK(store->takeMail(copy, std::string("<m1@example.org>"), "inst-a", std::chrono::seconds(60)).taken);
    const auto same = store->mailByMessageId("<m1@example.org>");
    REQUIRE(same.size() == 2);
    CHECK(same[0].key.key == key.key);
    CHECK(same[1].key.mailbox == "maildir:/srv/mail");
}

TEMPLATE_TEST_CASE("replies ledger: each reply of a submission is claimed once", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto id = store->registerSubmission(test::newSubmission(), "card").submission.id;
    CHECK_FALSE(store->reply(id, ReplyKind::ReceiptConfirmation));
    CHECK(store->claimReply(id, ReplyKind::ReceiptConfirmation, "inst-a"));
    CHECK_FALSE(store->claimReply(id, ReplyKind::ReceiptConfirmation, "inst-b"));
    CHECK(store->claimReply(id, ReplyKind::DecisionLetter, "inst-a"));
    CHECK(store->markReplySent(id, ReplyKind::ReceiptConfirmation, "<reply-1@rops>"));
    CHECK_FALSE(store->markReplySent(id, ReplyKind::ReceiptConfirmation, "<reply-2@rops>"));
    CHECK_FALSE(store->releaseReply(id, ReplyKind::ReceiptConfirmation));  // sent: stays
    const auto sent = store->reply(id, ReplyKind::ReceiptConfirmation);
    REQUIRE(sent);
    CHECK(sent->sent);
    CHECK(sent->detail == "<reply-1@rops>");
    CHECK(sent->claimedBy == "inst-a");
    CHECK(sent->sentAt);
    // The SMTP server refused the decision letter: released, claimed again.
    CHECK(store->releaseReply(id, ReplyKind::DecisionLetter));
    CHECK(store->claimReply(id, ReplyKind::DecisionLetter, "inst-b"));
    CHECK_FALSE(store->reply(id, ReplyKind::DecisionLetter)->sent);
    CHECK_THROWS_AS(store->claimReply(id + 50, ReplyKind::DecisionLetter, "x"), std::invalid_argument);
}
