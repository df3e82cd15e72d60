// Helpers shared by the store's source files. Internal to core/src/storage.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "database.hpp"
#include "formproc/storage/records.hpp"

namespace formproc::storage::detail {

// Milliseconds since the epoch (leases, due times).
std::int64_t nowMillis();
std::string timestampFromMillis(std::int64_t millis);

// The submission columns, in Submission's order; `withResult` false selects
// NULL for result_json (lists).
std::string submissionColumns(bool withResult, const std::string& tableAlias = "");
constexpr std::size_t kSubmissionColumnCount = 25;
Submission submissionFromRow(const DbRow& row);
std::optional<Submission> loadSubmission(Connection& connection, std::int64_t id, bool withResult = true);

// Copies an original's status, decision, form, office, result and failure
// reason onto its duplicates.
void propagateToDuplicates(Connection& connection, std::int64_t originalId, const std::string& now);

// Records `outputs` (already stored as blobs, hashes and sizes in `stored`)
// as the next output version of a submission; returns that version.
struct StoredOutput {
    OutputKind kind;
    std::string sha256;
    std::int64_t size;
};
int insertOutputVersion(Connection& connection, std::int64_t submissionId, const std::vector<StoredOutput>& outputs,
                        const std::string& createdBy, const std::string& now);

// Sets a submission's result fields and status Done.
void storeResult(Connection& connection, std::int64_t submissionId, const Completion& completion,
                 const std::string& now);

}  // namespace formproc::storage::detail
