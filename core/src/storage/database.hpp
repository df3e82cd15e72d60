// The storage module's thin layer over Poco::Data: one SQL text for both
// dialects ('?' placeholders, rewritten to $1, $2… for PostgreSQL), every
// parameter an integer, a string or NULL, every result cell read as text, and
// a small pool of sessions. Internal to core/src/storage.
#pragma once

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace formproc::storage::detail {

enum class Dialect { Sqlite, Postgres };

// A statement parameter: NULL, an integer or a text.
class Param {
public:
    Param() = default;
    Param(std::nullptr_t) {}
    Param(std::int64_t v) : _value(v) {}
    Param(int v) : _value(std::int64_t{v}) {}
    Param(std::string v) : _value(std::move(v)) {}
    Param(const char* v) : _value(std::string(v)) {}
    Param(std::string_view v) : _value(std::string(v)) {}
    Param(const std::optional<std::string>& v) {
        if (v) _value = *v;
    }
    Param(const std::optional<std::int64_t>& v) {
        if (v) _value = *v;
    }
    const std::variant<std::monostate, std::int64_t, std::string>& value() const { return _value; }

private:
    std::variant<std::monostate, std::int64_t, std::string> _value;
};

using Params = std::vector<Param>;

// One result row: every cell as text (integers in decimal), nullopt for NULL.
class DbRow {
public:
    explicit DbRow(std::vector<std::optional<std::string>> cells) : _cells(std::move(cells)) {}
    const std::optional<std::string>& opt(std::size_t i) const { return _cells.at(i); }
    std::string text(std::size_t i) const { return _cells.at(i).value_or(std::string()); }
    std::int64_t integer(std::size_t i) const;
    std::optional<std::int64_t> optInteger(std::size_t i) const;
    std::size_t size() const { return _cells.size(); }

private:
    std::vector<std::optional<std::string>> _cells;
};

// Rewrites '?' placeholders (outside quoted literals) to $1, $2… .
std::string toPostgresPlaceholders(std::string_view sql);

// True when a database error is worth retrying the whole transaction: a
// unique-constraint race, a deadlock, a serialization failure, a busy SQLite.
bool isRetryable(const std::exception& error);
// True for a unique-constraint violation.
bool isUniqueViolation(const std::exception& error);

// One session. Not thread-safe: a Connection is used by one thread at a time
// (the pool hands it out).
class Connection {
public:
    Connection(Dialect dialect, const std::string& connectionString);
    Dialect dialect() const { return _dialect; }

    // Runs a statement, returns the number of rows it changed. Throws
    // Poco::Data::DataException (or a subclass) on a database error.
    std::size_t execute(std::string_view sql, const Params& params = {});
    // Runs a query returning `columns` columns.
    std::vector<DbRow> query(std::string_view sql, std::size_t columns, const Params& params = {});
    std::optional<DbRow> queryOne(std::string_view sql, std::size_t columns, const Params& params = {});

    // Transactions. begin(true) takes the write lock at once (SQLite BEGIN
    // IMMEDIATE); PostgreSQL locks rows as the statements touch them.
    void begin(bool write);
    void commit();
    void rollback() noexcept;
    bool inTransaction() const { return _inTransaction; }
    // True when the connection failed in a way that makes it unusable (the
    // server dropped it, a rollback failed): the pool then closes it.
    bool broken() { return _broken || !_session.isConnected(); }
    void markBroken() { _broken = true; }

private:
    Poco::Data::Statement prepare(std::string_view sql, const Params& params);

    Dialect _dialect;
    Poco::Data::Session _session;
    bool _inTransaction = false;
    bool _broken = false;
};

// A pool of connections, created on demand up to `maxSize`. Thread-safe.
class ConnectionPool {
public:
    ConnectionPool(Dialect dialect, std::string connectionString, std::size_t maxSize);
    ~ConnectionPool();

    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection);
        ~Lease();
        Lease(Lease&&) = default;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *_connection; }
        Connection* operator->() { return _connection.get(); }

    private:
        ConnectionPool* _pool;
        std::unique_ptr<Connection> _connection;
    };

    // Waits for a free connection (opens a new one while under maxSize).
    Lease acquire();
    Dialect dialect() const { return _dialect; }

private:
    void release(std::unique_ptr<Connection> connection);

    Dialect _dialect;
    std::string _connectionString;
    std::size_t _maxSize;
    std::size_t _open = 0;
    std::mutex _mutex;
    std::condition_variable _available;
    std::vector<std::unique_ptr<Connection>> _idle;
};

// Runs `body` in a transaction on a pooled connection; commits when it
// returns, rolls back when it throws. A retryable failure (see isRetryable)
// runs the body again, up to `attempts` times. `writeMutex`, when given, is
// held for the whole transaction (SQLite: one writer per process at a time,
// so that threads queue on a mutex rather than on SQLite's busy sleeps).
void transact(ConnectionPool& pool, bool write, std::mutex* writeMutex, const std::function<void(Connection&)>& body,
              int attempts = 8);

}  // namespace formproc::storage::detail
