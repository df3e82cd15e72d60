// Campaign reports written beside the letters by `formproc process`:
//   - raport.pdf: every submission handled in DIR (jednostka, data wpływu,
//     decyzja, znak sprawy), from DIR/raport.csv;
//   - zalacznik-1.csv / zalacznik-1.pdf: the current Zał. nr 1, the rural
//     gminy that applied: the campaign's list plus every rural gmina whose
//     card was processed in DIR and not turned away (rejected, late,
//     redirected), with where each entry comes from.
// Both are rebuilt from what DIR holds after every run, so that they always
// cover every run into DIR, not only the last.
#pragma once

#include <string>
#include <vector>

#include "formproc/forms/form.hpp"
#include "formproc/output/report.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/checks.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::output {

// A table for a PDF report: A4 portrait, a title and lines under it, a
// header row repeated on every page, cells wrapped to their column.
struct TableReport {
    std::string title;
    std::vector<std::string> subtitle;  // lines under the title
    struct Column {
        std::string header;
        double share;  // of the text width; the shares sum to 1
    };
    std::vector<Column> columns;
    std::vector<std::vector<std::string>> rows;
    std::string emptyText;  // printed instead of rows when there are none
    std::string author;     // the PDF's /Author (the office)
};

// The PDF (embedded DejaVu Sans, selectable Polish text, "strona X z Y" in
// the footer). Throws std::runtime_error when no font is found. Thread-safe.
std::string renderTablePdf(const TableReport& report);

// The rows of DIR/raport.csv as appendReportRow wrote them (header skipped).
// Throws std::runtime_error when a line is not in that format.
std::vector<ReportRow> readReportCsv(const std::string& path);

// One CSV line split into fields (separator ';', RFC 4180 quotes).
std::vector<std::string> splitCsvLine(const std::string& line);

// One gmina of Zał. nr 1.
struct EnrolledGmina {
    std::string teryt;   // 7 digits
    std::string nazwa;   // as in TERYT
    std::string powiat;  // TERYT name, lower case
    std::string source;  // "lista kampanii" or the case sign of the card
    std::string status;  // Polish: "na liście wyjściowej", "zakwalifikowana", "wezwana do uzupełnienia braków"
};

// The current Zał. nr 1 from the campaign's list and the result.json files
// under `outDir` (one folder per document; `report`, the rows of its
// raport.csv, gives their case signs). Sorted by TERYT code; a gmina on both
// lists appears once.
std::vector<EnrolledGmina> currentEnrolledGminy(const validation::Campaign& campaign,
                                                const validation::TerytRegister& teryt, const forms::Catalog& catalog,
                                                const std::string& outDir, const std::vector<ReportRow>& report);

// Writes DIR/raport.pdf, DIR/zalacznik-1.csv and DIR/zalacznik-1.pdf
// (atomically). Throws on a failure to read raport.csv or to write.
void writeCampaignReports(const validation::Campaign& campaign, const validation::TerytRegister& teryt,
                          const forms::Catalog& catalog, const std::string& outDir, const validation::Date& date);

}  // namespace formproc::output
