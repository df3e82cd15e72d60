// The store of formproc's service: submissions, their processing jobs,
// outputs as versions, corrections, API tokens, the audit log and the e-mail
// intake's ledgers. One interface over two databases, chosen by a
// connection string:
//
//   Store::open(dataDir, "")                 SQLite file DATADIR/formproc.sqlite
//   Store::open(dataDir, "postgresql:host=db port=5432 dbname=formproc user=formproc")
//
// Both keep the same schema (versioned migrations, applied at open) and
// behave the same. Blobs (originals and outputs) are files under
// DATADIR/blobs (blob_store.hpp) in both cases: with PostgreSQL and several
// `formproc serve` instances, DATADIR must be storage they all share (NFS,
// a cluster file system, a volume mounted into every container): providing
// it is the deployer's job.
//
// Thread safety: a Store is safe to use from many threads at once (each call
// takes a pooled connection), and several processes may open the same
// database: every guarantee below holds across them.
//
// Errors: expected outcomes are values (std::optional, bool, the *Outcome
// enums). A database failure throws StoreError, a disk failure
// std::system_error; a call's changes are then not committed. Invalid
// arguments (a malformed date, an unknown id where one is required) throw
// std::invalid_argument: validate input from outside before calling.
//
// Personal data: the store never logs; file names, senders, subjects and
// results are personal data and are returned only to the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "formproc/storage/blob_store.hpp"
#include "formproc/storage/records.hpp"

namespace formproc::storage {

namespace detail {
class ConnectionPool;
}

// A database failure: unreachable server, lost connection, disk full, a
// constraint the store did not expect. what() says what failed (Poco's
// message, which may quote SQL but no row values from the store's callers
// beyond keys). A call that throws it committed nothing; a connection it
// broke is replaced on the next call.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct StoreOptions {
    // Connections in the pool (threads that can use the database at once).
    std::size_t poolSize = 4;
    // A job is claimed at most this many times; a job whose attempts ran out
    // (failJob, or its lease expired) ends Failed with its last reason.
    int maxAttempts = 3;
};

class Store {
public:
    // Opens the store, creating DATADIR (0700), DATADIR/blobs and, for
    // SQLite, the database file (0600) on first start, and applies pending
    // schema migrations in one transaction under a lock (SQLite: the write
    // lock; PostgreSQL: an advisory lock), so that processes starting
    // together migrate once. `connection` empty: SQLite; "postgresql:" plus
    // a libpq keyword=value connection string (spaces separate pairs; values
    // may not contain spaces; URIs are not accepted): PostgreSQL, whose
    // database must exist (the store creates its tables in it). Throws
    // std::invalid_argument for an unknown connection string, StoreError or
    // std::system_error when the database or folder cannot be opened,
    // StoreError when the database's schema is newer than this build.
    static std::unique_ptr<Store> open(const std::string& dataDir, const std::string& connection,
                                       const StoreOptions& options = {});
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // "sqlite" or "postgresql".
    std::string backend() const;
    // The schema version now in the database.
    int schemaVersion() const;
    const BlobStore& blobs() const { return _blobs; }

    // ---- submissions -------------------------------------------------------

    // Registers a submission: stores `bytes` as a blob (durable on return),
    // then in ONE transaction records the submission and, for an original,
    // its "process" job. The case sign is given here, once: the campaign's
    // counter for the year of receivedAt (UTC) goes up by one, atomically
    // (also across processes and PostgreSQL instances), and casePattern is
    // filled in (formatCaseSign). The same bytes (sha256) again in the same
    // campaign are recorded as a duplicate: duplicateOf = the first
    // submission, ITS case sign, no new number and no job; a duplicate
    // mirrors its original's status, decision, form, office and result (now
    // and whenever they change). With a sourceKey registered before,
    // returns that registration (existing = true) and records nothing.
    // Once this returns, the submission is durable: only then may an HTTP
    // layer answer 201. Throws std::invalid_argument for a malformed field
    // (empty campaign or pattern, bad date or timestamp).
    Registration registerSubmission(const NewSubmission& submission, std::string_view bytes);

    // One submission with its result, or nullopt.
    std::optional<Submission> get(std::int64_t id) const;

    // Submissions matching `filter`, newest (largest id) first, without
    // resultJson. See ListFilter for paging.
    Page list(const ListFilter& filter) const;
    // How many submissions match `filter` (paging fields ignored).
    std::int64_t count(const ListFilter& filter) const;

    // The original bytes of a submission, or nullopt when the blob is gone.
    std::optional<std::string> readOriginal(const Submission& submission) const;

    // ---- jobs -----------------------------------------------------------------

    // Claims the oldest queued job that is due: marks it running, held by
    // `workerId` until now + lease, counts an attempt, and sets its
    // submission to Processing. SQLite: under BEGIN IMMEDIATE; PostgreSQL:
    // SELECT … FOR UPDATE SKIP LOCKED, so that instances never claim the same
    // job. nullopt when nothing is due. Worker ids: "<instance id>/<n>" so
    // that requeueHeldBy(instance id) finds them. Leases are measured on
    // this machine's clock: instances sharing a PostgreSQL need synchronised
    // clocks (NTP), and leases much longer than their skew.
    std::optional<JobClaim> claimJob(const std::string& workerId, std::chrono::milliseconds lease);

    // Claims the queued job of one submission (e.g. `formproc process`,
    // which registers a file and processes it at once), as claimJob does;
    // nullopt when that submission has no queued job that is due.
    std::optional<JobClaim> claimJobOf(std::int64_t submissionId, const std::string& workerId,
                                       std::chrono::milliseconds lease);

    // Extends a claim's lease to now + lease. False when the claim is no
    // longer held (it expired and was requeued or claimed by another).
    bool renewLease(const JobClaim& claim, std::chrono::milliseconds lease);

    // Finishes a claimed job: stores the outputs (blobs first, then one new
    // output version), the result, decision, form and office, sets the
    // submission (and its duplicates) Done. In one transaction that first
    // checks that this claim still holds the job (same worker, same
    // attempt, still running): otherwise nothing is recorded and the outcome
    // is LeaseLost. So a job is completed at most once, whoever else ran it.
    CompleteOutcome completeJob(const JobClaim& claim, const Completion& completion);

    // A claimed job failed with `reason` (no personal data: it is shown to
    // staff and in metrics). While attempts remain, the job is queued again,
    // due after `retryDelay` (Requeued); else it ends failed and so does its
    // submission, with the reason (Failed). LeaseLost as in completeJob.
    FailOutcome failJob(const JobClaim& claim, const std::string& reason,
                        std::chrono::milliseconds retryDelay = std::chrono::milliseconds(0));

    // Gives a claimed job back without counting the attempt (e.g. SIGTERM
    // during processing). False when the claim no longer holds.
    bool releaseJob(const JobClaim& claim);

    // Requeues running jobs whose lease ran out (their instance crashed or
    // hangs); a job whose attempts ran out ends failed ("lease expired").
    // Returns how many jobs it changed. Call it every few seconds from any
    // instance.
    std::size_t requeueExpired();

    // Requeues the running jobs of a restarted instance: worker id equal to
    // `instanceId` or starting with "<instanceId>/". The interrupted attempt
    // counts (a card that crashes the instance ends failed). Returns the
    // number of jobs requeued or failed.
    std::size_t requeueHeldBy(const std::string& instanceId);

    // Queues another job for a submission (e.g. "reprocess" after a reader
    // update). nullopt when the submission has a queued or running job
    // already, or is a duplicate, or does not exist.
    std::optional<std::int64_t> enqueueJob(std::int64_t submissionId, const std::string& kind);

    // ---- outputs and corrections ------------------------------------------

    // The outputs of one version (default: the latest), in kind order.
    // Empty when there is none.
    std::vector<OutputRecord> outputs(std::int64_t submissionId, std::optional<int> version = std::nullopt) const;
    // Every version's outputs, oldest version first.
    std::vector<OutputRecord> outputHistory(std::int64_t submissionId) const;
    // The bytes of one output (latest version by default), or nullopt.
    std::optional<std::string> readOutput(std::int64_t submissionId, OutputKind kind,
                                          std::optional<int> version = std::nullopt) const;

    // A reviewer's corrections: records each change (who, when, from, to),
    // stores `recomputed` (result, decision, form, office and outputs as a
    // new version) and updates the submission and its duplicates, in one
    // transaction. Returns the new output version, or nullopt when there is
    // no such submission or it is a duplicate (correct its original).
    std::optional<int> applyCorrection(std::int64_t submissionId, const std::vector<FieldCorrection>& changes,
                                       const Completion& recomputed, const std::string& who);
    std::vector<CorrectionRecord> corrections(std::int64_t submissionId) const;

    // ---- API tokens and access ---------------------------------------------

    // Creates a token and returns it in plain text, the only time it exists
    // as such: the store keeps its SHA-256 only. Role::Office needs `office`
    // (a TERYT code of 4 or 7 digits); other roles take none (else
    // std::invalid_argument). Token format: "fp_<id>_<43 base64url chars>"
    // (32 random bytes from the kernel).
    NewToken createToken(Role role, const std::optional<std::string>& office, const std::string& label);

    // The principal of a presented token, or nullopt when it is unknown,
    // malformed or revoked. The secret's hash is compared in constant time.
    std::optional<Principal> authenticate(std::string_view token) const;

    // Revokes a token; false when there is no such token or it was revoked.
    bool revokeToken(std::int64_t tokenId);
    std::vector<TokenInfo> listTokens() const;

    // True when `principal` may see `submission`: admin and reviewer see
    // everything; an office only submissions whose office starts with its
    // own TERYT code (see ListFilter::officePrefix).
    static bool mayAccess(const Principal& principal, const Submission& submission);
    // `filter` narrowed to what `principal` may see (for list/count).
    static ListFilter scopedTo(const Principal& principal, ListFilter filter);

    // ---- audit ---------------------------------------------------------------

    // Appends an audit row. `principal` nullptr: the service itself.
    // `detail` must hold no personal data (ids, field names, counts).
    void audit(const Principal* principal, const std::string& action, std::optional<std::int64_t> submissionId,
               const std::string& detail);
    // The audit rows of a submission, oldest first.
    std::vector<AuditRecord> auditFor(std::int64_t submissionId) const;

    // ---- e-mail intake ledger (issue 13) ------------------------------------

    // Takes a message for processing. taken = true when this caller took it
    // now: it was not in the ledger, or it was Taken by someone whose lease
    // (`lease` from their take) ran out before it was Stored. taken = false
    // when another caller holds it or it was Stored already: skip it.
    TakeResult takeMail(const MailKey& key, const std::optional<std::string>& messageId, const std::string& owner,
                        std::chrono::milliseconds lease);
    // Records an attachment of a taken message and the submission it
    // produced (nullopt: not registered). The same sha256 again updates the
    // submission id. False when the message is not in the ledger.
    bool recordMailAttachment(const MailKey& key, const std::string& sha256, std::optional<std::int64_t> submissionId);
    // Taken → Stored, and Stored → ServerActionDone. False when the message
    // is not in the ledger (or already past that state).
    bool markMailStored(const MailKey& key);
    bool markMailServerActionDone(const MailKey& key);
    // The ledger row of a message ("already taken?"), or nullopt.
    std::optional<MailRecord> mail(const MailKey& key) const;
    // Every ledger row with this Message-ID (any mailbox), oldest first:
    // the "same Message-ID seen again" check.
    std::vector<MailRecord> mailByMessageId(const std::string& messageId) const;
    // Messages Stored but whose server action is not done (to finish after
    // a restart).
    std::vector<MailRecord> mailAwaitingServerAction(const std::string& mailbox) const;

    // ---- replies ledger ------------------------------------------------------

    // Claims the right to send a reply of `kind` for a submission: true
    // exactly once per (submission, kind), ever (across processes); false
    // when it was claimed before. Send only after true. A sender that knows
    // the reply did NOT go out calls releaseReply; one that crashed leaves
    // the claim (never sent twice: at most once, visible in reply()).
    bool claimReply(std::int64_t submissionId, ReplyKind kind, const std::string& by);
    // Records that the claimed reply went out. False without a claim.
    bool markReplySent(std::int64_t submissionId, ReplyKind kind, const std::string& detail);
    // Drops a claim that was not sent, so it can be claimed again. False
    // when there is none or it was sent.
    bool releaseReply(std::int64_t submissionId, ReplyKind kind);
    std::optional<ReplyRecord> reply(std::int64_t submissionId, ReplyKind kind) const;

    // ---- metrics ------------------------------------------------------------

    // Every count of Metrics (a few GROUP BY queries).
    Metrics metrics() const;
    // Jobs waiting to be claimed (one indexed count: cheap enough for every
    // upload's "queue full?" check).
    std::int64_t queueDepth() const;

    // Use open(); the key keeps the constructor for it.
    class Key {
        friend class Store;
        Key() = default;
    };
    Store(Key, std::string dataDir, std::unique_ptr<detail::ConnectionPool> pool, StoreOptions options);

private:
    std::string _dataDir;
    BlobStore _blobs;
    std::unique_ptr<detail::ConnectionPool> _pool;
    StoreOptions _options;
    // SQLite: one writing transaction per process at a time (threads queue
    // here rather than in SQLite's busy sleeps); nullptr for PostgreSQL.
    std::unique_ptr<std::mutex> _writeMutex;
};

// ---- helpers ----------------------------------------------------------------

// The date that counts for the deadline (MODEL.md, "what dates a
// submission"): e-mail: the sending date; post: the postmark date (the date
// of receipt when staff entered none); upload and ePUAP: the date of
// receipt. Dates YYYY-MM-DD, in the office's time zone (the caller converts).
std::string pickDateCounted(Channel channel, const std::string& receivedDate,
                            const std::optional<std::string>& sentDate, const std::optional<std::string>& postmarkDate);

// Fills a case-sign pattern: {nr} the number, {rok} the year, {miesiac} the
// month (two digits). Other text, and unknown {…}, are kept.
std::string formatCaseSign(std::string_view pattern, std::int64_t number, int year, int month);

// Now as a store timestamp (UTC, milliseconds).
std::string nowTimestamp();

// True for YYYY-MM-DD with a real calendar date.
bool isValidDate(std::string_view text) noexcept;
// True for a UTC timestamp "YYYY-MM-DDTHH:MM:SS[.fff…]Z".
bool isValidTimestamp(std::string_view text) noexcept;

}  // namespace formproc::storage
