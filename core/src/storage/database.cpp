#include "database.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include "formproc/storage/store.hpp"

#include <charconv>
#include <stdexcept>
#include <thread>

namespace formproc::storage::detail {

namespace {

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
    });
}

// Seconds a SQLite connection waits for another process's write lock, and
// a PostgreSQL connection for the server to answer the connect.
constexpr std::size_t kSqliteBusySeconds = 30;
constexpr std::size_t kPostgresConnectSeconds = 10;

[[noreturn]] void throwStoreError(const Poco::Exception& error) { throw StoreError("storage: " + error.displayText()); }

std::string messageOf(const std::exception& error) {
    if (const auto* poco = dynamic_cast<const Poco::Exception*>(&error)) return poco->displayText();
    return error.what();
}

}  // namespace

std::int64_t DbRow::integer(std::size_t i) const {
    const auto value = optInteger(i);
    if (!value) throw std::runtime_error("storage: expected an integer in column " + std::to_string(i));
    return *value;
}

std::optional<std::int64_t> DbRow::optInteger(std::size_t i) const {
    const auto& cell = _cells.at(i);
    if (!cell) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(cell->data(), cell->data() + cell->size(), value);
    if (error != std::errc() || end != cell->data() + cell->size()) {
        throw std::runtime_error("storage: not an integer in column " + std::to_string(i));
    }
    return value;
}

std::string toPostgresPlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int number = 0;
    char quote = 0;
    for (const char c : sql) {
        if (quote != 0) {
            if (c == quote) quote = 0;
            out += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '?') {
            out += '$';
            out += std::to_string(++number);
        } else {
            out += c;
        }
    }
    return out;
}

bool isUniqueViolation(const std::exception& error) {
    const std::string text = messageOf(error);
    return text.find("State: 23505") != std::string::npos || text.find("UNIQUE constraint failed") != std::string::npos;
}

bool isRetryable(const std::exception& error) {
    if (isUniqueViolation(error)) return true;
    const std::string text = messageOf(error);
    for (const char* marker : {"State: 40001", "State: 40P01", "database is locked", "database table is locked"}) {
        if (text.find(marker) != std::string::npos) return true;
    }
    return false;
}

namespace {

Poco::Data::Session openSession(Dialect dialect, const std::string& connectionString) {
    registerConnectors();
    try {
        return Poco::Data::Session(dialect == Dialect::Sqlite ? "SQLite" : "PostgreSQL", connectionString,
                                   dialect == Dialect::Sqlite ? kSqliteBusySeconds : kPostgresConnectSeconds);
    } catch (const Poco::Exception& error) {
        throwStoreError(error);
    }
}

}  // namespace

Connection::Connection(Dialect dialect, const std::string& connectionString)
    : _dialect(dialect), _session(openSession(dialect, connectionString)) {
    if (_dialect == Dialect::Sqlite) {
        // WAL: readers never block the writer; synchronous=FULL: a commit is
        // on disk when COMMIT returns (the 201 promise); foreign keys on.
        query("PRAGMA journal_mode=WAL", 1);
        execute("PRAGMA synchronous=FULL");
        execute("PRAGMA foreign_keys=ON");
    } else {
        execute("SET client_encoding TO 'UTF8'");
        execute("SET client_min_messages TO warning");
        execute("SET synchronous_commit TO on");
    }
}

Poco::Data::Statement Connection::prepare(std::string_view sql, const Params& params) {
    using Poco::Data::Keywords::bind;
    Poco::Data::Statement statement(_session);
    statement << (_dialect == Dialect::Postgres ? toPostgresPlaceholders(sql) : std::string(sql));
    for (const Param& param : params) {
        const auto& value = param.value();
        if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            statement.addBind(bind(Poco::Int64{*integer}));
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            statement.addBind(bind(*text));
        } else {
            statement.addBind(bind(Poco::Nullable<std::string>()));
        }
    }
    return statement;
}

std::size_t Connection::execute(std::string_view sql, const Params& params) {
    try {
        Poco::Data::Statement statement = prepare(sql, params);
        return statement.execute();
    } catch (const Poco::Exception& error) {
        throwStoreError(error);
    }
}

std::vector<DbRow> Connection::query(std::string_view sql, std::size_t columns, const Params& params) {
    using Poco::Data::Keywords::into;
    std::vector<std::vector<Poco::Nullable<std::string>>> cells(columns);
    try {
        Poco::Data::Statement statement = prepare(sql, params);
        for (auto& column : cells) statement.addExtract(into(column));
        statement.execute();
    } catch (const Poco::Exception& error) {
        throwStoreError(error);
    }
    const std::size_t rows = columns == 0 ? 0 : cells[0].size();
    std::vector<DbRow> out;
    out.reserve(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        std::vector<std::optional<std::string>> row(columns);
        for (std::size_t c = 0; c < columns; ++c) {
            if (!cells[c][r].isNull()) row[c] = cells[c][r].value();
        }
        out.emplace_back(std::move(row));
    }
    return out;
}

std::optional<DbRow> Connection::queryOne(std::string_view sql, std::size_t columns, const Params& params) {
    auto rows = query(sql, columns, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

void Connection::begin(bool write) {
    if (_dialect == Dialect::Sqlite) {
        execute(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    } else {
        try {
            _session.begin();
        } catch (const Poco::Exception& error) {
            throwStoreError(error);
        }
    }
    _inTransaction = true;
}

void Connection::commit() {
    if (_dialect == Dialect::Sqlite) {
        execute("COMMIT");
    } else {
        try {
            _session.commit();
        } catch (const Poco::Exception& error) {
            throwStoreError(error);
        }
    }
    _inTransaction = false;
}

void Connection::rollback() noexcept {
    try {
        if (_dialect == Dialect::Sqlite) {
            execute("ROLLBACK");
        } else {
            _session.rollback();
        }
    } catch (...) {
        // A connection that cannot roll back is not given out again.
        _broken = true;
    }
    _inTransaction = false;
}

ConnectionPool::ConnectionPool(Dialect dialect, std::string connectionString, std::size_t maxSize)
    : _dialect(dialect), _connectionString(std::move(connectionString)), _maxSize(maxSize == 0 ? 1 : maxSize) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
    : _pool(&pool), _connection(std::move(connection)) {}

ConnectionPool::Lease::~Lease() {
    if (_connection) {
        if (_connection->inTransaction()) _connection->rollback();
        _pool->release(std::move(_connection));
    }
}

ConnectionPool::Lease ConnectionPool::acquire() {
    std::unique_lock lock(_mutex);
    _available.wait(lock, [&] { return !_idle.empty() || _open < _maxSize; });
    if (!_idle.empty()) {
        auto connection = std::move(_idle.back());
        _idle.pop_back();
        return Lease(*this, std::move(connection));
    }
    ++_open;
    lock.unlock();
    try {
        return Lease(*this, std::make_unique<Connection>(_dialect, _connectionString));
    } catch (...) {
        lock.lock();
        --_open;
        _available.notify_one();
        throw;
    }
}

void ConnectionPool::release(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(_mutex);
    if (connection->broken()) {
        --_open;
        connection.reset();
    } else {
        _idle.push_back(std::move(connection));
    }
    _available.notify_one();
}

void transact(ConnectionPool& pool, bool write, std::mutex* writeMutex, const std::function<void(Connection&)>& body,
              int attempts) {
    for (int attempt = 1;; ++attempt) {
        std::unique_lock<std::mutex> guard;
        if (writeMutex != nullptr) guard = std::unique_lock(*writeMutex);
        auto connection = pool.acquire();
        try {
            connection->begin(write);
            body(*connection);
            connection->commit();
            return;
        } catch (const std::exception& error) {
            if (connection->inTransaction()) connection->rollback();
            if (attempt >= attempts || !isRetryable(error)) throw;
        }
        guard = {};
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt * attempt));
    }
}

}  // namespace formproc::storage::detail
