// `formproc process PATH... --out DIR`: the pipeline's steps for each
// document, then the render step, each answer in its own folder.
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "application.hpp"
#include "formproc/output/answer.hpp"
#include "formproc/output/atomic_file.hpp"
#include "formproc/output/campaign_report.hpp"
#include "formproc/output/case_register.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/output/report.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/util/text.hpp"
#include "summary.hpp"

namespace formproc::app {

namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultCaseSign = "LK.8520.2.{nr}.{rok}";

// The files DIR itself holds: no document's folder may take one of these names.
const std::set<std::string> kReservedNames = {"raport.csv",     "raport.pdf",         "zalacznik-1.csv",
                                              "zalacznik-1.pdf", "znaki-spraw.txt",  "znaki-spraw.lock",
                                              "raport.csv.lock"};

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A folder name made from a file name: valid UTF-8, no separators or
// controls, not hidden, at most 80 characters; "dokument" when nothing is left.
std::string safeStem(const std::string& path) {
    std::string name = fs::path(path).filename().string();
    if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    name = util::collapseSpace(util::sanitizeUtf8(name, true));
    for (char& c : name)
        if (c == '/' || c == '\\' || c == '\t' || c == '\n') c = '_';
    while (!name.empty() && name.front() == '.') name.erase(name.begin());
    std::string shortened;
    std::size_t characters = 0;
    for (std::size_t i = 0; i < name.size() && characters < 80; ++characters) {
        const auto d = sdk::support::decodeUtf8At(name, i);
        shortened.append(name, i, d.size);
        i += d.size;
    }
    return shortened.empty() ? "dokument" : shortened;
}

// Creates DIR/NAME for a document, never one that exists (an earlier run's,
// another process's) and never one of DIR's own files: NAME, NAME-2, NAME-3…
// Throws std::system_error when the folder cannot be made.
std::string claimFolder(const std::string& outDir, const std::string& path) {
    const std::string base = safeStem(path);
    for (int n = 1;; ++n) {
        const std::string name = n == 1 ? base : base + "-" + std::to_string(n);
        if (kReservedNames.count(name)) continue;
        const fs::path dir = fs::path(outDir) / name;
        if (::mkdir(dir.c_str(), 0700) == 0) return name;
        if (errno != EEXIST) throw std::system_error(errno, std::generic_category(), "cannot create " + dir.string());
    }
}

struct ProcessContext {
    std::string outDir;
    const pipeline::Environment* env = nullptr;
    std::shared_ptr<const output::LetterTemplates> templates;
    std::shared_ptr<const output::IssuedForms> layouts;
    validation::Date date;
    std::unique_ptr<output::CaseRegister> cases;
    output::EpuapConfig epuap;
};

// Writes one document's answers into a new folder and its row of the report.
// Throws on a failure to write.
void writeAnswers(ProcessContext& ctx, const std::string& inputPath, const Result& result) {
    const validation::Campaign& campaign = *ctx.env->campaign;
    const std::string pattern = ctx.templates->setting("wzor_znaku_sprawy", kDefaultCaseSign);
    output::AnswerRequest request;
    request.forms = ctx.env->forms.get();
    request.campaign = &campaign;
    request.teryt = ctx.env->teryt.get();
    request.templates = ctx.templates.get();
    request.layouts = ctx.layouts.get();
    request.epuap = ctx.epuap;
    request.caseSign = ctx.cases->nextSign(campaign.name, pattern, ctx.date);
    request.date = ctx.date;
    request.fileName = util::sanitizeUtf8(fs::path(inputPath).filename().string(), true);
    request.originalBytes = readBytes(inputPath);
    const output::Answer answer = output::renderAnswer(result, request);

    const std::string folder = claimFolder(ctx.outDir, inputPath);
    const fs::path dir = fs::path(ctx.outDir) / folder;
    output::writeFileAtomically((dir / "result.json").string(), answer.json + "\n");
    output::writeFileAtomically((dir / "letter.pdf").string(), answer.letterPdf);
    if (answer.filledPdf) output::writeFileAtomically((dir / "filled.pdf").string(), *answer.filledPdf);
    if (answer.epuapXml) output::writeFileAtomically((dir / "epuap.xml").string(), *answer.epuapXml);

    output::ReportRow row;
    row.folder = folder;
    row.file = request.fileName;
    row.unit = answer.unit;
    row.receivedOn = result.submitted && !result.submitted->date.empty() ? result.submitted->date : ctx.date.iso();
    row.decision = toString(result.decision);
    row.letter = answer.title;
    row.caseSign = request.caseSign;
    output::appendReportRow(ctx.outDir, row);
    for (const auto& warning : answer.warnings) std::cerr << "formproc: " << folder << ": " << warning << "\n";
    if (!answer.epuapError.empty()) throw std::runtime_error("epuap.xml: " + answer.epuapError);
}

// --date, --sign and its password; prints the problem and returns false on bad usage.
bool readOutputOptions(const Arguments& args, ProcessContext& ctx) {
    ctx.date = output::todayLocal();
    if (const std::string date = args.get("date"); !date.empty()) {
        auto parsed = validation::parseDate(date);
        if (!parsed) {
            std::cerr << "formproc process: --date is not a date (YYYY-MM-DD): " << date << "\n";
            return false;
        }
        ctx.date = *parsed;
    }
    if (args.get("sign").empty()) return true;
    ctx.epuap.pkcs12Path = args.get("sign");
    if (const std::string file = args.get("sign-password-file"); !file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cerr << "formproc process: cannot read --sign-password-file " << file << "\n";
            return false;
        }
        std::getline(in, ctx.epuap.pkcs12Password);
        if (!ctx.epuap.pkcs12Password.empty() && ctx.epuap.pkcs12Password.back() == '\r')
            ctx.epuap.pkcs12Password.pop_back();
    } else if (const char* env = std::getenv("FORMPROC_SIGN_PASSWORD")) {
        ctx.epuap.pkcs12Password = env;
    }
    // A certificate that cannot sign stops the run before any document is
    // taken, rather than leaving every folder without its epuap.xml.
    if (const std::string error = output::checkSigningCertificate(ctx.epuap.pkcs12Path, ctx.epuap.pkcs12Password);
        !error.empty()) {
        std::cerr << "formproc process: --sign: " << error << "\n";
        return false;
    }
    return true;
}

}  // namespace

int runProcess(const Arguments& args) {
    if (args.positional.empty() || args.get("out").empty()) {
        std::cerr << "formproc process: " << (args.positional.empty() ? "no documents given" : "--out DIR is required")
                  << " (formproc process --help)\n";
        return kExitUsage;
    }
    // A summary for people by default: the JSON holds the card's personal
    // data (PESEL, a family's situation) and does not belong on a terminal
    // unless a script asks for it with --format json.
    const std::string format = args.get("format", "text");
    if (format != "json" && format != "text") {
        std::cerr << "formproc process: --format is json or text\n";
        return kExitUsage;
    }
    auto options = pipelineOptions("process", args);
    if (!options) return kExitUsage;
    ProcessContext ctx;
    if (!readOutputOptions(args, ctx)) return kExitUsage;
    auto env = loadEnvironment("process", args);
    if (!env) return kExitUsage;
    try {
        ctx.templates = output::loadLetterTemplates(args.get("templates", env->shareDir + "/templates/letters"));
        output::pdfFontFile();
        output::pdfaProfileFile();
        ctx.layouts = output::IssuedForms::loadDirectory(env->shareDir + "/templates/filled", *env->forms);
        output::answerSettingsFor(*env->campaign);
        ctx.epuap.xsdPath = env->shareDir + "/templates/epuap/pismo-ogolne.xsd";
        ctx.outDir = args.get("out");
        fs::create_directories(ctx.outDir);
        ctx.cases = std::make_unique<output::CaseRegister>(ctx.outDir);
    } catch (const std::exception& e) {
        std::cerr << "formproc process: " << e.what() << "\n";
        return kExitUsage;
    }

    const std::size_t count = args.positional.size();
    options->workers = std::min(options->workers, count);
    pipeline::Pipeline pipe(std::move(*env), *options);
    ctx.env = &pipe.environment();
    bool failed = false;
    runOrdered<DocumentOutcome>(
        count, options->workers,
        [&](std::size_t i) { return processDocument(pipe, args.positional[i], args.get("form")); },
        [&](std::size_t i, DocumentOutcome&& outcome) {
            const std::string shown = shownPath(args.positional[i]);
            if (!outcome.result) {
                failed = true;
                std::cerr << "formproc: cannot read " << shown << ": " << outcome.error << "\n";
                return;
            }
            std::cout << (format == "json" ? pipeline::toJson(*outcome.result) : summaryLine(*outcome.result)) << '\n'
                      << std::flush;
            try {
                writeAnswers(ctx, args.positional[i], *outcome.result);
            } catch (const std::exception& e) {
                failed = true;
                std::cerr << "formproc: cannot write the answers to " << shown << ": " << e.what() << "\n";
            }
        });
    try {
        output::writeCampaignReports(*ctx.env->campaign, *ctx.env->teryt, ctx.env->forms->catalog(), ctx.outDir,
                                     ctx.date);
    } catch (const std::exception& e) {
        failed = true;
        std::cerr << "formproc process: cannot write the campaign reports: " << e.what() << "\n";
    }
    return failed ? kExitFailed : kExitOk;
}

}  // namespace formproc::app
