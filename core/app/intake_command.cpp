// `formproc intake SOURCE [--data DIR]`: every message of a mailbox once,
// each attachment registered as a submission (service::MailIntake) and then
// processed with the very function `process` and the service use; one JSON
// line (or summary line) per attachment. Without --data the store is a
// temporary one, removed at the end, and the mailbox is only read: nothing is
// remembered and nothing is marked on the server.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "application.hpp"
#include "formproc/intake/mail_source.hpp"
#include "formproc/service/mail_intake.hpp"
#include "formproc/service/processing.hpp"
#include "formproc/service/replies.hpp"
#include "formproc/storage/store.hpp"
#include "summary.hpp"

namespace formproc::app {

namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultCaseSign = "LK.8520.2.{nr}.{rok}";
// Attachments registered before the batch is processed: bounds the memory
// and keeps the ledger's leases short.
constexpr std::size_t kBatch = 16;

// A store in a fresh temporary folder, removed with this object.
class TemporaryData {
public:
    TemporaryData() {
        // Nothing of it is kept, so nothing needs to reach a disk: on tmpfs
        // (/dev/shm) its fsyncs cost nothing. TMPDIR, when set, wins.
        std::error_code ec;
        const bool shm =
            std::getenv("TMPDIR") == nullptr && fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0;
        std::string pattern =
            ((shm ? fs::path("/dev/shm") : fs::temp_directory_path()) / "formproc-intake-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder");
        _path = pattern;
    }
    ~TemporaryData() {
        std::error_code ec;
        fs::remove_all(_path, ec);
    }
    TemporaryData(const TemporaryData&) = delete;
    TemporaryData& operator=(const TemporaryData&) = delete;
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

struct IntakeContext {
    std::unique_ptr<TemporaryData> temporary;
    std::unique_ptr<storage::Store> store;
    service::AnswerSettings answers;
    std::string instance;
    std::string format;
    bool remembers = false;                   // --data: a second run takes nothing again
    std::optional<intake::SmtpConfig> reply;  // --reply: letters e-mailed to their senders
    int lock = -1;                            // DATA/intake.lock, held while this intake runs
    ~IntakeContext() {
        if (lock >= 0) ::close(lock);
    }
};

// One intake at a time per data folder, so that its owner id can be stable:
// a killed run's messages and jobs are its own to take again. False (with
// the reason printed) when another intake holds the folder.
bool lockDataFolder(IntakeContext& ctx, const std::string& data) {
    fs::create_directories(data);
    ctx.lock = ::open((fs::path(data) / "intake.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (ctx.lock < 0 || ::flock(ctx.lock, LOCK_EX | LOCK_NB) != 0) {
        std::cerr << "formproc intake: another intake is running on " << data << "\n";
        return false;
    }
    char host[256] = "host";
    ::gethostname(host, sizeof host - 1);
    ctx.instance = std::string("intake@") + host;
    return true;
}

struct Counts {
    std::size_t messages = 0, skipped = 0, withoutAttachment = 0, attachments = 0, failed = 0, replies = 0,
                repliesFailed = 0;
};

// Progress for a person at a terminal, on stderr (stdout stays the results).
void showProgress(const Counts& counts, bool done) {
    static const bool tty = ::isatty(STDERR_FILENO) == 1;
    static const auto start = std::chrono::steady_clock::now();
    if (!tty) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto rate = static_cast<long>(seconds > 0 ? static_cast<double>(counts.messages) / seconds : 0.0);
    std::cerr << "\rformproc intake: wiadomości " << counts.messages << ", załączników " << counts.attachments << ", "
              << rate << " wiad./s, " << static_cast<long>(seconds) << " s" << (done ? "\n" : "") << std::flush;
}

// The same message taken again with a file not seen before: said, so that
// a person checks it (the same file is said by the store's duplicate).
void addMessageDuplicate(Result& result, const service::TakenAttachment& taken, const forms::Catalog& catalog) {
    if (!taken.messageSeenBefore || taken.registration->duplicate) return;
    result.issues.push_back({std::nullopt, "duplicate", Severity::Warning,
                             catalog.text("duplicate.message", {{"sign", taken.registration->submission.caseSign}})});
}

// Processes the registered attachments of a batch on the pipeline's workers
// and prints each one's line in mailbox order.
void processBatch(IntakeContext& ctx, pipeline::Pipeline& pipe, std::vector<service::TakenAttachment>& batch,
                  Counts& counts) {
    struct Outcome {
        std::optional<Result> result;
        std::string error;
        std::optional<service::ReplyOutcome> reply;
        std::string replyError;
    };
    const forms::Catalog& catalog = pipe.environment().forms->catalog();
    runOrdered<Outcome>(
        batch.size(), pipe.options().workers,
        [&](std::size_t i) {
            Outcome outcome;
            const service::TakenAttachment& taken = batch[i];
            if (taken.refused) {
                outcome.result = *taken.refused;
                return outcome;
            }
            try {
                if (!ctx.remembers) {
                    // Nothing is kept: the result alone, as `extract` gives it.
                    outcome.result = service::readRegistered(*ctx.store, pipe, *taken.registration);
                    addMessageDuplicate(*outcome.result, taken, catalog);
                    return outcome;
                }
                auto processed =
                    service::processRegistered(*ctx.store, pipe, ctx.answers, *taken.registration, ctx.instance);
                addMessageDuplicate(processed.result, taken, catalog);
                if (ctx.reply) {
                    intake::ReplySender sender(*ctx.reply);
                    outcome.reply = service::replyWithLetter(*ctx.store, sender, catalog, *pipe.environment().campaign,
                                                             taken.registration->submission, processed, ctx.instance,
                                                             &outcome.replyError);
                }
                outcome.result = std::move(processed.result);
            } catch (const std::exception& e) {
                outcome.error = e.what();
            }
            return outcome;
        },
        [&](std::size_t, Outcome&& outcome) {
            if (outcome.reply == service::ReplyOutcome::Sent) ++counts.replies;
            if (outcome.reply == service::ReplyOutcome::Failed) {
                ++counts.repliesFailed;
                std::cerr << "formproc intake: a reply was not sent (tried again next run): " << outcome.replyError
                          << "\n";
            }
            if (!outcome.result) {
                ++counts.failed;
                std::cerr << "formproc intake: an attachment could not be processed: " << outcome.error << "\n";
                return;
            }
            std::cout << (ctx.format == "json" ? pipeline::toJson(*outcome.result) : summaryLine(*outcome.result))
                      << '\n'
                      << std::flush;
        });
    batch.clear();
}

// Takes every message of the source and processes its attachments in
// batches; a batch's messages are marked on the server once it is processed.
// False (the reason printed) when the run stopped on a store or disk failure.
bool takeAll(IntakeContext& ctx, pipeline::Pipeline& pipe, intake::MailSource& source, service::MailIntake& mail,
             Counts& counts) {
    std::vector<service::TakenAttachment> batch;
    std::vector<service::TakenMessage> messages;  // the batch's messages, marked once it is processed
    auto flush = [&] {
        processBatch(ctx, pipe, batch, counts);
        for (auto& taken : messages) mail.finish(source, taken);
        messages.clear();
    };
    try {
        if (ctx.remembers) mail.finishPending(source);
        while (auto message = source.next()) {
            ++counts.messages;
            service::TakenMessage taken = mail.take(*message);
            if (taken.skipped) {
                ++counts.skipped;
                continue;
            }
            if (!taken.problem.empty()) {
                ++counts.withoutAttachment;
                std::cerr << "formproc intake: message " << counts.messages << ": " << taken.problem << "\n";
            }
            counts.attachments += taken.attachments.size();
            for (auto& attachment : taken.attachments) batch.push_back(attachment);
            messages.push_back(std::move(taken));
            if (batch.size() >= kBatch) flush();
            showProgress(counts, false);
        }
        flush();
    } catch (const std::exception& e) {
        std::cerr << "formproc intake: stopped: " << e.what() << "\n";
        return false;
    }
    return true;
}

bool prepare(const Arguments& args, const pipeline::Environment& env, IntakeContext& ctx) {
    try {
        service::AnswerSettings loaded = service::loadAnswerSettings(env, args.get("templates"));
        ctx.answers.templates = std::move(loaded.templates);
        ctx.answers.layouts = std::move(loaded.layouts);
        ctx.answers.epuap = loaded.epuap;
        if (args.has("date")) ctx.answers.letterDate = validation::parseDate(args.get("date"));
        ctx.remembers = args.has("data");
        if (args.has("reply")) {
            std::string error;
            ctx.reply = service::smtpConfigFromUrl(args.get("reply"), error);
            if (!ctx.reply) throw std::invalid_argument("--reply: " + error);
            // Each reply goes at most once: only a store that remembers can say so.
            if (!ctx.remembers) throw std::invalid_argument("--reply needs --data");
        }
        std::string data = args.get("data");
        if (!ctx.remembers) {
            ctx.temporary = std::make_unique<TemporaryData>();
            data = ctx.temporary->path();
        }
        if (ctx.remembers && !lockDataFolder(ctx, data)) return false;
        const char* database = std::getenv("FORMPROC_DATABASE");
        ctx.store =
            storage::Store::open(data, ctx.remembers ? args.get("database", database ? database : "") : std::string());
    } catch (const std::exception& e) {
        std::cerr << "formproc intake: " << e.what() << "\n";
        return false;
    }
    if (ctx.instance.empty()) ctx.instance = "intake:" + std::to_string(::getpid());
    // A killed run of this intake left its jobs claimed: they are queued again.
    ctx.store->requeueHeldBy(ctx.instance);
    return true;
}

}  // namespace

int runIntake(const Arguments& args) {
    if (args.positional.size() != 1) {
        std::cerr << "formproc intake: give one SOURCE (mbox:FILE, maildir:DIR, eml:DIR, imap[s]://…, pop3[s]://…)"
                     " (formproc intake --help)\n";
        return kExitUsage;
    }
    IntakeContext ctx;
    ctx.format = args.get("format", "json");
    if (ctx.format != "json" && ctx.format != "text") {
        std::cerr << "formproc intake: --format is json or text\n";
        return kExitUsage;
    }
    if (args.has("date") && !storage::isValidDate(args.get("date"))) {
        std::cerr << "formproc intake: --date takes YYYY-MM-DD\n";
        return kExitUsage;
    }
    auto options = pipelineOptions("intake", args);
    if (!options) return kExitUsage;
    auto env = loadEnvironment("intake", args);
    if (!env || !prepare(args, *env, ctx)) return kExitUsage;

    intake::SourceOptions sourceOptions;
    // Without --data nothing is remembered, so nothing may be marked either.
    if (!ctx.remembers) sourceOptions.imapAction = intake::ImapAction::None;
    const std::string spec = args.positional.front();
    intake::OpenedSource opened = intake::openSource(spec, intake::credentialsFromEnvironment(), sourceOptions);
    if (!opened.source) {
        std::cerr << "formproc intake: " << opened.error << "\n";
        return kExitUsage;
    }
    intake::MailSource& source = *opened.source;

    pipeline::Pipeline pipe(std::move(*env), *options);
    service::MailIntakeOptions intakeOptions;
    intakeOptions.campaign = pipe.environment().campaign->name;
    intakeOptions.casePattern = ctx.answers.templates->setting("wzor_znaku_sprawy", kDefaultCaseSign);
    intakeOptions.owner = ctx.instance;
    service::MailIntake mail(*ctx.store, intakeOptions);

    Counts counts;
    const bool failed = !takeAll(ctx, pipe, source, mail, counts);
    showProgress(counts, true);
    const bool sourceFailed = !source.error().empty();
    if (sourceFailed) std::cerr << "formproc intake: " << source.error() << "\n";
    source.close();
    if (ctx.format == "text")
        std::cout << "wiadomości: " << counts.messages << ", pominięte (przyjęte wcześniej): " << counts.skipped
                  << ", bez załącznika: " << counts.withoutAttachment << ", załączniki: " << counts.attachments
                  << (ctx.reply ? ", wysłane odpowiedzi: " + std::to_string(counts.replies) : std::string()) << "\n";
    return failed || sourceFailed || counts.failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace formproc::app
