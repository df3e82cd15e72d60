// Store::registerSubmission: the original's bytes, the case sign and the job.
#include <stdexcept>

#include "database.hpp"
#include "formproc/storage/store.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

using detail::Connection;
using detail::Dialect;

namespace {

void validate(const NewSubmission& s) {
    if (s.campaign.empty()) throw std::invalid_argument("registerSubmission: empty campaign");
    if (s.casePattern.empty()) throw std::invalid_argument("registerSubmission: empty case pattern");
    if (!isValidDate(s.dateCounted)) throw std::invalid_argument("registerSubmission: dateCounted is no YYYY-MM-DD");
    if (!s.receivedAt.empty() && !isValidTimestamp(s.receivedAt)) {
        throw std::invalid_argument("registerSubmission: receivedAt is no UTC timestamp");
    }
    if (s.sentAt && !isValidTimestamp(*s.sentAt)) {
        throw std::invalid_argument("registerSubmission: sentAt is no UTC timestamp");
    }
    if (s.postmarkDate && !isValidDate(*s.postmarkDate)) {
        throw std::invalid_argument("registerSubmission: postmarkDate is no YYYY-MM-DD");
    }
}

// The next number of the campaign's counter for `year` (1 for a new one).
// The statement locks the counter row until the transaction ends, so
// registrations of one campaign and year take turns from here to COMMIT.
std::int64_t nextNumber(Connection& c, const std::string& campaign, int year) {
    const auto row = c.queryOne(
        "INSERT INTO case_counters (campaign, year, last_number) VALUES (?, ?, 1) ON CONFLICT (campaign, year)"
        " DO UPDATE SET last_number = case_counters.last_number + 1 RETURNING last_number",
        1, {campaign, year});
    if (!row) throw StoreError("storage: the case counter returned no number");
    return row->integer(0);
}

std::int64_t insertSubmission(Connection& c, const NewSubmission& s, const std::string& receivedAt,
                              const BlobStore::Stored& blob, const std::string& caseSign,
                              std::optional<std::int64_t> duplicateOf, const std::string& now) {
    const auto row = c.queryOne(
        "INSERT INTO submissions (campaign, channel, date_counted, received_at, sent_at, postmark_date, sha256,"
        " file_name, media_type, size, case_sign, duplicate_of, status, message_id, sender, subject, source_key,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        1,
        {s.campaign, toString(s.channel), s.dateCounted, receivedAt, s.sentAt, s.postmarkDate, blob.sha256, s.fileName,
         s.mediaType, blob.size, caseSign, duplicateOf, s.messageId, s.sender, s.subject, s.sourceKey, now, now});
    if (!row) throw std::runtime_error("storage: INSERT returned no id");
    return row->integer(0);
}

}  // namespace

Registration Store::registerSubmission(const NewSubmission& submission, std::string_view bytes) {
    validate(submission);
    const std::string receivedAt = submission.receivedAt.empty() ? nowTimestamp() : submission.receivedAt;
    const int year = std::stoi(receivedAt.substr(0, 4));
    const int month = std::stoi(receivedAt.substr(5, 2));
    // The bytes first, durably: a row never points at a blob that is not on disk.
    const BlobStore::Stored blob = _blobs.put(bytes);
    Registration result;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        result = Registration{};
        const std::string now = nowTimestamp();
        if (submission.sourceKey) {
            const auto row = c.queryOne("SELECT id FROM submissions WHERE source_key = ?", 1, {submission.sourceKey});
            if (row) {
                result.submission = *detail::loadSubmission(c, row->integer(0));
                result.existing = true;
                result.duplicate = result.submission.duplicateOf.has_value();
                return;
            }
        }
        // An original committed before is seen here. One committed while
        // this transaction runs makes the INSERT below fail on the unique
        // index submissions_original; transact() then runs this again
        // (counter increment rolled back), and it is seen.
        const auto original = c.queryOne(
            "SELECT id, case_sign FROM submissions WHERE campaign = ? AND sha256 = ? AND duplicate_of IS NULL", 2,
            {submission.campaign, blob.sha256});
        std::int64_t id = 0;
        if (original) {
            const std::int64_t originalId = original->integer(0);
            id = insertSubmission(c, submission, receivedAt, blob, original->text(1), originalId, now);
            detail::propagateToDuplicates(c, originalId, now);
            result.duplicate = true;
        } else {
            const std::int64_t number = nextNumber(c, submission.campaign, year);
            const std::string sign = formatCaseSign(submission.casePattern, number, year, month);
            id = insertSubmission(c, submission, receivedAt, blob, sign, std::nullopt, now);
            c.execute(
                "INSERT INTO jobs (submission_id, kind, state, attempts, available_at, created_at, updated_at)"
                " VALUES (?, 'process', 'queued', 0, ?, ?, ?)",
                {id, detail::nowMillis(), now, now});
        }
        result.submission = *detail::loadSubmission(c, id);
    });
    return result;
}

}  // namespace formproc::storage
