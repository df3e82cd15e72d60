#include "formproc/output/campaign_report.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "formproc/output/atomic_file.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/util/text.hpp"
#include "pdf_support.hpp"

namespace formproc::output {

namespace fs = std::filesystem;

namespace {

constexpr double kMargin = 42.5;  // 15 mm
constexpr double kTextWidth = pdf::kPageWidth - 2 * kMargin;
constexpr double kTop = 56.7;
constexpr double kBottom = 56.7;
constexpr double kCellSize = 8.5;
constexpr double kCellLeading = 11.0;
constexpr double kCellPad = 3.0;

using Page = pdf::PageOps;

// The lines `text` takes in a cell `width` wide; a word longer than the
// cell is broken between letters.
std::vector<std::string> wrap(PoDoFo::PdfFont* font, double size, const std::string& text, double width) {
    std::vector<std::string> lines;
    std::string line;
    std::istringstream words(text);
    std::string word;
    auto fits = [&](const std::string& s) { return pdf::textWidth(font, size, s) <= width; };
    while (words >> word) {
        const std::string joined = line.empty() ? word : line + " " + word;
        if (fits(joined)) {
            line = joined;
            continue;
        }
        if (!line.empty()) lines.push_back(line);
        line.clear();
        if (fits(word)) {
            line = word;
            continue;
        }
        for (const auto& cp : pdf::codePoints(word)) {
            if (!line.empty() && !fits(line + cp)) {
                lines.push_back(line);
                line.clear();
            }
            line += cp;
        }
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

// The decision as the report's reader says it (messages.xml).
std::string decisionPl(const forms::Catalog& catalog, const std::string& decision) {
    const auto d = decisionFromString(decision);
    return d ? catalog.decision(*d).report : decision;
}

}  // namespace

std::string renderTablePdf(const TableReport& report) {
    std::lock_guard lock(pdf::podofoMutex());
    PoDoFo::PdfMemDocument doc;
    const pdf::Fonts fonts = pdf::createFonts(doc);

    std::vector<double> xs{kMargin};
    for (const auto& c : report.columns) xs.push_back(xs.back() + c.share * kTextWidth);
    xs.back() = kMargin + kTextWidth;

    std::vector<Page> pages;
    double y = 0;  // PDF y of the next row's top
    auto cellLines = [&](const std::vector<std::string>& cells, bool bold) {
        std::vector<std::vector<std::string>> out;
        for (std::size_t i = 0; i < report.columns.size(); ++i)
            out.push_back(wrap(bold ? fonts.bold : fonts.regular, kCellSize, i < cells.size() ? cells[i] : "",
                               xs[i + 1] - xs[i] - 2 * kCellPad));
        return out;
    };
    auto drawRow = [&](const std::vector<std::vector<std::string>>& lines, bool bold) {
        std::size_t height = 1;
        for (const auto& l : lines) height = std::max(height, l.size());
        const double rowHeight = static_cast<double>(height) * kCellLeading + 2 * kCellPad;
        Page& page = pages.back();
        for (std::size_t i = 0; i < lines.size(); ++i)
            for (std::size_t k = 0; k < lines[i].size(); ++k)
                page.texts.push_back({xs[i] + kCellPad,
                                      y - kCellPad - kCellSize - static_cast<double>(k) * kCellLeading, kCellSize, bold,
                                      0.0, lines[i][k]});
        for (double x : xs) page.lines.push_back({x, y, x, y - rowHeight});
        page.lines.push_back({xs.front(), y - rowHeight, xs.back(), y - rowHeight});
        y -= rowHeight;
    };
    std::vector<std::string> headers;
    for (const auto& c : report.columns) headers.push_back(c.header);
    const auto headerLines = cellLines(headers, true);
    auto newPage = [&](bool first) {
        pages.emplace_back();
        y = pdf::kPageHeight - kTop;
        if (first) {
            pages.back().texts.push_back({kMargin, y - 14, 14, true, 0.0, report.title});
            y -= 24;
            for (const auto& line : report.subtitle) {
                for (const auto& part : wrap(fonts.regular, 9.5, line, kTextWidth)) {
                    pages.back().texts.push_back({kMargin, y - 10, 9.5, false, 0.0, part});
                    y -= 13;
                }
            }
            y -= 8;
        }
        pages.back().lines.push_back({xs.front(), y, xs.back(), y});
        drawRow(headerLines, true);
    };
    newPage(true);
    if (report.rows.empty() && !report.emptyText.empty()) {
        pages.back().texts.push_back({kMargin, y - 16, 9.5, false, 0.0, report.emptyText});
    }
    for (const auto& row : report.rows) {
        const auto lines = cellLines(row, false);
        std::size_t height = 1;
        for (const auto& l : lines) height = std::max(height, l.size());
        if (y - (static_cast<double>(height) * kCellLeading + 2 * kCellPad) < kBottom) newPage(false);
        drawRow(lines, false);
    }

    PoDoFo::PdfPainter painter;
    const std::size_t total = pages.size();
    for (std::size_t n = 0; n < total; ++n) {
        Page& page = pages[n];
        const std::string footer = "strona " + std::to_string(n + 1) + " z " + std::to_string(total);
        page.texts.push_back(
            {(pdf::kPageWidth - pdf::textWidth(fonts.regular, 7.5, footer)) / 2.0, 30.0, 7.5, false, 0.35, footer});
        pdf::paintPage(doc, painter, fonts, page);
    }
    pdf::setInfo(doc, report.title, report.author);
    return pdf::toBytes(doc);
}

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false, wasQuoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.empty() && !wasQuoted) {
            quoted = wasQuoted = true;
        } else if (c == ';') {
            fields.push_back(std::move(field));
            field.clear();
            wasQuoted = false;
        } else {
            field += c;
        }
    }
    if (quoted) throw std::runtime_error("unterminated quote");
    fields.push_back(std::move(field));
    return fields;
}

std::vector<ReportRow> readReportCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<ReportRow> rows;
    if (!in) return rows;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    // Records end with CRLF; a quoted field may hold a line break itself.
    std::vector<std::string> records;
    std::string record;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (!quoted && c == '\n') {
            if (!record.empty() && record.back() == '\r') record.pop_back();
            records.push_back(std::move(record));
            record.clear();
            continue;
        }
        record += c;
    }
    if (!record.empty()) records.push_back(record);
    int number = 0;
    for (const auto& r : records) {
        ++number;
        if (number == 1 || r.empty()) continue;  // header
        std::vector<std::string> f;
        try {
            f = splitCsvLine(r);
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ":" + std::to_string(number) + ": " + e.what());
        }
        if (f.size() != 7) throw std::runtime_error(path + ":" + std::to_string(number) + ": expected 7 fields");
        rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
    }
    return rows;
}

std::vector<EnrolledGmina> currentEnrolledGminy(const validation::Campaign& campaign,
                                                const validation::TerytRegister& teryt, const forms::Catalog& catalog,
                                                const std::string& outDir, const std::vector<ReportRow>& report) {
    std::map<std::string, EnrolledGmina> byCode;
    auto powiatOf = [&](const std::string& code) {
        const validation::TerytUnit* p = code.size() >= 4 ? teryt.byCode(code.substr(0, 4)) : nullptr;
        return p ? p->name : std::string();
    };
    for (const auto& g : campaign.enrolledGminy) {
        const validation::TerytUnit* unit = teryt.byCode(g.teryt);
        byCode[g.teryt] = {g.teryt, unit ? unit->name : g.nazwa, powiatOf(g.teryt),
                           catalog.text("annex.source.campaign"), catalog.text("annex.status.campaign")};
    }
    // The latest case sign of each folder (a rerun into DIR adds a row).
    std::map<std::string, std::string> signs;
    for (const auto& row : report) signs[row.folder] = row.caseSign;

    std::error_code ec;
    std::vector<fs::path> folders;
    for (fs::directory_iterator it(outDir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) folders.push_back(it->path());
    std::sort(folders.begin(), folders.end());
    for (const auto& folder : folders) {
        std::ifstream in(folder / "result.json", std::ios::binary);
        if (!in) continue;
        std::ostringstream json;
        json << in.rdbuf();
        Poco::JSON::Object::Ptr result;
        try {
            Poco::JSON::Parser parser;
            result = parser.parse(json.str()).extract<Poco::JSON::Object::Ptr>();
        } catch (const std::exception&) {
            continue;  // not ours, or damaged: it lists no gmina
        }
        if (!result || result->optValue<std::string>("form", "") != "karta-gminy") continue;
        const auto decision = decisionFromString(result->optValue<std::string>("decision", ""));
        // Only decisions that name a status keep a gmina on the list
        // (qualified, called to complete); rejected, late or redirected: not enrolled.
        const std::string status = decision ? catalog.decision(*decision).status : std::string();
        if (status.empty()) continue;
        auto fields = result->getObject("fields");
        auto code = fields ? fields->getObject("teryt_gminy") : nullptr;
        const std::string terytCode = code ? code->optValue<std::string>("value", "") : "";
        const validation::TerytUnit* unit = teryt.byCode(terytCode);
        if (!unit || unit->kind != 2) continue;  // only rural gminy are on the list
        auto sign = signs.find(folder.filename().string());
        EnrolledGmina& entry = byCode[terytCode];
        const bool listed = !entry.teryt.empty();
        entry.teryt = terytCode;
        entry.nazwa = unit->name;
        entry.powiat = powiatOf(terytCode);
        const std::string card = "karta " + (sign == signs.end() ? folder.filename().string() : sign->second);
        entry.source = listed ? entry.source + "; " + card : card;
        // A qualified card outranks an incomplete one of the same gmina.
        if (!listed || entry.status != catalog.decision(Decision::Qualified).status) entry.status = status;
    }
    std::vector<EnrolledGmina> out;
    for (auto& [code, g] : byCode) out.push_back(std::move(g));
    return out;
}

void writeCampaignReports(const validation::Campaign& campaign, const validation::TerytRegister& teryt,
                          const forms::Catalog& catalog, const std::string& outDir, const validation::Date& date) {
    const std::vector<ReportRow> rows = readReportCsv(outDir + "/raport.csv");
    TableReport report;
    report.title = "Wykaz zgłoszeń";
    report.subtitle = {campaign.name, campaign.office.name,
                       "Stan na " + longDatePl(date) + "; zgłoszeń: " + std::to_string(rows.size()) + "."};
    report.columns = {
        {"Lp.", 0.06}, {"Jednostka", 0.34}, {"Data wpływu", 0.13}, {"Decyzja", 0.25}, {"Znak sprawy", 0.22}};
    report.emptyText = "Brak zgłoszeń.";
    report.author = campaign.office.name;
    int lp = 0;
    for (const auto& row : rows) {
        auto received = validation::parseDate(row.receivedOn);
        report.rows.push_back({std::to_string(++lp) + ".", row.unit, received ? shortDatePl(*received) : row.receivedOn,
                               decisionPl(catalog, row.decision), row.caseSign});
    }
    writeFileAtomically(outDir + "/raport.pdf", renderTablePdf(report));

    const std::vector<EnrolledGmina> gminy = currentEnrolledGminy(campaign, teryt, catalog, outDir, rows);
    std::string csv =
        "\xEF\xBB\xBF"
        "lp;kod TERYT;gmina;powiat;źródło;status\r\n";
    TableReport annex;
    annex.title = "Zał. nr 1 – wykaz gmin wiejskich zgłoszonych do projektu";
    annex.subtitle = {campaign.name, campaign.office.name,
                      "Stan na " + longDatePl(date) + "; gmin: " + std::to_string(gminy.size()) + "."};
    annex.columns = {{"Lp.", 0.06},    {"Kod TERYT", 0.12}, {"Gmina", 0.18},
                     {"Powiat", 0.16}, {"Źródło", 0.26},    {"Status", 0.22}};
    annex.emptyText = "Żadna gmina wiejska nie zgłosiła się dotąd do projektu.";
    annex.author = campaign.office.name;
    lp = 0;
    for (const auto& g : gminy) {
        ++lp;
        csv += std::to_string(lp) + ";" + csvField(g.teryt) + ";" + csvField(g.nazwa) + ";" + csvField(g.powiat) + ";" +
               csvField(g.source) + ";" + csvField(g.status) + "\r\n";
        annex.rows.push_back({std::to_string(lp) + ".", g.teryt, g.nazwa, g.powiat, g.source, g.status});
    }
    writeFileAtomically(outDir + "/zalacznik-1.csv", csv);
    writeFileAtomically(outDir + "/zalacznik-1.pdf", renderTablePdf(annex));
}

}  // namespace formproc::output
