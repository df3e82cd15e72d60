#include "application.hpp"

#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <charconv>
#include <cmath>
#include <iostream>

#include "formproc/plugin/registry.hpp"

namespace formproc::app {

namespace {

struct OptionSpec {
    const char* name;
    const char* argument;  // nullptr: a flag
    const char* help;
};

// Every option of every command; each command lists the ones it takes.
const OptionSpec kOptions[] = {
    {"campaign", "FILE", "the intake campaign (default: the bundled 2018 campaign)"},
    {"form", "ID", "read every document as this form (karta-powiatu, karta-gminy, karta-diagnozy)"},
    {"format", "json|text", "JSON Lines or a short summary for people (extract: json by default; process: text)"},
    {"timeout", "SECONDS", "wall-clock limit per document (default 120)"},
    {"workers", "N", "documents read in parallel, each in its own worker process (default 2)"},
    {"page-threads", "N", "threads a worker reads a document's pages with (default: the cores the workers leave)"},
    {"plugins", "DIR", "plugin directory (default: found beside the executable)"},
    {"share", "DIR", "forms, data and templates (default: found beside the executable)"},
    {"in-process", nullptr, "read without a worker process (debugging only)"},
    {"out", "DIR", "where the answers go"},
    {"date", "YYYY-MM-DD", "the letters' date (default: today)"},
    {"templates", "DIR", "letter templates (default: the installed templates/letters)"},
    {"sign", "FILE.p12", "sign every epuap.xml (XAdES-BES) with this PKCS#12 certificate"},
    {"sign-password-file", "FILE", "the certificate's password (else FORMPROC_SIGN_PASSWORD)"},
    {"plugin", "ID", "only this reader"},
    {"received", "YYYY-MM-DD", "the date the documents were received (default: today)"},
    {"channel", "CHANNEL", "how they came: upload (default), email, post, epuap"},
    {"postmark", "YYYY-MM-DD", "the postmark of documents that came by post (with --channel post)"},
    {"data", "DIR", "the service's data folder: its SQLite database and stored files (default: formproc-data)"},
    {"database", "CONNECTION", "postgresql:host=… dbname=… user=… instead of SQLite (or FORMPROC_DATABASE)"},
    {"mailbox", "SOURCE", "poll this mailbox (as for intake; credentials from the environment)"},
    {"poll-seconds", "N", "how often the mailbox is polled (default 60)"},
    {"reply", "URL", "e-mail each letter to its sender through smtp://HOST[:PORT], smtp+starttls://… or smtps://…"},
    {"config", "FILE", "a JSON configuration file; options on the command line win"},
    {"host", "ADDRESS", "the address to listen on (default 127.0.0.1)"},
    {"port", "N", "the port to listen on (default 8080; 0: any free port)"},
    {"tls-cert", "FILE", "serve HTTPS with this PEM certificate (and --tls-key)"},
    {"tls-key", "FILE", "the certificate's PEM private key"},
    {"max-upload-mb", "N", "uploads larger than this are refused with 413 (default 64)"},
    {"max-queue", "N", "uploads are refused with 429 while this many jobs wait (default 500)"},
    {"instance", "ID",
     "this instance's id in the job table (default: host:pid:start time; give a fixed one per\n"
     "                          instance so that a restart takes back its jobs at once)"},
    {"lease", "SECONDS", "a job held by an instance that stopped answering is taken again after this (default 600)"},
    {"grace", "SECONDS", "on SIGTERM, how long jobs in flight may finish before they are requeued (default 20)"},
    {"http-threads", "N", "requests served at once (default 16)"},
    {"role", "ROLE", "admin, reviewer or office"},
    {"office", "TERYT", "the powiat or gmina an office token sees"},
    {"label", "TEXT", "a note on the token (whose it is)"},
    {"memory-mb", "N", "(worker) address-space limit"},
    {"cpu-seconds", "N", "(worker) CPU-time limit"},
    {"help", nullptr, "this help"},
};

struct CommandSpec {
    const char* name;
    const char* synopsis;
    const char* summary;
    std::set<std::string> options;
    int (*run)(const Arguments&);
};

const std::set<std::string> kReading = {"campaign", "form",  "timeout",    "workers", "page-threads",
                                        "plugins",  "share", "in-process", "help"};

std::set<std::string> with(std::set<std::string> base, std::initializer_list<const char*> more) {
    for (const char* m : more) base.insert(m);
    return base;
}

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> all = {
        {"extract", "extract PATH...", "read each document and print one JSON line per document",
         with(kReading, {"format"}), runExtract},
        {"process", "process PATH... --out DIR",
         "as extract, and write DIR/NAME/ for each document: result.json, letter.pdf (receipt and the\n"
         "                      decision's letter), filled.pdf and epuap.xml; then the campaign reports",
         with(kReading, {"format", "out", "date", "templates", "sign", "sign-password-file", "data", "database",
                         "received", "channel", "postmark"}),
         runProcess},
        {"intake", "intake SOURCE [--data DIR]",
         "read a mailbox (mbox:FILE, maildir:DIR, eml:DIR, imap[s]://USER@HOST/FOLDER, pop3[s]://USER@HOST)\n"
         "                      and process each attachment; one JSON line each. With --data, what was taken is\n"
         "                      remembered (a second run takes nothing again) and IMAP messages are marked",
         with(kReading, {"format", "data", "database", "templates", "date", "reply"}), runIntake},
        {"form",
         "form blank ID --out FILE",
         "write the blank official form ID as a fillable PDF",
         {"out", "share", "campaign", "help"},
         runForm},
        {"inspect",
         "inspect FILE [--plugin ID]",
         "print what the readers see in FILE (fields, words with boxes); for developers:\n"
         "                      the output holds the document's personal data",
         {"plugin", "plugins", "share", "help"},
         runInspect},
        {"serve", "serve [--data DIR] [--port N]",
         "the HTTP API (OUTPUT.md) with background processing; SQLite in DIR, or PostgreSQL",
         with(kReading, {"data", "database", "config", "host", "port", "tls-cert", "tls-key", "max-upload-mb",
                         "max-queue", "instance", "lease", "grace", "http-threads", "mailbox", "poll-seconds"}),
         runServe},
        {"token",
         "token create --role ROLE [--office TERYT]",
         "print a new API token for the service",
         {"role", "office", "label", "data", "database", "config", "help"},
         runToken},
        {"worker",
         "worker",
         "(internal) the isolated reader process",
         {"plugins", "memory-mb", "cpu-seconds"},
         runWorker},
    };
    return all;
}

const CommandSpec* findCommand(const std::string& name) {
    for (const auto& c : commands())
        if (name == c.name) return &c;
    return nullptr;
}

void printUsage(std::ostream& out, const CommandSpec* only = nullptr) {
    out << "usage: formproc COMMAND [OPTIONS] ...\n\nCommands:\n";
    for (const auto& c : commands()) {
        if (only && &c != only) continue;
        std::string line = std::string("  ") + c.synopsis;
        if (line.size() < 22)
            line.resize(22, ' ');
        else
            line += "\n                      ";
        out << line << c.summary << "\n";
        if (!only) continue;
        out << "\nOptions:\n";
        for (const auto& o : kOptions) {
            if (!c.options.count(o.name)) continue;
            std::string opt = std::string("  --") + o.name + (o.argument ? std::string(" ") + o.argument : "");
            if (opt.size() < 26)
                opt.resize(26, ' ');
            else
                opt += "\n                          ";
            out << opt << o.help << "\n";
        }
    }
    if (!only) out << "\nformproc COMMAND --help lists a command's options.\n";
    out << "\nExit status: 0 every input processed, 1 an input could not be read from disk or an output\n"
           "not written, 2 bad usage.\n";
}

}  // namespace

std::optional<long long> integerOption(const std::string& command, const std::string& name, const std::string& text,
                                       long long min, long long max) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        std::cerr << "formproc " << command << ": --" << name << " takes a whole number from " << min << " to " << max
                  << ", not '" << text << "'\n";
        return std::nullopt;
    }
    return value;
}

std::optional<pipeline::Options> pipelineOptions(const std::string& command, const Arguments& args) {
    pipeline::Options options;
    if (args.has("timeout")) {
        // Seconds, fractions allowed; at most a day, so the deadline cannot overflow.
        const std::string text = args.get("timeout");
        double seconds = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) || seconds <= 0 ||
            seconds > 86400) {
            std::cerr << "formproc " << command << ": --timeout takes seconds, more than 0 and at most 86400, not '"
                      << text << "'\n";
            return std::nullopt;
        }
        options.limits.timeout = std::chrono::milliseconds(std::max(1LL, std::llround(seconds * 1000)));
    }
    options.workers = 2;
    if (args.has("workers")) {
        const auto workers = integerOption(command, "workers", args.get("workers"), 1, 64);
        if (!workers) return std::nullopt;
        options.workers = static_cast<std::size_t>(*workers);
    }
    if (args.has("page-threads")) {
        const auto threads = integerOption(command, "page-threads", args.get("page-threads"), 0, 16);
        if (!threads) return std::nullopt;
        options.pageThreads = static_cast<unsigned>(*threads);
    }
    options.isolate = !args.has("in-process");
    return options;
}

std::optional<pipeline::Environment> loadEnvironment(const std::string& command, const Arguments& args) {
    try {
        auto env = pipeline::loadEnvironment(args.get("share", plugin::defaultShareDir()),
                                             args.get("plugins", plugin::defaultPluginDir()), args.get("campaign"));
        for (const auto& failure : env.plugins->failures()) std::cerr << "formproc: refused " << failure.reason << "\n";
        const std::string forced = args.get("form");
        if (!forced.empty() && !env.forms->byId(forced)) {
            std::cerr << "formproc " << command << ": unknown form '" << forced << "'\n";
            return std::nullopt;
        }
        return env;
    } catch (const std::exception& e) {
        std::cerr << "formproc " << command << ": " << e.what() << "\n";
        return std::nullopt;
    }
}

FormprocApplication::FormprocApplication() { setUnixOptions(true); }

void FormprocApplication::defineOptions(Poco::Util::OptionSet& options) {
    for (const auto& o : kOptions) {
        Poco::Util::Option option(o.name, "", o.help);
        option.required(false).repeatable(false);
        if (o.argument) option.argument(o.argument, true);
        options.addOption(option);
    }
}

void FormprocApplication::handleOption(const std::string& name, const std::string& value) {
    Poco::Util::Application::handleOption(name, value);
    _args.values[name] = value;
}

int FormprocApplication::main(const std::vector<std::string>& args) {
    if (args.empty()) {
        printUsage(std::cerr);
        return kExitUsage;
    }
    const std::string name = args.front();
    if (name == "version" || name == "--version") {
        std::cout << "formproc " << FORMPROC_VERSION_STRING << "\n";
        return kExitOk;
    }
    if (name == "help") {
        printUsage(std::cout, args.size() > 1 ? findCommand(args[1]) : nullptr);
        return kExitOk;
    }
    const CommandSpec* command = findCommand(name);
    if (!command) {
        if (_args.has("help")) {
            printUsage(std::cout);
            return kExitOk;
        }
        std::cerr << "formproc: unknown command '" << name << "'\n";
        printUsage(std::cerr);
        return kExitUsage;
    }
    if (_args.has("help")) {
        printUsage(std::cout, command);
        return kExitOk;
    }
    for (const auto& [option, value] : _args.values)
        if (!command->options.count(option)) {
            std::cerr << "formproc " << name << ": --" << option << " is not an option of this command\n";
            printUsage(std::cerr, command);
            return kExitUsage;
        }
    Arguments args2 = _args;
    args2.positional.assign(args.begin() + 1, args.end());
    try {
        return command->run(args2);
    } catch (const std::exception& e) {
        std::cerr << "formproc " << name << ": " << e.what() << "\n";
        return kExitFailed;
    }
}

}  // namespace formproc::app
