// Taking e-mail into the store: every message of a mailbox once (the store's
// mail ledger), every attachment a submission (channel "email", the sending
// date counting for the deadline, the Message-ID, sender and subject kept),
// then the message marked on the server as the source is configured.
//
// Used by `formproc intake` (which then processes what it registered on its
// own threads) and by the mailbox poller of `formproc serve` (whose job
// runner processes it). Exactly once: a message is taken under its ledger key
// (mailbox + UIDVALIDITY/UID, UIDL, file and offset) with a lease; its
// attachments are registered with a source key built from that ledger key and
// the MIME part, so that a crash between two steps repeats no registration;
// only when every attachment is durable is the message marked Stored and the
// server told (\Seen and a keyword, a move, a deletion).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/intake/mail_source.hpp"
#include "formproc/storage/store.hpp"

namespace formproc::service {

struct MailIntakeOptions {
    std::string campaign;                              // campaign id (numbering and duplicates are per campaign)
    std::string casePattern = "LK.8520.2.{nr}.{rok}";  // the case sign's pattern
    std::string owner;                                 // this intake's id in the ledger
    std::chrono::milliseconds lease{std::chrono::minutes(10)};  // another intake may retake a message after this
    intake::ParseOptions parse;
};

// One attachment (or refused part) of a taken message.
struct TakenAttachment {
    // The submission it became; nullopt for a part that was not registered.
    std::optional<storage::Registration> registration;
    // A part refused before registration (over the size limit, a refused ZIP,
    // TNEF, encrypted): its rejected result, with the reason in Polish.
    std::optional<Result> refused;
    // The message's Message-ID was taken before under another ledger key (the
    // same message again: resent, or in two mailboxes).
    bool messageSeenBefore = false;
};

struct TakenMessage {
    intake::MessageKey key;
    bool skipped = false;  // already in the ledger (taken by another intake or stored): nothing was done
    std::vector<TakenAttachment> attachments;
    // Why the message gave no submission ("" when it gave one): English, no
    // personal data, for logs.
    std::string problem;
    bool serverActionFailed = false;  // the source could not mark it (retried by finishPending)
};

class MailIntake {
public:
    // `store` must outlive the intake.
    MailIntake(storage::Store& store, MailIntakeOptions options);

    // Takes one fetched message (see the file comment): the ledger, then
    // every attachment registered. finish() then marks it Stored and tells
    // the server: at once (the poller, whose job runner processes later) or
    // after processing (the command line, so that a killed run takes the
    // message again under the same owner and processes what it registered).
    // Throws storage::StoreError on a database failure and std::system_error
    // on a disk failure: the message then stays Taken in the ledger, another
    // intake retakes it when the lease runs out, and its registrations are
    // not repeated. Not thread-safe (one intake per source).
    TakenMessage take(const intake::FetchedMessage& message);
    void finish(intake::MailSource& source, TakenMessage& taken);

    // Tells the server about messages stored but not yet marked (a crash or a
    // lost connection between the two). Returns how many are still pending.
    std::size_t finishPending(intake::MailSource& source);

private:
    storage::Store& _store;
    MailIntakeOptions _options;
};

// The "submitted" block of a message's parts: channel email, the sending
// date in Warsaw (the mailbox's receipt date when the message has none), the
// Message-ID.
Submitted submittedOfMessage(const intake::ParsedMessage& message, const std::string& receivedDate);

}  // namespace formproc::service
