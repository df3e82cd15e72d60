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
#include "formproc/document/warsaw_time.hpp"
#include "formproc/output/answer.hpp"
#include "formproc/output/atomic_file.hpp"
#include "formproc/output/campaign_report.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/output/report.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/service/processing.hpp"
#include "formproc/storage/store.hpp"
#include "formproc/util/text.hpp"
#include "summary.hpp"

namespace formproc::app {

namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultCaseSign = "LK.8520.2.{nr}.{rok}";

// The files DIR itself holds: no document's folder may take one of these names.
const std::set<std::string> kReservedNames = {"raport.csv",      "raport.pdf",      "zalacznik-1.csv",
                                              "zalacznik-1.pdf", "raport.csv.lock", "formproc-data"};

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
    std::unique_ptr<storage::Store> store;
    service::AnswerSettings answers;
    std::string casePattern = kDefaultCaseSign;
    storage::Channel channel = storage::Channel::Upload;
    std::optional<std::string> received;  // --received YYYY-MM-DD: the date of receipt
    std::optional<std::string> postmark;  // --postmark YYYY-MM-DD
    std::string instance;
};

struct Done {
    service::Processed processed;
    std::string caseSign;
};

// One input after the registration pass: what the store recorded, or why it
// was not recorded.
struct Registered {
    std::optional<storage::Registration> registration;  // nullopt: refused at ingest, or unreadable
    std::string diskError;                              // set when the file cannot be read at all
};

// Registers one file in the store: the case sign is given there, once, in
// input order; the same bytes again are a duplicate with the first one's
// sign. A file the ingest step refuses up front (too large to read) is not
// registered; one that cannot be read from disk gets its reason.
Registered registerFile(ProcessContext& ctx, pipeline::Pipeline& pipe, const std::string& path) {
    Registered out;
    pipeline::IngestOutcome ingested = pipe.ingest(pipeline::DocumentInput(path));
    if (!ingested.document && !ingested.rejected) {
        out.diskError = ingested.diskError;
        return out;
    }
    // Refused up front because it is too large to read: not stored, answered all the same.
    std::error_code ec;
    if (!ingested.document && (fs::file_size(path, ec) > pipe.options().maxFileBytes || ec)) return out;
    storage::NewSubmission submission;
    submission.campaign = ctx.env->campaign->name;
    submission.channel = ctx.channel;
    submission.casePattern = ctx.casePattern;
    const std::string today = warsawDate(std::chrono::system_clock::now()).iso();
    submission.receivedAt = ctx.received ? *ctx.received + "T10:00:00.000Z" : storage::nowTimestamp();
    submission.postmarkDate = ctx.postmark;
    submission.dateCounted =
        storage::pickDateCounted(ctx.channel, ctx.received.value_or(today), std::nullopt, ctx.postmark);
    submission.fileName = util::sanitizeUtf8(fs::path(path).filename().string(), true);
    submission.mediaType = ingested.document ? ingested.document->mediaType : ingested.rejected->mediaType;
    out.registration = ctx.store->registerSubmission(submission, readBytes(path));
    return out;
}

// Processes a registered file with the function the service uses and
// records its result (a duplicate is answered as its original's case).
Done processRegistered(ProcessContext& ctx, pipeline::Pipeline& pipe, const std::string& path,
                       const Registered& registered) {
    if (!registered.registration) {
        storage::Submission unstored;
        unstored.fileName = util::sanitizeUtf8(fs::path(path).filename().string(), true);
        unstored.channel = ctx.channel;
        unstored.dateCounted = ctx.received.value_or(warsawDate(std::chrono::system_clock::now()).iso());
        return {service::processSubmission(pipe, ctx.answers, unstored, path, ctx.instance), ""};
    }
    const storage::Registration& registration = *registered.registration;
    const storage::Submission& stored = registration.submission;
    auto claim = registration.duplicate ? std::nullopt
                                        : ctx.store->claimJobOf(stored.id, ctx.instance, std::chrono::minutes(30));
    Done done{
        service::processSubmission(pipe, ctx.answers, stored, ctx.store->blobs().path(stored.sha256), ctx.instance),
        stored.caseSign};
    if (claim) ctx.store->completeJob(*claim, done.processed.completion);
    if (registration.duplicate) {
        done.processed.result.issues.push_back(
            {std::nullopt, "duplicate", Severity::Warning,
             ctx.env->forms->catalog().text("duplicate.file", {{"sign", stored.caseSign}})});
        done.processed.answer.json = pipeline::toJson(done.processed.result);
    }
    return done;
}

// Writes one document's answers into a new folder and its row of the report.
// Throws on a failure to write.
void writeAnswers(ProcessContext& ctx, const std::string& inputPath, const Done& done) {
    const Result& result = done.processed.result;
    const output::Answer& answer = done.processed.answer;
    const std::string folder = claimFolder(ctx.outDir, inputPath);
    const fs::path dir = fs::path(ctx.outDir) / folder;
    output::writeFileAtomically((dir / "result.json").string(), answer.json + "\n");
    output::writeFileAtomically((dir / "letter.pdf").string(), answer.letterPdf);
    if (answer.filledPdf) output::writeFileAtomically((dir / "filled.pdf").string(), *answer.filledPdf);
    if (answer.epuapXml) output::writeFileAtomically((dir / "epuap.xml").string(), *answer.epuapXml);

    output::ReportRow row;
    row.folder = folder;
    row.file = util::sanitizeUtf8(fs::path(inputPath).filename().string(), true);
    row.unit = answer.unit;
    row.receivedOn = result.submitted ? result.submitted->date : std::string();
    row.decision = toString(result.decision);
    row.letter = answer.title;
    row.caseSign = done.caseSign;
    output::appendReportRow(ctx.outDir, row);
    for (const auto& warning : answer.warnings) std::cerr << "formproc: " << folder << ": " << warning << "\n";
    if (!answer.epuapError.empty()) throw std::runtime_error("epuap.xml: " + answer.epuapError);
}

std::optional<std::string> dateOption(const Arguments& args, const std::string& name) {
    if (!args.has(name)) return std::nullopt;
    const std::string value = args.get(name);
    if (!storage::isValidDate(value)) {
        std::cerr << "formproc process: --" << name << " is a date (YYYY-MM-DD), not '" << value << "'\n";
        throw std::invalid_argument(name);
    }
    return value;
}

// --date, --received, --postmark, --channel, --sign and its password;
// prints the problem and returns false on bad usage.
bool readOutputOptions(const Arguments& args, ProcessContext& ctx) {
    try {
        if (auto date = dateOption(args, "date")) ctx.answers.letterDate = validation::parseDate(*date);
        ctx.received = dateOption(args, "received");
        ctx.postmark = dateOption(args, "postmark");
    } catch (const std::invalid_argument&) {
        return false;
    }
    if (args.has("channel")) {
        const auto channel = storage::parseChannel(args.get("channel"));
        if (!channel) {
            std::cerr << "formproc process: --channel is upload, email, post or epuap\n";
            return false;
        }
        ctx.channel = *channel;
    }
    if (ctx.postmark && ctx.channel != storage::Channel::Post) {
        std::cerr << "formproc process: --postmark goes with --channel post\n";
        return false;
    }
    if (args.get("sign").empty()) return true;
    output::EpuapConfig& epuap = ctx.answers.epuap;
    epuap.pkcs12Path = args.get("sign");
    if (const std::string file = args.get("sign-password-file"); !file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cerr << "formproc process: cannot read --sign-password-file " << file << "\n";
            return false;
        }
        std::getline(in, epuap.pkcs12Password);
        if (!epuap.pkcs12Password.empty() && epuap.pkcs12Password.back() == '\r') epuap.pkcs12Password.pop_back();
    } else if (const char* env = std::getenv("FORMPROC_SIGN_PASSWORD")) {
        epuap.pkcs12Password = env;
    }
    // A certificate that cannot sign stops the run before any document is
    // taken, rather than leaving every folder without its epuap.xml.
    if (const std::string error = output::checkSigningCertificate(epuap.pkcs12Path, epuap.pkcs12Password);
        !error.empty()) {
        std::cerr << "formproc process: --sign: " << error << "\n";
        return false;
    }
    return true;
}

// The letters, the fonts, the output folder and the store; prints the
// problem and returns false when something cannot be set up.
bool prepare(const Arguments& args, const pipeline::Environment& env, ProcessContext& ctx) {
    try {
        service::AnswerSettings loaded = service::loadAnswerSettings(env, args.get("templates"));
        ctx.answers.templates = std::move(loaded.templates);
        ctx.answers.layouts = std::move(loaded.layouts);
        ctx.answers.epuap.xsdPath = loaded.epuap.xsdPath;  // the signing options stay as given
        ctx.casePattern = ctx.answers.templates->setting("wzor_znaku_sprawy", kDefaultCaseSign);
        ctx.outDir = args.get("out");
        fs::create_directories(ctx.outDir);
        // The store remembers what was processed into this folder: the same
        // file again is the same case, and case numbers go on from run to run.
        const std::string data = args.get("data", (fs::path(ctx.outDir) / "formproc-data").string());
        ctx.store = storage::Store::open(data, args.get("database"));
    } catch (const std::exception& e) {
        std::cerr << "formproc process: " << e.what() << "\n";
        return false;
    }
    ctx.instance = "process:" + std::to_string(::getpid());
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
    if (!env || !prepare(args, *env, ctx)) return kExitUsage;

    const std::size_t count = args.positional.size();
    options->workers = std::min(options->workers, count);
    pipeline::Pipeline pipe(std::move(*env), *options);
    ctx.env = &pipe.environment();
    bool failed = false;
    // Registered one after the other, so that case signs follow the command line.
    std::vector<Registered> registered;
    for (const auto& path : args.positional) {
        try {
            registered.push_back(registerFile(ctx, pipe, path));
        } catch (const std::exception& e) {
            registered.push_back({std::nullopt, std::string("cannot register: ") + e.what()});
        }
    }
    struct Outcome {
        std::optional<Done> done;
        std::string error;
    };
    runOrdered<Outcome>(
        count, options->workers,
        [&](std::size_t i) {
            Outcome outcome;
            if (!registered[i].diskError.empty()) {
                outcome.error = registered[i].diskError;
                return outcome;
            }
            try {
                outcome.done = processRegistered(ctx, pipe, args.positional[i], registered[i]);
            } catch (const std::exception& e) {
                outcome.error = std::string("internal error: ") + e.what();
            }
            return outcome;
        },
        [&](std::size_t i, Outcome&& outcome) {
            const std::string shown = shownPath(args.positional[i]);
            if (!outcome.done) {
                failed = true;
                std::cerr << "formproc: cannot read " << shown << ": " << outcome.error << "\n";
                return;
            }
            const Done& done = *outcome.done;
            std::cout << (format == "json" ? done.processed.answer.json : summaryLine(done.processed.result)) << '\n'
                      << std::flush;
            try {
                writeAnswers(ctx, args.positional[i], done);
            } catch (const std::exception& e) {
                failed = true;
                std::cerr << "formproc: cannot write the answers to " << shown << ": " << e.what() << "\n";
            }
        });
    try {
        output::writeCampaignReports(*ctx.env->campaign, *ctx.env->teryt, ctx.env->forms->catalog(), ctx.outDir,
                                     ctx.answers.letterDate.value_or(warsawDate(std::chrono::system_clock::now())));
    } catch (const std::exception& e) {
        failed = true;
        std::cerr << "formproc process: cannot write the campaign reports: " << e.what() << "\n";
    }
    return failed ? kExitFailed : kExitOk;
}

}  // namespace formproc::app
