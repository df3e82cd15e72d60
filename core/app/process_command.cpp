#include "process_command.hpp"

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <sstream>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "formproc/output/atomic_file.hpp"
#include "formproc/output/campaign_report.hpp"
#include "formproc/output/case_register.hpp"
#include "formproc/output/epuap.hpp"
#include "formproc/output/form_pdf.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/output/report.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "cli_options.hpp"
#include "formproc/plugin/registry.hpp"

namespace formproc {

namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr const char* kDefaultCaseSign = "LK.8520.2.{nr}.{rok}";

const char* kProcessUsage = R"(usage: formproc process PATH... --out DIR [OPTIONS]

Like extract (the same JSON lines on standard output), and for each document
a folder DIR/NAME/ (NAME: the file name without its extension; NAME-2,
NAME-3... for later inputs of the same name) with result.json, letter.pdf
(confirmation of receipt, then the letter for the decision), epuap.xml (the
same letter as an ePUAP document, the card attached; checked against the
project's XSD) and filled.pdf (the official form filled with the values read;
not for rejected files).
Every letter gets a case sign from a counter kept in DIR/znaki-spraw.txt;
each letter is listed in DIR/raport.csv. After every run DIR/raport.pdf (the
list of submissions) and DIR/zalacznik-1.csv / .pdf (the current Zał. nr 1:
the campaign's rural gminy plus those whose cards were processed in DIR) are
written anew from everything DIR holds.

Options:
  --out DIR           where the folders go (created when missing)
  --campaign FILE     the intake campaign (default: the bundled 2018 campaign)
  --form ID           read every document as this form
  --date YYYY-MM-DD   the letters' date (default: today)
  --templates DIR     letter templates (default: the installed templates/letters)
  --sign FILE.p12     sign every epuap.xml (XAdES-BES) with this PKCS#12
                      certificate; its password is read from the file named
                      by --sign-password-file, else from the environment
                      variable FORMPROC_SIGN_PASSWORD (never from the
                      command line, where other users could see it)
  --sign-password-file FILE
  --timeout SECONDS   wall-clock limit per document (default 120)
  --workers N         documents read in parallel (default 2)
  --page-threads N    threads each worker reads a document's pages with (default: the
                      cores divided among the workers)
  --plugins DIR, --share DIR, --in-process   as for extract
)";

struct Args {
    std::vector<std::string> paths;
    std::map<std::string, std::string> options;
    std::set<std::string> flags;
    std::string get(const std::string& key, const std::string& fallback = {}) const {
        auto it = options.find(key);
        return it == options.end() ? fallback : it->second;
    }
};

std::optional<Args> parse(int argc, char** argv, int first, const std::set<std::string>& valued,
                          const std::set<std::string>& boolean, const char* command) {
    Args args;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            for (++i; i < argc; ++i) args.paths.emplace_back(argv[i]);
            break;
        }
        if (a.rfind("--", 0) != 0) {
            args.paths.push_back(a);
            continue;
        }
        std::string key = a.substr(2), value;
        bool inlineValue = false;
        if (auto eq = key.find('='); eq != std::string::npos) {
            value = key.substr(eq + 1);
            key.resize(eq);
            inlineValue = true;
        }
        if (valued.count(key)) {
            if (!inlineValue) {
                if (i + 1 >= argc) {
                    std::cerr << "formproc " << command << ": --" << key << " needs a value\n";
                    return std::nullopt;
                }
                value = argv[++i];
            }
            args.options[key] = value;
        } else if (boolean.count(key) && !inlineValue) {
            args.flags.insert(key);
        } else {
            std::cerr << "formproc " << command << ": unknown option --" << key << "\n";
            return std::nullopt;
        }
    }
    return args;
}

// DIR/NAME folder names in input order: the file name without extension,
// NAME-2, NAME-3... when taken.
std::vector<std::string> folderNames(const std::vector<std::string>& paths) {
    std::set<std::string> used;
    std::vector<std::string> names;
    for (const auto& path : paths) {
        std::string base = fs::path(path).stem().string();
        if (base.empty() || base == "." || base == "..") base = "dokument";
        std::string name = base;
        for (int n = 2; used.count(name); ++n) name = base + "-" + std::to_string(n);
        used.insert(name);
        names.push_back(name);
    }
    return names;
}

// What the report calls the unit that sent the document.
std::string reportUnit(const Result& result, const output::TemplateData& data) {
    auto value = [&](const char* key) {
        auto it = data.values.find(key);
        return it == data.values.end() ? std::string() : it->second;
    };
    if (!value("jednostka").empty()) return value("jednostka");
    return value("dokument_mianownik").empty() ? result.source : value("dokument_mianownik");
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct OutputContext {
    std::string outDir;
    std::string shareDir;
    const pipeline::Environment* env = nullptr;
    std::shared_ptr<const output::LetterTemplates> templates;
    validation::Date date;
    std::unique_ptr<output::CaseRegister> cases;
    std::string pkcs12Path;
    std::string pkcs12Password;
};

// Writes one document's folder. Throws on a failure to write.
void writeOutputs(OutputContext& ctx, const std::string& inputPath, const std::string& folder, const Result& result,
                  const std::string& json) {
    const fs::path dir = fs::path(ctx.outDir) / folder;
    fs::create_directories(dir);
    output::writeFileAtomically((dir / "result.json").string(), json + "\n");

    const forms::Form* form = result.form ? ctx.env->forms->byId(*result.form) : nullptr;
    const validation::Campaign& campaign = *ctx.env->campaign;
    const std::string pattern = ctx.templates->setting("wzor_znaku_sprawy", kDefaultCaseSign);
    const std::string caseSign = ctx.cases->nextSign(campaign.name, pattern, ctx.date);

    output::LetterRequest request;
    request.result = &result;
    request.form = form;
    request.campaign = &campaign;
    request.teryt = ctx.env->teryt.get();
    request.caseSign = caseSign;
    request.date = ctx.date;
    request.fileName = fs::path(inputPath).filename().string();
    const std::string letterBytes = output::renderLetterPdf(*ctx.templates, request);
    output::writeFileAtomically((dir / "letter.pdf").string(), letterBytes);

    if (form) {
        output::writeFileAtomically((dir / "filled.pdf").string(), output::renderFormPdf(*form, &result, campaign.name));
    } else {
        // A rerun that now rejects the file must not leave an old form beside it.
        std::error_code ec;
        fs::remove(dir / "filled.pdf", ec);
    }
    std::string epuapError;
    // The ePUAP document: the letter attached as PDF, its gist as text, and
    // the original card. A rejected file names no addressee (no card data), so
    // it gets no epuap.xml; its letter goes back by the channel it came in.
    {
        output::EpuapInput in(result, campaign);
        in.teryt = ctx.env->teryt.get();
        in.title = output::letterTitle(result.decision);
        std::string text = output::letterTitle(result.decision) + "\n\nZnak sprawy: " + caseSign;
        for (const auto& issue : result.issues)
            if (issue.severity != Severity::Review) text += "\n\n" + issue.message;
        text += "\n\nTreść pisma w załączniku „pismo.pdf”.";
        in.letterText = text;
        in.letterPdf = letterBytes;
        in.originalBytes = readBytes(inputPath);
        in.originalName = fs::path(inputPath).filename().string();
        in.date = ctx.date.iso();
        in.caseSign = caseSign;
        if (!output::epuapAddressee(result, in.teryt)) {
            // A file we could not read names no powiat or gmina: the answer
            // goes back to whoever sent it, whom the office names when it
            // sends the document (ePUAP fills in the sender's box itself).
            output::EpuapParty sender;
            sender.name = "Nadawca pliku „" + in.originalName + "”";
            in.addressee = sender;
        }
        output::EpuapConfig config;
        config.xsdPath = ctx.shareDir + "/templates/epuap/pismo-ogolne.xsd";
        config.pkcs12Path = ctx.pkcs12Path;
        config.pkcs12Password = ctx.pkcs12Password;
        output::EpuapDocument doc = output::renderEpuapDocument(in, config);
        std::error_code ec;
        if (doc) {
            output::writeFileAtomically((dir / "epuap.xml").string(), doc.xml);
        } else {
            fs::remove(dir / "epuap.xml", ec);
            epuapError = doc.error;
        }
    }

    const output::TemplateData data = output::letterData(request);
    output::ReportRow row;
    row.folder = folder;
    row.file = request.fileName;
    row.unit = reportUnit(result, data);
    row.receivedOn = result.submitted && !result.submitted->date.empty() ? result.submitted->date : ctx.date.iso();
    row.decision = result.decision;
    row.letter = output::letterTitle(result.decision);
    row.caseSign = caseSign;
    output::appendReportRow(ctx.outDir, row);
    if (!epuapError.empty()) throw std::runtime_error("epuap.xml: " + epuapError);
}

}  // namespace

int runProcess(int argc, char** argv) {
    auto args = parse(argc, argv, 2,
                      {"out", "campaign", "form", "timeout", "workers", "page-threads", "plugins", "share", "templates", "date", "sign",
                       "sign-password-file"},
                      {"in-process", "help"}, "process");
    if (!args) {
        std::cerr << kProcessUsage;
        return kExitUsage;
    }
    if (args->flags.count("help")) {
        std::cout << kProcessUsage;
        return kExitOk;
    }
    if (args->paths.empty() || args->get("out").empty()) {
        std::cerr << "formproc process: " << (args->paths.empty() ? "no documents given" : "--out DIR is required")
                  << "\n" << kProcessUsage;
        return kExitUsage;
    }
    auto parsedOptions = app::pipelineOptions("process", args->get("timeout"), args->get("workers"),
                                              args->flags.count("in-process") > 0, args->get("page-threads"));
    if (!parsedOptions) return kExitUsage;
    pipeline::Options options = *parsedOptions;

    OutputContext ctx;
    ctx.date = output::todayLocal();
    if (const std::string date = args->get("date"); !date.empty()) {
        auto parsed = validation::parseDate(date);
        if (!parsed) {
            std::cerr << "formproc process: --date is not a date: " << date << "\n";
            return kExitUsage;
        }
        ctx.date = *parsed;
    }

    if (!args->get("sign").empty()) {
        ctx.pkcs12Path = args->get("sign");
        if (const std::string file = args->get("sign-password-file"); !file.empty()) {
            std::ifstream in(file, std::ios::binary);
            if (!in) {
                std::cerr << "formproc process: cannot read --sign-password-file " << file << "\n";
                return kExitUsage;
            }
            std::getline(in, ctx.pkcs12Password);
            if (!ctx.pkcs12Password.empty() && ctx.pkcs12Password.back() == '\r') ctx.pkcs12Password.pop_back();
        } else if (const char* env = std::getenv("FORMPROC_SIGN_PASSWORD")) {
            ctx.pkcs12Password = env;
        }
        // A certificate that cannot sign stops the run before any document
        // is taken, rather than leaving every folder without its epuap.xml.
        if (const std::string error = output::checkSigningCertificate(ctx.pkcs12Path, ctx.pkcs12Password);
            !error.empty()) {
            std::cerr << "formproc process: --sign: " << error << "\n";
            return kExitUsage;
        }
    }

    pipeline::Environment env;
    const std::string shareDir = args->get("share", plugin::defaultShareDir());
    try {
        env = pipeline::loadEnvironment(shareDir, args->get("plugins", plugin::defaultPluginDir()),
                                        args->get("campaign"));
        ctx.shareDir = shareDir;
        ctx.templates = output::loadLetterTemplates(args->get("templates", shareDir + "/templates/letters"));
        output::pdfFontFile();
    } catch (const std::exception& e) {
        std::cerr << "formproc: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const auto& failure : env.plugins->failures()) std::cerr << "formproc: refused " << failure.reason << "\n";
    const std::string forcedForm = args->get("form");
    if (!forcedForm.empty() && !env.forms->byId(forcedForm)) {
        std::cerr << "formproc process: unknown form '" << forcedForm << "'\n";
        return kExitUsage;
    }
    ctx.outDir = args->get("out");
    try {
        fs::create_directories(ctx.outDir);
        ctx.cases = std::make_unique<output::CaseRegister>(ctx.outDir);
    } catch (const std::exception& e) {
        std::cerr << "formproc process: cannot create " << ctx.outDir << ": " << e.what() << "\n";
        return kExitUsage;
    }

    const std::size_t count = args->paths.size();
    const std::vector<std::string> folders = folderNames(args->paths);
    options.workers = std::min(options.workers, count);
    pipeline::Pipeline pipe(std::move(env), options);
    ctx.env = &pipe.environment();

    std::vector<std::optional<Result>> results(count);
    std::vector<bool> done(count, false);
    std::mutex mutex;
    std::condition_variable ready;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};

    auto work = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            pipeline::DocumentInput input;
            input.path = args->paths[i];
            input.forceForm = forcedForm;
            std::optional<Result> result;
            try {
                result = pipe.process(input);
                if (!result) {
                    failed = true;
                    std::cerr << "formproc: cannot read " << input.path << "\n";
                }
            } catch (const std::exception& e) {
                failed = true;
                std::cerr << "formproc: internal error on " << input.path << ": " << e.what() << "\n";
            }
            std::lock_guard lock(mutex);
            results[i] = std::move(result);
            done[i] = true;
            ready.notify_all();
        }
    };
    // Outputs are written in input order by one thread: case signs then
    // follow the order of the command line, whatever finishes first.
    std::thread writer([&] {
        for (std::size_t i = 0; i < count; ++i) {
            std::optional<Result> result;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] { return done[i]; });
                result = std::move(results[i]);
            }
            if (!result) continue;
            const std::string json = pipeline::toJson(*result);
            std::cout << json << '\n' << std::flush;
            try {
                writeOutputs(ctx, args->paths[i], folders[i], *result, json);
            } catch (const std::exception& e) {
                failed = true;
                std::cerr << "formproc: cannot write the outputs of " << args->paths[i] << ": " << e.what() << "\n";
            }
        }
    });
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < options.workers; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    writer.join();
    try {
        output::writeCampaignReports(*ctx.env->campaign, *ctx.env->teryt, ctx.outDir, ctx.date);
    } catch (const std::exception& e) {
        failed = true;
        std::cerr << "formproc process: cannot write the campaign reports: " << e.what() << "\n";
    }
    return failed ? kExitFailed : kExitOk;
}

int runForm(int argc, char** argv) {
    auto args = parse(argc, argv, 2, {"out", "share", "campaign"}, {}, "form");
    if (!args || args->paths.size() != 2 || args->paths[0] != "blank" || args->get("out").empty()) {
        std::cerr << "usage: formproc form blank ID --out FILE [--share DIR] [--campaign FILE]\n";
        return kExitUsage;
    }
    try {
        const std::string shareDir = args->get("share", plugin::defaultShareDir());
        auto forms = forms::FormRegistry::loadDirectory(shareDir + "/forms");
        const forms::Form* form = forms->byId(args->paths[1]);
        if (!form) {
            std::cerr << "formproc form: unknown form '" << args->paths[1] << "'\n";
            return kExitUsage;
        }
        std::string subtitle;
        const std::string campaignPath = args->get("campaign", shareDir + "/data/campaigns/liderzy-kooperacji-2018.json");
        std::error_code ec;
        if (fs::exists(campaignPath, ec)) subtitle = validation::Campaign::load(campaignPath).name;
        output::writeFileAtomically(args->get("out"), output::renderFormPdf(*form, nullptr, subtitle));
    } catch (const std::system_error& e) {
        std::cerr << "formproc form: " << e.what() << "\n";
        return kExitFailed;
    } catch (const std::exception& e) {
        std::cerr << "formproc form: " << e.what() << "\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace formproc
