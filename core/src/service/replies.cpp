#include "formproc/service/replies.hpp"

#include <cstdlib>
#include <tuple>

namespace formproc::service {

ReplyOutcome replyWithLetter(storage::Store& store, intake::ReplySender& sender, const forms::Catalog& catalog,
                             const validation::Campaign& campaign, const storage::Submission& submission,
                             const Processed& processed, const std::string& by, std::string* error) {
    if (submission.channel != storage::Channel::Email || !submission.sender || submission.sender->empty())
        return ReplyOutcome::NoAddress;
    if (!store.claimReply(submission.id, storage::ReplyKind::DecisionLetter, by)) return ReplyOutcome::AlreadyClaimed;
    const std::map<std::string, std::string> vars = {{"sign", submission.caseSign},
                                                     {"subject", submission.subject.value_or("")},
                                                     {"file", submission.fileName},
                                                     {"office", campaign.office.name}};
    intake::Reply reply;
    reply.from = {campaign.office.email, campaign.office.name};
    reply.to = {*submission.sender, ""};
    reply.subject = catalog.text("reply.subject", vars);
    reply.text = catalog.text("reply.body", vars) + "\n\n" + catalog.text("reply.closing") + "\n" +
                 campaign.office.name + "\n\n" + catalog.text("reply.note") + "\n";
    reply.inReplyTo = submission.messageId.value_or("");
    reply.files.push_back({"pismo.pdf", "application/pdf", processed.answer.letterPdf});
    const intake::SendResult sent = sender.send(reply);
    if (!sent.ok) {
        store.releaseReply(submission.id, storage::ReplyKind::DecisionLetter);
        if (error) *error = sent.error;
        return ReplyOutcome::Failed;
    }
    store.markReplySent(submission.id, storage::ReplyKind::DecisionLetter, sent.messageId);
    return ReplyOutcome::Sent;
}

std::optional<intake::SmtpConfig> smtpConfigFromUrl(const std::string& url, std::string& error) {
    intake::SmtpConfig config;
    std::string rest;
    for (const auto& [scheme, security, port] : {std::tuple{"smtp://", intake::SmtpSecurity::None, 25},
                                                 std::tuple{"smtp+starttls://", intake::SmtpSecurity::StartTls, 587},
                                                 std::tuple{"smtps://", intake::SmtpSecurity::Tls, 465}}) {
        if (url.rfind(scheme, 0) == 0) {
            config.security = security;
            config.port = port;
            rest = url.substr(std::string(scheme).size());
        }
    }
    if (rest.empty()) {
        error = "the reply server is smtp://HOST[:PORT], smtp+starttls://HOST[:PORT] or smtps://HOST[:PORT]";
        return std::nullopt;
    }
    if (rest.find('@') != std::string::npos) {
        error = "no credentials in the URL: FORMPROC_SMTP_USER and FORMPROC_SMTP_PASSWORD give them";
        return std::nullopt;
    }
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto colon = rest.rfind(':');
    config.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string port = rest.substr(colon + 1);
        char* end = nullptr;
        const long value = std::strtol(port.c_str(), &end, 10);
        if (port.empty() || *end != '\0' || value < 1 || value > 65535) {
            error = "the reply server's port is not a number from 1 to 65535";
            return std::nullopt;
        }
        config.port = static_cast<int>(value);
    }
    if (config.host.empty()) {
        error = "the reply server's URL names no host";
        return std::nullopt;
    }
    if (const char* user = std::getenv("FORMPROC_SMTP_USER")) config.login.user = user;
    if (const char* password = std::getenv("FORMPROC_SMTP_PASSWORD")) config.login.password = password;
    return config;
}

}  // namespace formproc::service
