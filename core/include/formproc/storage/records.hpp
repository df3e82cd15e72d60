// The records the store keeps (see store.hpp for the operations on them).
//
// Conventions: timestamps are UTC text "YYYY-MM-DDTHH:MM:SS.mmmZ" (they sort
// as text), dates "YYYY-MM-DD"; ids are positive 64-bit integers given by the
// database, growing with time (newest = largest); sha256 is 64 lower-case hex
// digits. Optional values are std::nullopt when the column is NULL.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::storage {

// How a submission reached the office.
enum class Channel { Upload, Email, Post, Epuap };
// "upload", "email", "post", "epuap".
const char* toString(Channel channel);
std::optional<Channel> parseChannel(std::string_view text);

// Where a submission is in processing. A duplicate mirrors its original.
enum class Status { Queued, Processing, Done, Failed };
// "queued", "processing", "done", "failed".
const char* toString(Status status);
std::optional<Status> parseStatus(std::string_view text);

// One generated document of a submission.
// ExtractionJson: the fields as read (extraction::extractedToJson), kept so
// that a reviewer's correction is decided again from what was read.
enum class OutputKind { ResultJson, LetterPdf, FilledPdf, EpuapXml, ExtractionJson };
// "result.json", "letter.pdf", "filled.pdf", "epuap.xml", "extraction.json" (the names of the
// HTTP API's paths and of `process --out`'s files).
const char* toString(OutputKind kind);
std::optional<OutputKind> parseOutputKind(std::string_view text);

// API token roles. Office: sees only the submissions of its own TERYT unit.
enum class Role { Admin, Reviewer, Office };
// "admin", "reviewer", "office".
const char* toString(Role role);
std::optional<Role> parseRole(std::string_view text);

// A submission to register (see Store::registerSubmission).
struct NewSubmission {
    std::string campaign;  // campaign id, non-empty (numbering and duplicates are per campaign)
    Channel channel = Channel::Upload;
    std::string dateCounted;                  // YYYY-MM-DD: the date that counts for the deadline (pickDateCounted)
    std::string receivedAt;                   // UTC timestamp; empty: now
    std::optional<std::string> sentAt;        // e-mail: the message's Date, as UTC timestamp
    std::optional<std::string> postmarkDate;  // post: YYYY-MM-DD, entered by staff
    std::string fileName;                     // as received (UTF-8), for display only, never a path
    std::string mediaType;                    // e.g. application/pdf
    std::string casePattern;                  // e.g. "LK.8520.2.{nr}.{rok}" (formatCaseSign)
    std::optional<std::string> messageId;     // e-mail Message-ID
    std::optional<std::string> sender;        // e-mail From (personal data: shown only with access)
    std::optional<std::string> subject;       // e-mail Subject
    // An idempotency key (e.g. "mail:<mailbox>:<uid>:<attachment index>" or
    // an HTTP Idempotency-Key): registering the same key again returns the
    // first registration instead of recording anything new.
    std::optional<std::string> sourceKey;
};

// A registered submission.
struct Submission {
    std::int64_t id = 0;
    std::string campaign;
    Channel channel = Channel::Upload;
    std::string dateCounted;
    std::string receivedAt;
    std::optional<std::string> sentAt;
    std::optional<std::string> postmarkDate;
    std::string sha256;  // of the original bytes (Store::readOriginal)
    std::string fileName;
    std::string mediaType;
    std::int64_t size = 0;
    std::string caseSign;                     // given once; a duplicate carries its original's
    std::optional<std::int64_t> duplicateOf;  // the original's id
    Status status = Status::Queued;
    std::optional<std::string> decision;       // MODEL.md's decision, after processing
    std::optional<std::string> form;           // form id, after processing
    std::optional<std::string> office;         // TERYT code of the powiat/gmina the card is about
    std::optional<std::string> resultJson;     // OUTPUT.md's JSON (Store::list leaves it out)
    std::optional<std::string> failureReason;  // when status is Failed
    std::optional<std::string> messageId;
    std::optional<std::string> sender;
    std::optional<std::string> subject;
    std::optional<std::string> sourceKey;
    std::string createdAt;
    std::string updatedAt;
};

// What registerSubmission did.
struct Registration {
    Submission submission;
    bool duplicate = false;  // same bytes already registered in the campaign: submission.duplicateOf is set
    bool existing = false;   // the sourceKey was registered before: nothing new was recorded
};

// A claimed job: hand it back to completeJob / failJob / releaseJob.
struct JobClaim {
    std::int64_t jobId = 0;
    std::int64_t submissionId = 0;
    std::string kind;      // "process" (registration) or what enqueueJob was given
    int attempt = 0;       // 1 for the first claim; also the fencing token of this claim
    std::string workerId;  // as passed to claimJob
};

// One generated document to store with a completion or correction.
struct OutputFile {
    OutputKind kind = OutputKind::ResultJson;
    std::string bytes;
};

// The outcome of processing (a job) or of recomputing after a correction.
struct Completion {
    std::string resultJson;               // OUTPUT.md's JSON for the submission
    std::optional<std::string> decision;  // nullopt: none (e.g. a processing failure that still has a result)
    std::optional<std::string> form;
    std::optional<std::string> office;  // TERYT code (for office-scoped access)
    std::vector<OutputFile> outputs;    // stored as one new output version
    std::string createdBy;              // who made the outputs: "worker:<id>", "reviewer:<token id>"…
};

enum class CompleteOutcome { Completed, LeaseLost };
enum class FailOutcome { Requeued, Failed, LeaseLost };

// One stored output of one version.
struct OutputRecord {
    std::int64_t submissionId = 0;
    int version = 0;  // 1, 2, … : a correction makes a new version
    OutputKind kind = OutputKind::ResultJson;
    std::string sha256;
    std::int64_t size = 0;
    std::string createdAt;
    std::string createdBy;
};

// A reviewer's change of one field (values as JSON text, e.g. "\"0609142\"").
struct FieldCorrection {
    std::string field;
    std::string oldValueJson;
    std::string newValueJson;
};

struct CorrectionRecord {
    std::int64_t id = 0;
    std::int64_t submissionId = 0;
    std::string field;
    std::string oldValueJson;
    std::string newValueJson;
    std::string who;
    std::string at;
    int outputVersion = 0;  // the output version the correction produced
};

// Filter and page of Store::list. Every set member narrows the result.
struct ListFilter {
    std::optional<std::string> campaign;
    std::optional<std::string> decision;
    std::optional<Status> status;
    std::optional<Channel> channel;
    // TERYT prefix: "0614" matches the powiat 0614 and its gminy 0614xxx;
    // "0614011" that gmina only. Submissions without an office never match.
    std::optional<std::string> officePrefix;
    std::optional<std::string> dateFrom;  // date_counted >= (YYYY-MM-DD)
    std::optional<std::string> dateTo;    // date_counted <=
    // Case-insensitive substring of the file name, case sign, sender or
    // subject (PostgreSQL folds all letters; SQLite only ASCII).
    std::optional<std::string> text;
    bool includeDuplicates = true;
    std::size_t limit = 50;                // at most 1000
    std::size_t offset = 0;                // paging by offset…
    std::optional<std::int64_t> beforeId;  // …or by cursor: ids below this one (Page::nextCursor)
};

// One page of Store::list, newest first.
struct Page {
    std::vector<Submission> items;
    std::optional<std::int64_t> nextCursor;  // beforeId for the next page; nullopt on the last page
};

// Who is calling, from authenticate().
struct Principal {
    std::int64_t tokenId = 0;
    Role role = Role::Reviewer;
    std::optional<std::string> office;  // TERYT code, for Role::Office
    std::string label;
};

// A new token: `token` is the only copy of the secret (shown once).
struct NewToken {
    std::int64_t id = 0;
    std::string token;
};

struct TokenInfo {
    std::int64_t id = 0;
    Role role = Role::Reviewer;
    std::optional<std::string> office;
    std::string label;
    std::string createdAt;
    std::optional<std::string> revokedAt;
};

struct AuditRecord {
    std::int64_t id = 0;
    std::string at;
    std::optional<std::int64_t> tokenId;  // nullopt: the service itself
    std::optional<std::string> role;
    std::string action;
    std::optional<std::int64_t> submissionId;
    std::string detail;
};

// A message in a mailbox, as the e-mail intake identifies it (make one with
// the factories, so that every poller spells keys the same way).
struct MailKey {
    std::string mailbox;  // the source as configured, e.g. "imaps://kancelaria@host/INBOX"
    std::string key;      // unique within the mailbox

    static MailKey imap(std::string mailbox, std::uint32_t uidValidity, std::uint32_t uid);
    static MailKey pop3(std::string mailbox, std::string_view uidl);
    // mbox: name and byte offset of the message; Maildir/eml: the file name (offset 0).
    static MailKey file(std::string mailbox, std::string_view name, std::uint64_t offset = 0);
};

// Taken: an intake instance took the message and is registering its
// attachments; Stored: every attachment is registered; ServerActionDone: the
// message was moved, flagged or deleted on the server as configured.
enum class MailState { Taken, Stored, ServerActionDone };
const char* toString(MailState state);

struct MailAttachment {
    std::string sha256;
    std::optional<std::int64_t> submissionId;  // nullopt: not a card (e.g. a cover letter), not registered
};

struct MailRecord {
    MailKey key;
    std::optional<std::string> messageId;
    MailState state = MailState::Taken;
    std::string takenBy;
    std::vector<MailAttachment> attachments;
    std::string createdAt;
    std::string updatedAt;
};

struct TakeResult {
    bool taken = false;  // true: this caller took the message now and must process it
    MailRecord record;   // the ledger row as it now stands
};

// Replies the service sends for a submission, each at most once.
enum class ReplyKind { ReceiptConfirmation, DecisionLetter };
// "receipt", "decision".
const char* toString(ReplyKind kind);

struct ReplyRecord {
    std::int64_t submissionId = 0;
    ReplyKind kind = ReplyKind::ReceiptConfirmation;
    bool sent = false;  // false: claimed, sending in progress (or interrupted: see Store::claimReply)
    std::string claimedBy;
    std::string claimedAt;
    std::optional<std::string> sentAt;
    std::string detail;  // e.g. the reply's Message-ID
};

// For /metrics.
struct Metrics {
    std::map<std::string, std::int64_t> submissionsByStatus;    // "queued" → n …
    std::map<std::string, std::int64_t> submissionsByDecision;  // "qualified" → n … (processed ones)
    std::int64_t queueDepth = 0;                                // jobs waiting to be claimed
    std::int64_t jobsRunning = 0;                               // jobs claimed and not finished
    std::int64_t jobsFailed = 0;                                // jobs that ran out of attempts
};

}  // namespace formproc::storage
