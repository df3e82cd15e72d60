#include "migrations.hpp"

#include "formproc/storage/store.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace formproc::storage::detail {

namespace {

// A migration's statements are written once for both dialects with three
// type tokens: {id} an identity primary key, {int} a 64-bit integer, {text}
// text. A step that needs dialect-specific SQL lists it in sqliteOnly /
// postgresOnly.
struct Migration {
    int version;
    const char* description;
    std::vector<std::string> statements;
    std::vector<std::string> sqliteOnly;
    std::vector<std::string> postgresOnly;
};

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1,
         "submissions, case counters, jobs, outputs, corrections, tokens, audit, mail and replies ledgers",
         {
             "CREATE TABLE submissions (id {id}, campaign {text} NOT NULL, channel {text} NOT NULL,"
             " date_counted {text} NOT NULL, received_at {text} NOT NULL, sent_at {text}, postmark_date {text},"
             " sha256 {text} NOT NULL, file_name {text} NOT NULL, media_type {text} NOT NULL, size {int} NOT NULL,"
             " case_sign {text} NOT NULL, duplicate_of {int} REFERENCES submissions(id), status {text} NOT NULL,"
             " decision {text}, form {text}, office {text}, result_json {text}, failure_reason {text},"
             " message_id {text}, sender {text}, subject {text}, source_key {text},"
             " created_at {text} NOT NULL, updated_at {text} NOT NULL)",
             // One original per content and campaign: the safety net under
             // registerSubmission's duplicate check.
             "CREATE UNIQUE INDEX submissions_original ON submissions (campaign, sha256) WHERE duplicate_of IS NULL",
             "CREATE UNIQUE INDEX submissions_source_key ON submissions (source_key)",
             "CREATE INDEX submissions_duplicate_of ON submissions (duplicate_of)",
             "CREATE INDEX submissions_campaign ON submissions (campaign, id)",
             "CREATE INDEX submissions_status ON submissions (status, id)",
             "CREATE INDEX submissions_office ON submissions (office, id)",
             "CREATE INDEX submissions_date ON submissions (date_counted, id)",
             "CREATE TABLE case_counters (campaign {text} NOT NULL, year {int} NOT NULL, last_number {int} NOT NULL,"
             " PRIMARY KEY (campaign, year))",
             "CREATE TABLE jobs (id {id}, submission_id {int} NOT NULL REFERENCES submissions(id),"
             " kind {text} NOT NULL, state {text} NOT NULL, attempts {int} NOT NULL, worker_id {text},"
             " lease_until {int}, available_at {int} NOT NULL, last_error {text},"
             " created_at {text} NOT NULL, updated_at {text} NOT NULL)",
             "CREATE UNIQUE INDEX jobs_active ON jobs (submission_id) WHERE state IN ('queued', 'running')",
             "CREATE INDEX jobs_queue ON jobs (state, available_at, id)",
             "CREATE TABLE outputs (submission_id {int} NOT NULL REFERENCES submissions(id), version {int} NOT NULL,"
             " kind {text} NOT NULL, sha256 {text} NOT NULL, size {int} NOT NULL, created_at {text} NOT NULL,"
             " created_by {text} NOT NULL, PRIMARY KEY (submission_id, version, kind))",
             "CREATE TABLE corrections (id {id}, submission_id {int} NOT NULL REFERENCES submissions(id),"
             " field {text} NOT NULL, old_value_json {text} NOT NULL, new_value_json {text} NOT NULL,"
             " who {text} NOT NULL, at {text} NOT NULL, output_version {int} NOT NULL)",
             "CREATE INDEX corrections_submission ON corrections (submission_id, id)",
             "CREATE TABLE api_tokens (id {id}, secret_hash {text} NOT NULL, role {text} NOT NULL, office {text},"
             " label {text} NOT NULL, created_at {text} NOT NULL, revoked_at {text})",
             "CREATE TABLE audit_log (id {id}, at {text} NOT NULL, token_id {int}, role {text}, action {text} NOT NULL,"
             " submission_id {int}, detail {text} NOT NULL)",
             "CREATE INDEX audit_log_submission ON audit_log (submission_id, id)",
             "CREATE TABLE mail_messages (id {id}, mailbox {text} NOT NULL, source_key {text} NOT NULL,"
             " message_id {text}, state {text} NOT NULL, taken_by {text} NOT NULL, taken_until {int} NOT NULL,"
             " created_at {text} NOT NULL, updated_at {text} NOT NULL, UNIQUE (mailbox, source_key))",
             "CREATE INDEX mail_messages_message_id ON mail_messages (message_id)",
             "CREATE TABLE mail_attachments (mail_id {int} NOT NULL REFERENCES mail_messages(id),"
             " sha256 {text} NOT NULL, submission_id {int}, PRIMARY KEY (mail_id, sha256))",
             "CREATE TABLE replies (submission_id {int} NOT NULL REFERENCES submissions(id), kind {text} NOT NULL,"
             " state {text} NOT NULL, claimed_by {text} NOT NULL, claimed_at {text} NOT NULL, sent_at {text},"
             " detail {text} NOT NULL, PRIMARY KEY (submission_id, kind))",
         },
         {},
         {}},
    };
    return all;
}

std::string substitute(std::string sql, Dialect dialect) {
    const bool sqlite = dialect == Dialect::Sqlite;
    const std::pair<const char*, const char*> tokens[] = {
        {"{id}", sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"{int}", sqlite ? "INTEGER" : "BIGINT"},
        // PostgreSQL: VARCHAR (unbounded) rather than TEXT, which Poco's
        // connector would hand out as a CLOB.
        {"{text}", sqlite ? "TEXT" : "VARCHAR"},
    };
    for (const auto& [token, replacement] : tokens) {
        for (auto at = sql.find(token); at != std::string::npos; at = sql.find(token, at)) {
            sql.replace(at, std::string_view(token).size(), replacement);
            at += std::string_view(replacement).size();
        }
    }
    return sql;
}

// An arbitrary constant naming formproc's migration lock among advisory locks.
constexpr std::int64_t kMigrationLockKey = 0x666f726d70726f63;  // "formproc"

void applyPending(Connection& connection) {
    const Dialect dialect = connection.dialect();
    if (dialect == Dialect::Postgres) connection.query("SELECT pg_advisory_xact_lock(?)", 1, {kMigrationLockKey});
    connection.execute(
        substitute("CREATE TABLE IF NOT EXISTS schema_version (version {int} PRIMARY KEY,"
                   " description {text} NOT NULL, applied_at {text} NOT NULL)",
                   dialect));
    const int current = schemaVersion(connection);
    if (current > latestSchemaVersion()) {
        throw StoreError("storage: the database has schema version " + std::to_string(current) +
                         ", newer than this formproc (" + std::to_string(latestSchemaVersion()) + ")");
    }
    for (const Migration& migration : migrations()) {
        if (migration.version <= current) continue;
        for (const auto& statement : migration.statements) connection.execute(substitute(statement, dialect));
        const auto& own = dialect == Dialect::Sqlite ? migration.sqliteOnly : migration.postgresOnly;
        for (const auto& statement : own) connection.execute(statement);
        connection.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                           {migration.version, migration.description, nowTimestamp()});
    }
}

}  // namespace

int latestSchemaVersion() { return migrations().back().version; }

int schemaVersion(Connection& connection) {
    const auto row = connection.queryOne("SELECT MAX(version) FROM schema_version", 1);
    return row && row->opt(0) ? static_cast<int>(row->integer(0)) : 0;
}

void migrate(ConnectionPool& pool, std::mutex* writeMutex) {
    transact(pool, true, writeMutex, [](Connection& connection) { applyPending(connection); });
}

}  // namespace formproc::storage::detail
