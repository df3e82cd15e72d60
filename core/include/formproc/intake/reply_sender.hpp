// Replies to senders by SMTP: a Polish text with PDF letters attached, the
// subject and file names properly encoded (RFC 2047 / RFC 2231, UTF-8).
// The message is composed by GMime and sent through
// Poco::Net::SMTPClientSession, optionally with STARTTLS (or implicit TLS)
// and AUTH LOGIN. Recording what was sent, so that nothing is sent twice, is
// the caller's (the store's) job: send() returns the Message-ID it used.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "formproc/intake/mail_source.hpp"
#include "formproc/intake/message.hpp"

namespace formproc::intake {

enum class SmtpSecurity {
    None,      // plain SMTP (a relay on localhost)
    StartTls,  // STARTTLS after EHLO; refused when the server does not offer it
    Tls        // TLS from the start (port 465)
};

struct SmtpConfig {
    std::string host = "localhost";
    int port = 25;
    SmtpSecurity security = SmtpSecurity::None;
    Credentials login;   // AUTH LOGIN when user is set
    std::string caFile;  // "" for the system's CAs
    bool verifyPeer = true;
    std::string heloName = "formproc";
    std::chrono::seconds timeout{60};
};

struct ReplyFile {
    std::string name;  // UTF-8, e.g. „potwierdzenie-wplywu.pdf”
    std::string mediaType = "application/pdf";
    std::string bytes;
};

struct Reply {
    Address from;           // the office
    Address to;             // the sender of the submission
    std::string subject;    // UTF-8
    std::string text;       // UTF-8 plain text body
    std::string inReplyTo;  // "<…>" of the submission's message, or ""
    std::vector<ReplyFile> files;
};

struct SendResult {
    bool ok = false;
    std::string messageId;  // "<…>" of the reply, also when sending failed
    std::string error;      // English, without credentials or content, when !ok
};

// The reply as RFC 5322 bytes (CRLF line ends) with this Message-ID and Date
// `date` (the current time when unset). Thread-safe.
std::string composeReply(const Reply& reply, const std::string& messageId, std::optional<TimePoint> date = {});

// A fresh Message-ID "<formproc.RANDOM@DOMAIN>", DOMAIN from `from`. Thread-safe.
std::string newMessageId(const Address& from);

class ReplySender {
public:
    explicit ReplySender(SmtpConfig config) : _config(std::move(config)) {}

    // Composes and sends one reply in its own SMTP session. Never throws but
    // std::bad_alloc; failures are in the result. Not thread-safe per
    // instance (use one sender per thread).
    SendResult send(const Reply& reply, const std::string& messageId = {});

private:
    SmtpConfig _config;
};

}  // namespace formproc::intake
