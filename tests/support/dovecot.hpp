// A real Dovecot for tests: IMAP and POP3 on 127.0.0.1, free ports, a
// throwaway configuration and Maildir in a temporary folder, one static user.
// Started and stopped by the test, every start and stop under a deadline.
//
// Dovecot refuses to run its login processes as root, so the configuration
// uses default_login_user = dovenull, default_internal_user = dovecot, mail
// owned by the dovecot user and first_valid_uid = 100: the test must run as
// root (CI does) with the dovecot-imapd and dovecot-pop3d packages.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace formproc::test {

class DovecotServer {
public:
    // Starts a server and waits (at most `deadline`) until both IMAP and POP3
    // greet. Returns null with `error` set when it cannot be started.
    // With `tls`, also IMAPS and POP3S with a fresh self-signed certificate
    // for 127.0.0.1 (made by the openssl command; see caFile()).
    static std::unique_ptr<DovecotServer> start(std::string& error, bool tls = false,
                                                std::chrono::seconds deadline = std::chrono::seconds{20});

    // True when this machine can run one (root, dovecot installed); `why` says why not.
    static bool available(std::string& why);

    ~DovecotServer();  // stop()
    DovecotServer(const DovecotServer&) = delete;
    DovecotServer& operator=(const DovecotServer&) = delete;

    int imapPort() const { return _imapPort; }
    int pop3Port() const { return _pop3Port; }
    int imapsPort() const { return _imapsPort; }  // 0 without tls
    int pop3sPort() const { return _pop3sPort; }
    // The certificate the TLS listeners present, to trust as a CA file.
    std::string caFile() const { return (_root / "cert.pem").string(); }
    static std::string user() { return "urzad"; }
    static std::string password() { return "tajne-haslo"; }

    // Puts a message into a Maildir folder. `wireName` is the folder's name as
    // Dovecot stores it (modified UTF-7, e.g. "B&AUI-dne"); "" is the INBOX.
    // File names sort in delivery order.
    void deliver(const std::string& wireName, const std::string& raw, bool seen = false);

    // The Maildir folder on disk ("" the INBOX): for checking the server-side actions.
    std::filesystem::path folderPath(const std::string& wireName) const;

    // SIGTERM, then SIGKILL after 10 s; waits for the process. Idempotent.
    void stop();

    struct Token {
        explicit Token() = default;
    };
    explicit DovecotServer(Token) {}  // through start() only

private:
    bool launch(std::string& error, bool tls, std::chrono::seconds deadline);
    bool makeCertificate(std::string& error);

    std::filesystem::path _root;
    pid_t _pid = -1;
    int _imapPort = 0;
    int _pop3Port = 0;
    int _imapsPort = 0;
    int _pop3sPort = 0;
    unsigned _delivered = 0;
};

}  // namespace formproc::test
