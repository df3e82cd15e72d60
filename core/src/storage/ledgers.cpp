// The e-mail intake's ledger and the replies ledger.
#include <stdexcept>

#include "database.hpp"
#include "formproc/storage/store.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

using detail::Connection;

MailKey MailKey::imap(std::string mailbox, std::uint32_t uidValidity, std::uint32_t uid) {
    return {std::move(mailbox), "imap:" + std::to_string(uidValidity) + ":" + std::to_string(uid)};
}

MailKey MailKey::pop3(std::string mailbox, std::string_view uidl) {
    return {std::move(mailbox), "pop3:" + std::string(uidl)};
}

MailKey MailKey::file(std::string mailbox, std::string_view name, std::uint64_t offset) {
    return {std::move(mailbox), "file:" + std::string(name) + ":" + std::to_string(offset)};
}

const char* toString(MailState state) {
    switch (state) {
        case MailState::Taken: return "taken";
        case MailState::Stored: return "stored";
        case MailState::ServerActionDone: return "server-action-done";
    }
    return "";
}

const char* toString(ReplyKind kind) { return kind == ReplyKind::ReceiptConfirmation ? "receipt" : "decision"; }

namespace {

MailState parseMailState(const std::string& text) {
    if (text == "stored") return MailState::Stored;
    if (text == "server-action-done") return MailState::ServerActionDone;
    return MailState::Taken;
}

constexpr const char* kMailColumns = "id, mailbox, source_key, message_id, state, taken_by, created_at, updated_at";

std::vector<MailRecord> loadMail(Connection& c, const std::string& where, const detail::Params& params) {
    const auto rows = c.query(
        std::string("SELECT ") + kMailColumns + " FROM mail_messages WHERE " + where + " ORDER BY id", 8, params);
    std::vector<MailRecord> out;
    for (const auto& row : rows) {
        MailRecord record;
        record.key = {row.text(1), row.text(2)};
        record.messageId = row.opt(3);
        record.state = parseMailState(row.text(4));
        record.takenBy = row.text(5);
        record.createdAt = row.text(6);
        record.updatedAt = row.text(7);
        for (const auto& a : c.query("SELECT sha256, submission_id FROM mail_attachments WHERE mail_id = ?"
                                     " ORDER BY sha256",
                                     2, {row.integer(0)})) {
            record.attachments.push_back({a.text(0), a.optInteger(1)});
        }
        out.push_back(std::move(record));
    }
    return out;
}

std::optional<MailRecord> loadOneMail(Connection& c, const MailKey& key) {
    auto found = loadMail(c, "mailbox = ? AND source_key = ?", {key.mailbox, key.key});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

}  // namespace

TakeResult Store::takeMail(const MailKey& key, const std::optional<std::string>& messageId, const std::string& owner,
                           std::chrono::milliseconds lease) {
    TakeResult result;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        const std::string now = nowTimestamp();
        const std::int64_t nowMs = detail::nowMillis();
        result.taken = !c.query(
                             "INSERT INTO mail_messages (mailbox, source_key, message_id, state, taken_by,"
                             " taken_until, created_at, updated_at) VALUES (?, ?, ?, 'taken', ?, ?, ?, ?)"
                             " ON CONFLICT DO NOTHING RETURNING id",
                             1, {key.mailbox, key.key, messageId, owner, nowMs + lease.count(), now, now})
                            .empty();
        if (!result.taken) {
            result.taken = !c.query(
                                 "UPDATE mail_messages SET taken_by = ?, taken_until = ?, updated_at = ?"
                                 " WHERE mailbox = ? AND source_key = ? AND state = 'taken' AND taken_until < ?"
                                 " RETURNING id",
                                 1, {owner, nowMs + lease.count(), now, key.mailbox, key.key, nowMs})
                                .empty();
        }
        result.record = *loadOneMail(c, key);
    });
    return result;
}

bool Store::recordMailAttachment(const MailKey& key, const std::string& sha256,
                                 std::optional<std::int64_t> submissionId) {
    bool recorded = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        const auto mail =
            c.queryOne("SELECT id FROM mail_messages WHERE mailbox = ? AND source_key = ?", 1, {key.mailbox, key.key});
        recorded = mail.has_value();
        if (!recorded) return;
        c.execute(
            "INSERT INTO mail_attachments (mail_id, sha256, submission_id) VALUES (?, ?, ?)"
            " ON CONFLICT (mail_id, sha256) DO UPDATE SET submission_id = excluded.submission_id",
            {mail->integer(0), sha256, submissionId});
        c.execute("UPDATE mail_messages SET updated_at = ? WHERE id = ?", {nowTimestamp(), mail->integer(0)});
    });
    return recorded;
}

namespace {

bool advanceMail(detail::ConnectionPool& pool, std::mutex* writeMutex, const MailKey& key, const char* from,
                 const char* to) {
    bool changed = false;
    detail::transact(pool, true, writeMutex, [&](Connection& c) {
        changed = !c.query(
                        "UPDATE mail_messages SET state = ?, updated_at = ? WHERE mailbox = ? AND source_key = ?"
                        " AND state = ? RETURNING id",
                        1, {to, nowTimestamp(), key.mailbox, key.key, from})
                       .empty();
    });
    return changed;
}

}  // namespace

bool Store::markMailStored(const MailKey& key) {
    return advanceMail(*_pool, _writeMutex.get(), key, "taken", "stored");
}

bool Store::markMailServerActionDone(const MailKey& key) {
    return advanceMail(*_pool, _writeMutex.get(), key, "stored", "server-action-done");
}

std::optional<MailRecord> Store::mail(const MailKey& key) const {
    auto c = _pool->acquire();
    return loadOneMail(*c, key);
}

std::vector<MailRecord> Store::mailByMessageId(const std::string& messageId) const {
    auto c = _pool->acquire();
    return loadMail(*c, "message_id = ?", {messageId});
}

std::vector<MailRecord> Store::mailAwaitingServerAction(const std::string& mailbox) const {
    auto c = _pool->acquire();
    return loadMail(*c, "mailbox = ? AND state = 'stored'", {mailbox});
}

bool Store::claimReply(std::int64_t submissionId, ReplyKind kind, const std::string& by) {
    bool claimed = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        if (!c.queryOne("SELECT id FROM submissions WHERE id = ?", 1, {submissionId})) {
            throw std::invalid_argument("claimReply: no submission " + std::to_string(submissionId));
        }
        claimed = !c.query(
                        "INSERT INTO replies (submission_id, kind, state, claimed_by, claimed_at, detail)"
                        " VALUES (?, ?, 'claimed', ?, ?, '') ON CONFLICT DO NOTHING RETURNING submission_id",
                        1, {submissionId, toString(kind), by, nowTimestamp()})
                       .empty();
    });
    return claimed;
}

bool Store::markReplySent(std::int64_t submissionId, ReplyKind kind, const std::string& detail) {
    bool marked = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        marked = !c.query(
                       "UPDATE replies SET state = 'sent', sent_at = ?, detail = ? WHERE submission_id = ?"
                       " AND kind = ? AND state = 'claimed' RETURNING submission_id",
                       1, {nowTimestamp(), detail, submissionId, toString(kind)})
                      .empty();
    });
    return marked;
}

bool Store::releaseReply(std::int64_t submissionId, ReplyKind kind) {
    bool released = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        released = !c.query(
                         "DELETE FROM replies WHERE submission_id = ? AND kind = ? AND state = 'claimed'"
                         " RETURNING submission_id",
                         1, {submissionId, toString(kind)})
                        .empty();
    });
    return released;
}

std::optional<ReplyRecord> Store::reply(std::int64_t submissionId, ReplyKind kind) const {
    auto c = _pool->acquire();
    const auto row = c->queryOne(
        "SELECT state, claimed_by, claimed_at, sent_at, detail FROM replies"
        " WHERE submission_id = ? AND kind = ?",
        5, {submissionId, toString(kind)});
    if (!row) return std::nullopt;
    return ReplyRecord{submissionId, kind,        row->text(0) == "sent", row->text(1), row->text(2),
                       row->opt(3),  row->text(4)};
}

}  // namespace formproc::storage
