// The store's schema, as ordered migrations. Internal to core/src/storage.
#pragma once

#include <mutex>

#include "database.hpp"

namespace formproc::storage::detail {

// The schema version this build writes.
int latestSchemaVersion();

// Applies every migration the database lacks, in one transaction, under a
// lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory
// lock), so that processes starting at once migrate once. Idempotent.
// Throws std::runtime_error when the database is newer than this build.
void migrate(ConnectionPool& pool, std::mutex* writeMutex);

// The version recorded in the database (0: empty).
int schemaVersion(Connection& connection);

}  // namespace formproc::storage::detail
