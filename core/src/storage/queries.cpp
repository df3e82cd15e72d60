// Lists, counts and metrics.
#include "database.hpp"
#include "formproc/storage/store.hpp"
#include "formproc/util/text.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

namespace {

constexpr std::size_t kMaxPage = 1000;

// A LIKE pattern matching `text` anywhere, with % _ and \ escaped.
std::string containsPattern(std::string_view text) {
    std::string out = "%";
    for (const char c : util::toLowerPl(text)) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    out += '%';
    return out;
}

// The WHERE clause (starting with " WHERE 1 = 1") and its parameters.
std::string whereClause(const ListFilter& f, detail::Params& params, bool withCursor) {
    std::string sql = " WHERE 1 = 1";
    auto equal = [&](const char* column, const std::optional<std::string>& value) {
        if (!value) return;
        sql += std::string(" AND ") + column + " = ?";
        params.emplace_back(*value);
    };
    equal("campaign", f.campaign);
    equal("decision", f.decision);
    if (f.status) equal("status", std::string(toString(*f.status)));
    if (f.channel) equal("channel", std::string(toString(*f.channel)));
    if (f.officePrefix) {
        sql += " AND substr(office, 1, " + std::to_string(f.officePrefix->size()) + ") = ?";
        params.emplace_back(*f.officePrefix);
    }
    if (f.dateFrom) {
        sql += " AND date_counted >= ?";
        params.emplace_back(*f.dateFrom);
    }
    if (f.dateTo) {
        sql += " AND date_counted <= ?";
        params.emplace_back(*f.dateTo);
    }
    if (f.text && !f.text->empty()) {
        sql += " AND (";
        const char* columns[] = {"file_name", "case_sign", "sender", "subject"};
        for (std::size_t i = 0; i < 4; ++i) {
            sql += std::string(i ? " OR " : "") + "LOWER(" + columns[i] + ") LIKE ? ESCAPE '\\'";
            params.emplace_back(containsPattern(*f.text));
        }
        sql += ")";
    }
    if (!f.includeDuplicates) sql += " AND duplicate_of IS NULL";
    if (withCursor && f.beforeId) {
        sql += " AND id < ?";
        params.emplace_back(*f.beforeId);
    }
    return sql;
}

}  // namespace

Page Store::list(const ListFilter& filter) const {
    const std::size_t limit = std::min(std::max<std::size_t>(filter.limit, 1), kMaxPage);
    detail::Params params;
    std::string sql = "SELECT " + detail::submissionColumns(false) + " FROM submissions" +
                      whereClause(filter, params, true) + " ORDER BY id DESC LIMIT ? OFFSET ?";
    params.emplace_back(static_cast<std::int64_t>(limit + 1));
    params.emplace_back(static_cast<std::int64_t>(filter.beforeId ? 0 : filter.offset));
    auto c = _pool->acquire();
    const auto rows = c->query(sql, detail::kSubmissionColumnCount, params);
    Page page;
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) page.items.push_back(detail::submissionFromRow(rows[i]));
    if (rows.size() > limit) page.nextCursor = page.items.back().id;
    return page;
}

std::int64_t Store::count(const ListFilter& filter) const {
    detail::Params params;
    const std::string sql = "SELECT COUNT(*) FROM submissions" + whereClause(filter, params, false);
    auto c = _pool->acquire();
    const auto row = c->queryOne(sql, 1, params);
    return row ? row->integer(0) : 0;
}

Metrics Store::metrics() const {
    auto c = _pool->acquire();
    Metrics m;
    for (const auto& row : c->query("SELECT status, COUNT(*) FROM submissions GROUP BY status", 2)) {
        m.submissionsByStatus[row.text(0)] = row.integer(1);
    }
    for (const auto& row : c->query("SELECT decision, COUNT(*) FROM submissions WHERE decision IS NOT NULL"
                                    " GROUP BY decision",
                                    2)) {
        m.submissionsByDecision[row.text(0)] = row.integer(1);
    }
    for (const auto& row : c->query("SELECT state, COUNT(*) FROM jobs GROUP BY state", 2)) {
        const std::string state = row.text(0);
        if (state == "queued") m.queueDepth = row.integer(1);
        if (state == "running") m.jobsRunning = row.integer(1);
        if (state == "failed") m.jobsFailed = row.integer(1);
    }
    return m;
}

std::int64_t Store::queueDepth() const {
    auto c = _pool->acquire();
    const auto row = c->queryOne("SELECT COUNT(*) FROM jobs WHERE state = 'queued'", 1);
    return row ? row->integer(0) : 0;
}

}  // namespace formproc::storage
