// `formproc serve` and `formproc token create`.
#include <Poco/Util/JSONConfiguration.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <set>
#include <vector>

#include "application.hpp"
#include "formproc/http/service.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/service/mail_poller.hpp"

namespace formproc::app {

namespace {

// The configuration file's keys (JSON, see README "Configuration file"), by
// the command-line option that overrides each. Paths are relative to the
// file's folder.
struct ConfigKey {
    const char* option;
    const char* key;
    bool path;
};

const ConfigKey kConfigKeys[] = {
    {"data", "data", true},
    {"database", "database", false},
    {"host", "host", false},
    {"port", "port", false},
    {"instance", "instance", false},
    {"workers", "workers", false},
    {"timeout", "timeout", false},
    {"page-threads", "page_threads", false},
    {"campaign", "campaign", true},
    {"plugins", "plugins", true},
    {"share", "share", true},
    {"max-upload-mb", "max_upload_mb", false},
    {"max-queue", "max_queue", false},
    {"lease", "lease_seconds", false},
    {"grace", "shutdown_grace_seconds", false},
    {"http-threads", "http_threads", false},
    {"tls-cert", "tls.certificate", true},
    {"tls-key", "tls.key", true},
    // The mailbox poller (issue 13, merged from main): {"mailbox": {"source": …, "poll_seconds": …}}.
    {"mailbox", "mailbox.source", false},
    {"poll-seconds", "mailbox.poll_seconds", false},
};

const ConfigKey* configKey(const std::string& option) {
    for (const auto& k : kConfigKeys)
        if (option == k.option) return &k;
    return nullptr;
}

// A setting from the command line, else the configuration file, else `fallback`.
class Settings {
public:
    Settings(const Arguments& args, Poco::AutoPtr<Poco::Util::JSONConfiguration> config, std::string configDir)
        : _args(args), _config(std::move(config)), _configDir(std::move(configDir)) {}

    // `option` must be one of kConfigKeys (or a command-line-only option).
    std::string get(const std::string& option, const std::string& fallback = {}) const {
        if (_args.has(option)) return _args.get(option);
        const ConfigKey* key = configKey(option);
        if (!key || !_config || !_config->has(key->key)) return fallback;
        std::string value = _config->getString(key->key);
        if (key->path && !value.empty() && value.front() != '/') value = _configDir + "/" + value;
        return value;
    }

    bool has(const std::string& option) const { return !get(option).empty(); }

private:
    const Arguments& _args;
    Poco::AutoPtr<Poco::Util::JSONConfiguration> _config;
    std::string _configDir;
};

// The keys of the file that formproc does not know (a typo would otherwise
// be ignored silently), as "a.b" paths.
std::vector<std::string> unknownKeys(const Poco::Util::AbstractConfiguration& config) {
    std::set<std::string> known;
    for (const auto& k : kConfigKeys) known.insert(k.key);
    std::vector<std::string> unknown;
    Poco::Util::AbstractConfiguration::Keys top;
    config.keys(top);
    for (const auto& key : top) {
        Poco::Util::AbstractConfiguration::Keys inner;
        config.keys(key, inner);  // an object's keys (tls, mailbox); none for a value
        if (inner.empty() && !known.count(key)) unknown.push_back(key);
        for (const auto& sub : inner)
            if (!known.count(key + "." + sub)) unknown.push_back(key + "." + sub);
    }
    return unknown;
}

std::optional<Settings> loadSettings(const std::string& command, const Arguments& args) {
    Poco::AutoPtr<Poco::Util::JSONConfiguration> config;
    std::string configDir = ".";
    if (args.has("config")) {
        const std::string file = args.get("config");
        try {
            config = new Poco::Util::JSONConfiguration(file);
        } catch (const Poco::Exception& e) {
            std::cerr << "formproc " << command << ": --config " << file << ": " << e.displayText() << "\n";
            return std::nullopt;
        }
        const auto unknown = unknownKeys(*config);
        for (const auto& key : unknown)
            std::cerr << "formproc " << command << ": --config: unknown key '" << key << "'\n";
        if (!unknown.empty()) return std::nullopt;
        configDir = std::filesystem::path(file).parent_path().string();
        if (configDir.empty()) configDir = ".";
    }
    return Settings(args, config, configDir);
}

std::string defaultDataDir() {
    if (const char* env = std::getenv("FORMPROC_DATA"); env && *env) return env;
    return "formproc-data";
}

std::string defaultDatabase() {
    const char* env = std::getenv("FORMPROC_DATABASE");
    return env ? env : "";
}

std::unique_ptr<storage::Store> openStore(const std::string& command, const Settings& settings) {
    try {
        return storage::Store::open(settings.get("data", defaultDataDir()),
                                    settings.get("database", defaultDatabase()));
    } catch (const std::exception& e) {
        std::cerr << "formproc " << command << ": cannot open the store: " << e.what() << "\n";
        return nullptr;
    }
}

std::string instanceId() {
    char host[256] = "host";
    gethostname(host, sizeof host - 1);
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(now);
}

// What `serve` needs besides the pipeline's options.
struct ServeSettings {
    http::ServiceConfig config;
    std::chrono::milliseconds lease{600 * 1000};
    std::chrono::seconds grace{20};
};

std::optional<ServeSettings> serveSettings(const Settings& settings) {
    ServeSettings out;
    http::ServiceConfig& config = out.config;
    const auto number = [&](const char* option, const char* fallback, long long min, long long max) {
        return integerOption("serve", option, settings.get(option, fallback), min, max);
    };
    const auto port = number("port", "8080", 0, 65535);
    const auto maxUploadMb = number("max-upload-mb", "64", 1, 4096);
    const auto maxQueue = number("max-queue", "500", 1, 1000000);
    const auto lease = number("lease", "600", 2, 7 * 86400);
    const auto grace = number("grace", "20", 0, 3600);
    const auto httpThreads = number("http-threads", "16", 1, 1024);
    if (!port || !maxUploadMb || !maxQueue || !lease || !grace || !httpThreads) return std::nullopt;
    config.port = static_cast<std::uint16_t>(*port);
    config.host = settings.get("host", "127.0.0.1");
    config.maxUploadBytes = static_cast<std::uint64_t>(*maxUploadMb) << 20;
    config.maxQueueDepth = *maxQueue;
    config.httpThreads = static_cast<std::size_t>(*httpThreads);
    config.tlsCertificate = settings.get("tls-cert");
    config.tlsPrivateKey = settings.get("tls-key");
    if (config.tlsCertificate.empty() != config.tlsPrivateKey.empty()) {
        std::cerr << "formproc serve: TLS needs both a certificate and its key (--tls-cert and --tls-key)\n";
        return std::nullopt;
    }
    config.uploadDir = settings.get("data", defaultDataDir()) + "/uploads";
    out.lease = std::chrono::seconds(*lease);
    out.grace = std::chrono::seconds(*grace);
    return out;
}

// Blocks SIGTERM and SIGINT in this thread and in every thread started
// after it (the server's threads inherit the mask): sigwait takes them.
sigset_t blockStopSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

// Serves until SIGTERM or SIGINT, then calls `beforeStop` (e.g. stops a
// mailbox poller) and stops: jobs in flight finish within the grace period
// or go back to the queue.
int serveUntilSignal(http::Service& service, const sigset_t& signals, std::chrono::seconds grace,
                     const std::function<void()>& beforeStop = {}) {
    int signal = 0;
    sigwait(&signals, &signal);
    if (beforeStop) beforeStop();
    std::cerr << "formproc serve: stopping (" << (signal == SIGTERM ? "SIGTERM" : "SIGINT") << ")\n";
    const std::size_t requeued = service.stop(grace);
    std::cerr << "formproc serve: stopped; " << requeued << " job(s) in flight went back to the queue\n";
    if (requeued > 0) {
        // Threads still inside a document use the pipeline that the normal
        // return would destroy: leave without running destructors. Every
        // job's state is committed already.
        std::cerr.flush();
        std::_Exit(kExitOk);
    }
    return kExitOk;
}

}  // namespace

int runServe(const Arguments& args) {
    auto settings = loadSettings("serve", args);
    if (!settings) return kExitUsage;
    Arguments reading = args;  // the pipeline options, as the configuration file may give them
    for (const char* key : {"workers", "timeout", "page-threads", "campaign", "plugins", "share"})
        if (const std::string value = settings->get(key); !value.empty()) reading.values[key] = value;
    auto options = pipelineOptions("serve", reading);
    if (!options) return kExitUsage;
    auto serve = serveSettings(*settings);
    if (!serve) return kExitUsage;
    http::ServiceConfig& config = serve->config;
    const sigset_t signals = blockStopSignals();

    auto store = openStore("serve", *settings);
    if (!store) return kExitFailed;
    auto env = loadEnvironment("serve", reading);
    if (!env) return kExitUsage;
    service::AnswerSettings answers;
    try {
        answers = service::loadAnswerSettings(*env);
    } catch (const std::exception& e) {
        std::cerr << "formproc serve: " << e.what() << "\n";
        return kExitUsage;
    }
    config.casePattern = answers.templates->setting("wzor_znaku_sprawy", config.casePattern);
    config.campaignId = env->campaign->name;
    config.openApiPath = env->shareDir + "/data/api/openapi.json";
    config.deskDir = env->shareDir + "/web/desk";
    service::JobRunnerOptions runner;
    runner.instanceId = settings->get("instance", instanceId());
    runner.threads = options->workers;
    runner.lease = serve->lease;
    pipeline::Pipeline pipe(std::move(*env), *options);

    http::Service service(*store, pipe, answers, config, runner);
    try {
        service.start();
    } catch (const std::exception& e) {
        std::cerr << "formproc serve: cannot listen on " << config.host << ":" << config.port << ": " << e.what()
                  << "\n";
        return kExitFailed;
    }
    std::cerr << "formproc serve: listening on " << config.host << ":" << service.port() << " ("
              << (config.tlsCertificate.empty() ? "http" : "https") << ", " << store->backend() << ", instance "
              << runner.instanceId << ")\n";
    // The mailbox poller (issue 13): registers each new message's attachments;
    // the job runner above processes them like uploads.
    std::unique_ptr<service::MailPoller> poller;
    if (const std::string mailbox = settings->get("mailbox"); !mailbox.empty()) {
        const auto seconds = integerOption("serve", "poll-seconds", settings->get("poll-seconds", "60"), 1, 86400);
        if (!seconds) return kExitUsage;
        service::MailPollerOptions polling;
        polling.spec = mailbox;
        polling.credentials = intake::credentialsFromEnvironment();
        polling.interval = std::chrono::seconds(*seconds);
        polling.intake.campaign = config.campaignId;
        polling.intake.casePattern = config.casePattern;
        polling.intake.owner = runner.instanceId;
        try {
            poller = std::make_unique<service::MailPoller>(*store, polling);
        } catch (const std::exception& e) {
            std::cerr << "formproc serve: --mailbox: " << e.what() << "\n";
            return kExitUsage;
        }
        poller->start();
        std::cerr << "formproc serve: polling a mailbox every " << *seconds << " s\n";
    }
    return serveUntilSignal(service, signals, serve->grace, [&] {
        if (poller) poller->stop();
    });
}

int runToken(const Arguments& args) {
    if (args.positional.size() != 1 || args.positional[0] != "create" || !args.has("role")) {
        std::cerr << "usage: formproc token create --role admin|reviewer|office [--office TERYT] [--label TEXT]"
                     " [--data DIR] [--database CONNECTION]\n";
        return kExitUsage;
    }
    const auto role = storage::parseRole(args.get("role"));
    if (!role) {
        std::cerr << "formproc token: --role is admin, reviewer or office\n";
        return kExitUsage;
    }
    const std::optional<std::string> office = args.has("office") ? std::optional(args.get("office")) : std::nullopt;
    if ((*role == storage::Role::Office) != office.has_value()) {
        std::cerr << "formproc token: --office (a TERYT code) goes with --role office, and only with it\n";
        return kExitUsage;
    }
    auto settings = loadSettings("token", args);
    if (!settings) return kExitUsage;
    auto store = openStore("token", *settings);
    if (!store) return kExitFailed;
    try {
        const storage::NewToken token = store->createToken(*role, office, args.get("label", ""));
        std::cout << token.token << "\n";
    } catch (const std::invalid_argument& e) {
        std::cerr << "formproc token: " << e.what() << "\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace formproc::app
