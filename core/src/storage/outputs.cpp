// Outputs as versions, and reviewers' corrections.
#include "database.hpp"
#include "formproc/storage/store.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

using detail::Connection;

namespace {

constexpr const char* kOutputColumns = "submission_id, version, kind, sha256, size, created_at, created_by";

OutputRecord outputFromRow(const detail::DbRow& row) {
    OutputRecord r;
    r.submissionId = row.integer(0);
    r.version = static_cast<int>(row.integer(1));
    r.kind = parseOutputKind(row.text(2)).value_or(OutputKind::ResultJson);
    r.sha256 = row.text(3);
    r.size = row.integer(4);
    r.createdAt = row.text(5);
    r.createdBy = row.text(6);
    return r;
}

std::vector<OutputRecord> outputsFromRows(const std::vector<detail::DbRow>& rows) {
    std::vector<OutputRecord> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(outputFromRow(row));
    return out;
}

}  // namespace

std::vector<OutputRecord> Store::outputs(std::int64_t submissionId, std::optional<int> version) const {
    auto c = _pool->acquire();
    const std::string sql =
        std::string("SELECT ") + kOutputColumns + " FROM outputs WHERE submission_id = ? AND version = " +
        (version ? "?" : "(SELECT MAX(version) FROM outputs WHERE submission_id = ?)") + " ORDER BY kind";
    return outputsFromRows(c->query(sql, 7, {submissionId, version ? std::int64_t{*version} : submissionId}));
}

std::vector<OutputRecord> Store::outputHistory(std::int64_t submissionId) const {
    auto c = _pool->acquire();
    return outputsFromRows(c->query(
        std::string("SELECT ") + kOutputColumns + " FROM outputs WHERE submission_id = ? ORDER BY version, kind", 7,
        {submissionId}));
}

std::optional<std::string> Store::readOutput(std::int64_t submissionId, OutputKind kind,
                                             std::optional<int> version) const {
    for (const auto& output : outputs(submissionId, version)) {
        if (output.kind == kind) return _blobs.read(output.sha256);
    }
    return std::nullopt;
}

std::optional<int> Store::applyCorrection(std::int64_t submissionId, const std::vector<FieldCorrection>& changes,
                                          const Completion& recomputed, const std::string& who) {
    std::vector<detail::StoredOutput> stored;
    for (const auto& output : recomputed.outputs) {
        const auto blob = _blobs.put(output.bytes);
        stored.push_back({output.kind, blob.sha256, blob.size});
    }
    std::optional<int> version;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        version.reset();
        const auto target =
            c.queryOne("SELECT id FROM submissions WHERE id = ? AND duplicate_of IS NULL", 1, {submissionId});
        if (!target) return;
        const std::string now = nowTimestamp();
        const int made = detail::insertOutputVersion(c, submissionId, stored, who, now);
        for (const auto& change : changes) {
            c.execute(
                "INSERT INTO corrections (submission_id, field, old_value_json, new_value_json, who, at,"
                " output_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {submissionId, change.field, change.oldValueJson, change.newValueJson, who, now, made});
        }
        detail::storeResult(c, submissionId, recomputed, now);
        detail::propagateToDuplicates(c, submissionId, now);
        version = made;
    });
    return version;
}

std::vector<CorrectionRecord> Store::corrections(std::int64_t submissionId) const {
    auto c = _pool->acquire();
    const auto rows = c->query(
        "SELECT id, submission_id, field, old_value_json, new_value_json, who, at, output_version"
        " FROM corrections WHERE submission_id = ? ORDER BY id",
        8, {submissionId});
    std::vector<CorrectionRecord> out;
    for (const auto& row : rows) {
        out.push_back({row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6),
                       static_cast<int>(row.integer(7))});
    }
    return out;
}

}  // namespace formproc::storage
