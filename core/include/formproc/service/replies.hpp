// Answers by e-mail: a processed submission's letter (receipt and decision)
// sent to the address it came from, at most once (the store's reply ledger:
// claimed before sending, marked after; a crash between the two leaves the
// claim, so a reply is never sent twice, and the record says so).
#pragma once

#include <string>

#include "formproc/forms/form.hpp"
#include "formproc/intake/reply_sender.hpp"
#include "formproc/service/processing.hpp"
#include "formproc/storage/store.hpp"
#include "formproc/validation/campaign.hpp"

namespace formproc::service {

enum class ReplyOutcome {
    Sent,
    AlreadyClaimed,  // sent before, or being sent by another instance
    NoAddress,       // the submission did not come by e-mail, or names no sender
    Failed           // SMTP refused it; the claim is released so that a later run tries again
};

// Sends `processed`'s letter for `submission` as a reply to its message. The
// text and subject come from messages.xml (reply.subject, reply.body); the
// office (campaign.office) is the sender. `error` (English, no personal data)
// says why on Failed. Throws storage::StoreError on a database failure.
// Thread-safe when each thread has its own `sender`.
ReplyOutcome replyWithLetter(storage::Store& store, intake::ReplySender& sender, const forms::Catalog& catalog,
                             const validation::Campaign& campaign, const storage::Submission& submission,
                             const Processed& processed, const std::string& by, std::string* error = nullptr);

// An SMTP configuration from a URL: smtp://HOST[:PORT] (plain, port 25),
// smtp+starttls://HOST[:PORT] (587), smtps://HOST[:PORT] (465); the login
// from FORMPROC_SMTP_USER and FORMPROC_SMTP_PASSWORD. nullopt, with `error`
// set, for anything else (a password in the URL is refused).
std::optional<intake::SmtpConfig> smtpConfigFromUrl(const std::string& url, std::string& error);

}  // namespace formproc::service
