#include "formproc/storage/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "database.hpp"
#include "migrations.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

using detail::Connection;
using detail::DbRow;
using detail::Dialect;

// ---- names ------------------------------------------------------------------

namespace {

template <typename E, std::size_t N>
std::optional<E> parseName(std::string_view text, const std::array<std::pair<E, const char*>, N>& names) {
    for (const auto& [value, name] : names) {
        if (text == name) return value;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
const char* nameOf(E value, const std::array<std::pair<E, const char*>, N>& names) {
    for (const auto& [v, name] : names) {
        if (v == value) return name;
    }
    return "";
}

constexpr std::array<std::pair<Channel, const char*>, 4> kChannels{
    {{Channel::Upload, "upload"}, {Channel::Email, "email"}, {Channel::Post, "post"}, {Channel::Epuap, "epuap"}}};
constexpr std::array<std::pair<Status, const char*>, 4> kStatuses{{{Status::Queued, "queued"},
                                                                   {Status::Processing, "processing"},
                                                                   {Status::Done, "done"},
                                                                   {Status::Failed, "failed"}}};
constexpr std::array<std::pair<OutputKind, const char*>, 5> kOutputKinds{
    {{OutputKind::ResultJson, "result.json"},
     {OutputKind::LetterPdf, "letter.pdf"},
     {OutputKind::FilledPdf, "filled.pdf"},
     {OutputKind::EpuapXml, "epuap.xml"},
     {OutputKind::ExtractionJson, "extraction.json"}}};
constexpr std::array<std::pair<Role, const char*>, 3> kRoles{
    {{Role::Admin, "admin"}, {Role::Reviewer, "reviewer"}, {Role::Office, "office"}}};

}  // namespace

const char* toString(Channel channel) { return nameOf(channel, kChannels); }
std::optional<Channel> parseChannel(std::string_view text) { return parseName(text, kChannels); }
const char* toString(Status status) { return nameOf(status, kStatuses); }
std::optional<Status> parseStatus(std::string_view text) { return parseName(text, kStatuses); }
const char* toString(OutputKind kind) { return nameOf(kind, kOutputKinds); }
std::optional<OutputKind> parseOutputKind(std::string_view text) { return parseName(text, kOutputKinds); }
const char* toString(Role role) { return nameOf(role, kRoles); }
std::optional<Role> parseRole(std::string_view text) { return parseName(text, kRoles); }

// ---- helpers -------------------------------------------------------------------

std::string pickDateCounted(Channel channel, const std::string& receivedDate,
                            const std::optional<std::string>& sentDate,
                            const std::optional<std::string>& postmarkDate) {
    if (channel == Channel::Email && sentDate && !sentDate->empty()) return *sentDate;
    if (channel == Channel::Post && postmarkDate && !postmarkDate->empty()) return *postmarkDate;
    return receivedDate;
}

std::string formatCaseSign(std::string_view pattern, std::int64_t number, int year, int month) {
    std::string out;
    out.reserve(pattern.size() + 8);
    char monthText[3] = {static_cast<char>('0' + (month / 10) % 10), static_cast<char>('0' + month % 10), '\0'};
    for (std::size_t i = 0; i < pattern.size();) {
        const std::string_view rest = pattern.substr(i);
        if (rest.starts_with("{nr}")) {
            out += std::to_string(number);
            i += 4;
        } else if (rest.starts_with("{rok}")) {
            out += std::to_string(year);
            i += 5;
        } else if (rest.starts_with("{miesiac}")) {
            out += monthText;
            i += 9;
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

std::string nowTimestamp() { return detail::timestampFromMillis(detail::nowMillis()); }

namespace {

bool digitsAt(std::string_view text, std::size_t from, std::size_t count) {
    if (text.size() < from + count) return false;
    for (std::size_t i = from; i < from + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
}

int numberAt(std::string_view text, std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
}

}  // namespace

bool isValidDate(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    if (!digitsAt(text, 0, 4) || !digitsAt(text, 5, 2) || !digitsAt(text, 8, 2)) return false;
    const int year = numberAt(text, 0, 4), month = numberAt(text, 5, 2), day = numberAt(text, 8, 2);
    if (month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool isValidTimestamp(std::string_view text) noexcept {
    if (text.size() < 20 || !isValidDate(text.substr(0, 10)) || text[10] != 'T' || text.back() != 'Z') return false;
    if (!digitsAt(text, 11, 2) || text[13] != ':' || !digitsAt(text, 14, 2) || text[16] != ':' ||
        !digitsAt(text, 17, 2)) {
        return false;
    }
    if (numberAt(text, 11, 2) > 23 || numberAt(text, 14, 2) > 59 || numberAt(text, 17, 2) > 60) return false;
    const std::string_view fraction = text.substr(19, text.size() - 20);
    if (fraction.empty()) return true;
    return fraction.size() >= 2 && fraction[0] == '.' && digitsAt(fraction, 1, fraction.size() - 1);
}

// ---- shared internals --------------------------------------------------------

namespace detail {

std::int64_t nowMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string timestampFromMillis(std::int64_t millis) {
    const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
    return text;
}

std::string submissionColumns(bool withResult, const std::string& alias) {
    const std::string p = alias.empty() ? "" : alias + ".";
    return p + "id, " + p + "campaign, " + p + "channel, " + p + "date_counted, " + p + "received_at, " + p +
           "sent_at, " + p + "postmark_date, " + p + "sha256, " + p + "file_name, " + p + "media_type, " + p +
           "size, " + p + "case_sign, " + p + "duplicate_of, " + p + "status, " + p + "decision, " + p + "form, " + p +
           "office, " + (withResult ? p + "result_json" : std::string("NULL")) + ", " + p + "failure_reason, " + p +
           "message_id, " + p + "sender, " + p + "subject, " + p + "source_key, " + p + "created_at, " + p +
           "updated_at";
}

Submission submissionFromRow(const DbRow& row) {
    Submission s;
    s.id = row.integer(0);
    s.campaign = row.text(1);
    s.channel = parseChannel(row.text(2)).value_or(Channel::Upload);
    s.dateCounted = row.text(3);
    s.receivedAt = row.text(4);
    s.sentAt = row.opt(5);
    s.postmarkDate = row.opt(6);
    s.sha256 = row.text(7);
    s.fileName = row.text(8);
    s.mediaType = row.text(9);
    s.size = row.integer(10);
    s.caseSign = row.text(11);
    s.duplicateOf = row.optInteger(12);
    s.status = parseStatus(row.text(13)).value_or(Status::Queued);
    s.decision = row.opt(14);
    s.form = row.opt(15);
    s.office = row.opt(16);
    s.resultJson = row.opt(17);
    s.failureReason = row.opt(18);
    s.messageId = row.opt(19);
    s.sender = row.opt(20);
    s.subject = row.opt(21);
    s.sourceKey = row.opt(22);
    s.createdAt = row.text(23);
    s.updatedAt = row.text(24);
    return s;
}

std::optional<Submission> loadSubmission(Connection& connection, std::int64_t id, bool withResult) {
    const auto row = connection.queryOne("SELECT " + submissionColumns(withResult) + " FROM submissions WHERE id = ?",
                                         kSubmissionColumnCount, {id});
    if (!row) return std::nullopt;
    return submissionFromRow(*row);
}

void propagateToDuplicates(Connection& connection, std::int64_t originalId, const std::string& now) {
    connection.execute(
        "UPDATE submissions SET (status, decision, form, office, result_json, failure_reason) ="
        " (SELECT o.status, o.decision, o.form, o.office, o.result_json, o.failure_reason"
        " FROM submissions o WHERE o.id = ?), updated_at = ? WHERE duplicate_of = ?",
        {originalId, now, originalId});
}

int insertOutputVersion(Connection& connection, std::int64_t submissionId, const std::vector<StoredOutput>& outputs,
                        const std::string& createdBy, const std::string& now) {
    const auto row =
        connection.queryOne("SELECT COALESCE(MAX(version), 0) FROM outputs WHERE submission_id = ?", 1, {submissionId});
    const int version = static_cast<int>(row ? row->integer(0) : 0) + 1;
    for (const auto& output : outputs) {
        connection.execute(
            "INSERT INTO outputs (submission_id, version, kind, sha256, size, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            {submissionId, version, toString(output.kind), output.sha256, output.size, now, createdBy});
    }
    return version;
}

void storeResult(Connection& connection, std::int64_t submissionId, const Completion& completion,
                 const std::string& now) {
    connection.execute(
        "UPDATE submissions SET status = 'done', decision = ?, form = ?, office = ?, result_json = ?,"
        " failure_reason = NULL, updated_at = ? WHERE id = ?",
        {completion.decision, completion.form, completion.office, completion.resultJson, now, submissionId});
}

}  // namespace detail

// ---- open ----------------------------------------------------------------------

namespace {

// Makes the data folder (0700) when missing; an existing one is left as is.
void ensureDataDir(const std::string& dataDir) {
    const std::filesystem::path dir(dataDir);
    if (std::filesystem::is_directory(dir)) return;
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path());
    if (::mkdir(dataDir.c_str(), 0700) != 0 && errno != EEXIST) {
        throw std::system_error(errno, std::generic_category(), "storage: cannot create the data folder " + dataDir);
    }
}

// SQLite would create the file with the umask's mode: make it 0600 first
// (its -wal and -shm files take the same mode).
void ensureDatabaseFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
    } else if (errno != EEXIST) {
        throw std::system_error(errno, std::generic_category(), "storage: cannot create the database " + path);
    }
}

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& dataDir, const std::string& connection,
                                   const StoreOptions& options) {
    constexpr std::string_view kPostgres = "postgresql:";
    Dialect dialect = Dialect::Sqlite;
    std::string connectionString;
    if (connection.empty()) {
        connectionString = dataDir + "/formproc.sqlite";
    } else if (connection.starts_with(kPostgres)) {
        dialect = Dialect::Postgres;
        connectionString = connection.substr(kPostgres.size());
        if (connectionString.find('=') == std::string::npos) {
            throw std::invalid_argument(
                "storage: a PostgreSQL connection is \"postgresql:\" followed by "
                "keyword=value pairs (host=… dbname=… user=…)");
        }
    } else {
        throw std::invalid_argument("storage: unknown connection string (empty for SQLite, or postgresql:…)");
    }
    ensureDataDir(dataDir);
    if (dialect == Dialect::Sqlite) ensureDatabaseFile(connectionString);
    auto pool = std::make_unique<detail::ConnectionPool>(dialect, connectionString, options.poolSize);
    auto store = std::make_unique<Store>(Key{}, dataDir, std::move(pool), options);
    detail::migrate(*store->_pool, store->_writeMutex.get());
    return store;
}

Store::Store(Key, std::string dataDir, std::unique_ptr<detail::ConnectionPool> pool, StoreOptions options)
    : _dataDir(std::move(dataDir)), _blobs(_dataDir + "/blobs"), _pool(std::move(pool)), _options(options) {
    if (_options.maxAttempts < 1) _options.maxAttempts = 1;
    if (_pool->dialect() == Dialect::Sqlite) _writeMutex = std::make_unique<std::mutex>();
}

Store::~Store() = default;

std::string Store::backend() const { return _pool->dialect() == Dialect::Sqlite ? "sqlite" : "postgresql"; }

int Store::schemaVersion() const {
    auto connection = _pool->acquire();
    return detail::schemaVersion(*connection);
}

std::optional<std::string> Store::readOriginal(const Submission& submission) const {
    return _blobs.read(submission.sha256);
}

std::optional<Submission> Store::get(std::int64_t id) const {
    auto connection = _pool->acquire();
    return detail::loadSubmission(*connection, id, true);
}

}  // namespace formproc::storage
