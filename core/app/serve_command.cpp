// `formproc serve` and `formproc token create`.
#include <Poco/Util/JSONConfiguration.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "application.hpp"
#include "formproc/http/service.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/plugin/registry.hpp"

namespace formproc::app {

namespace {

// A setting from the command line, else the configuration file, else `fallback`.
class Settings {
public:
    Settings(const Arguments& args, Poco::AutoPtr<Poco::Util::JSONConfiguration> config)
        : _args(args), _config(std::move(config)) {}

    std::string get(const std::string& option, const std::string& key, const std::string& fallback = {}) const {
        if (_args.has(option)) return _args.get(option);
        if (_config && _config->has(key)) return _config->getString(key);
        return fallback;
    }

private:
    const Arguments& _args;
    Poco::AutoPtr<Poco::Util::JSONConfiguration> _config;
};

std::optional<Settings> loadSettings(const std::string& command, const Arguments& args) {
    Poco::AutoPtr<Poco::Util::JSONConfiguration> config;
    if (args.has("config")) {
        try {
            config = new Poco::Util::JSONConfiguration(args.get("config"));
        } catch (const Poco::Exception& e) {
            std::cerr << "formproc " << command << ": --config " << args.get("config") << ": " << e.displayText()
                      << "\n";
            return std::nullopt;
        }
    }
    return Settings(args, config);
}

std::string defaultDataDir() {
    if (const char* env = std::getenv("FORMPROC_DATA"); env && *env) return env;
    return "formproc-data";
}

std::unique_ptr<storage::Store> openStore(const std::string& command, const Settings& settings) {
    try {
        return storage::Store::open(
            settings.get("data", "data", defaultDataDir()),
            settings.get("database", "database",
                         std::getenv("FORMPROC_DATABASE") ? std::getenv("FORMPROC_DATABASE") : ""));
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

}  // namespace

int runServe(const Arguments& args) {
    auto settings = loadSettings("serve", args);
    if (!settings) return kExitUsage;
    Arguments reading = args;  // the pipeline options, as the configuration file may give them
    for (const char* key : {"workers", "timeout", "page-threads", "campaign", "plugins", "share"})
        if (const std::string value = settings->get(key, key); !value.empty()) reading.values[key] = value;
    auto options = pipelineOptions("serve", reading);
    if (!options) return kExitUsage;
    http::ServiceConfig config;
    const auto port = integerOption("serve", "port", settings->get("port", "port", "8080"), 0, 65535);
    const auto maxUploadMb =
        integerOption("serve", "max-upload-mb", settings->get("max-upload-mb", "max_upload_mb", "64"), 1, 4096);
    const auto maxQueue =
        integerOption("serve", "max-queue", settings->get("max-queue", "max_queue", "500"), 1, 1000000);
    if (!port || !maxUploadMb || !maxQueue) return kExitUsage;
    config.port = static_cast<std::uint16_t>(*port);
    config.host = settings->get("host", "host", "127.0.0.1");
    config.maxUploadBytes = static_cast<std::uint64_t>(*maxUploadMb) << 20;
    config.maxQueueDepth = *maxQueue;
    config.tlsCertificate = settings->get("tls-cert", "tls.certificate");
    config.tlsPrivateKey = settings->get("tls-key", "tls.key");
    if (config.tlsCertificate.empty() != config.tlsPrivateKey.empty()) {
        std::cerr << "formproc serve: TLS needs both --tls-cert and --tls-key\n";
        return kExitUsage;
    }

    // SIGTERM and SIGINT are taken by this thread (sigwait below), not by the
    // server's threads, which inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

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
    config.uploadDir = settings->get("data", "data", defaultDataDir()) + "/uploads";
    config.deskDir = env->shareDir + "/web/desk";
    service::JobRunnerOptions runner;
    runner.instanceId = settings->get("instance", "instance", instanceId());
    runner.threads = options->workers;
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
              << (config.tlsCertificate.empty() ? "http" : "https") << ", " << store->backend() << ")\n";
    int signal = 0;
    sigwait(&signals, &signal);
    std::cerr << "formproc serve: stopping (" << (signal == SIGTERM ? "SIGTERM" : "SIGINT") << ")\n";
    service.stop(std::chrono::seconds(20));
    return kExitOk;
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
