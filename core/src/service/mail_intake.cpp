#include "formproc/service/mail_intake.hpp"

#include <algorithm>
#include <ctime>

#include "formproc/document/warsaw_time.hpp"

namespace formproc::service {

namespace {

// A store timestamp (UTC, "YYYY-MM-DDTHH:MM:SS.000Z") of a message's time.
std::string timestampOf(intake::TimePoint when) {
    const std::time_t seconds = static_cast<std::time_t>(when.time_since_epoch().count());
    std::tm utc{};
    if (::gmtime_r(&seconds, &utc) == nullptr) return storage::nowTimestamp();
    char text[32];
    if (std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc) == 0) return storage::nowTimestamp();
    return text;
}

// The issue code a refused part is reported under.
const char* refusedCode(intake::SkipReason reason) {
    switch (reason) {
        case intake::SkipReason::TooLarge: return "too_large";
        case intake::SkipReason::ZipRefused: return "malformed";
        default: return "unsupported";
    }
}

// The rejected result of a part that was not registered.
Result refusedPart(const intake::SkippedPart& part, const Submitted& submitted) {
    Result result;
    result.source = part.fileName;
    result.submitted = submitted;
    result.decision = Decision::Rejected;
    result.issues.push_back({std::nullopt, refusedCode(part.reason), Severity::Error, part.messagePl});
    return result;
}

}  // namespace

Submitted submittedOfMessage(const intake::ParsedMessage& message, const std::string& receivedDate) {
    Submitted submitted;
    submitted.channel = "email";
    submitted.date = storage::pickDateCounted(
        storage::Channel::Email, receivedDate,
        message.sentDate.empty() ? std::nullopt : std::optional<std::string>(message.sentDate), std::nullopt);
    submitted.messageId = message.messageId;
    return submitted;
}

MailIntake::MailIntake(storage::Store& store, MailIntakeOptions options)
    : _store(store), _options(std::move(options)) {}

TakenMessage MailIntake::take(const intake::FetchedMessage& fetched) {
    TakenMessage out;
    out.key = fetched.key;
    const storage::MailKey key{fetched.key.mailbox, fetched.key.item};
    const std::optional<std::string> messageId =
        fetched.key.messageId.empty() ? std::nullopt : std::optional<std::string>(fetched.key.messageId);
    const storage::TakeResult took = _store.takeMail(key, messageId, _options.owner, _options.lease);
    if (!took.taken) {
        out.skipped = true;
        return out;
    }
    bool seenBefore = false;
    if (messageId)
        for (const auto& record : _store.mailByMessageId(*messageId))
            if (record.key.mailbox != key.mailbox || record.key.key != key.key) seenBefore = true;

    intake::ParseOptions parse = _options.parse;
    if (fetched.receivedAt) parse.receivedAt = fetched.receivedAt;
    intake::ParsedMessage message;
    if (fetched.truncated) {
        message.error = intake::ParseError{intake::ParseErrorCode::TooLarge, "the message is over the size limit", ""};
    } else {
        message = intake::parseMessage(fetched.raw, parse);
    }
    const std::string receivedAt = fetched.receivedAt ? timestampOf(*fetched.receivedAt) : storage::nowTimestamp();
    const std::string receivedDate =
        warsawDate(fetched.receivedAt ? std::chrono::system_clock::time_point(*fetched.receivedAt)
                                      : std::chrono::system_clock::now())
            .iso();
    const Submitted submitted = submittedOfMessage(message, receivedDate);

    if (!message.ok()) {
        out.problem = "message not taken apart: " + message.error->detail;
    } else {
        for (const auto& attachment : message.attachments) {
            storage::NewSubmission submission;
            submission.campaign = _options.campaign;
            submission.channel = storage::Channel::Email;
            submission.casePattern = _options.casePattern;
            submission.receivedAt = receivedAt;
            if (message.sentAt) submission.sentAt = timestampOf(*message.sentAt);
            submission.dateCounted = submitted.date;
            submission.fileName = attachment.fileName;
            submission.mediaType = attachment.mediaType();
            if (!message.messageId.empty()) submission.messageId = message.messageId;
            if (!message.from.address.empty()) submission.sender = message.from.address;
            submission.subject = message.subject;
            submission.sourceKey = "mail:" + fetched.key.str() + "#" + attachment.partPath +
                                   (attachment.fromZip ? "/" + attachment.zipEntry : std::string());
            TakenAttachment taken;
            taken.registration = _store.registerSubmission(submission, attachment.bytes);
            taken.messageSeenBefore = seenBefore;
            _store.recordMailAttachment(key, attachment.sha256, taken.registration->submission.id);
            out.attachments.push_back(std::move(taken));
        }
        for (const auto& part : message.skipped) {
            if (part.messagePl.empty()) continue;  // a signature, a logo, a bounce report: nothing to answer
            TakenAttachment taken;
            taken.refused = refusedPart(part, submitted);
            taken.messageSeenBefore = seenBefore;
            out.attachments.push_back(std::move(taken));
        }
        if (out.attachments.empty()) out.problem = "no attachment";
    }
    return out;
}

void MailIntake::finish(intake::MailSource& source, TakenMessage& taken) {
    if (taken.skipped) return;
    const storage::MailKey key{taken.key.mailbox, taken.key.item};
    _store.markMailStored(key);
    const bool usable = std::any_of(taken.attachments.begin(), taken.attachments.end(),
                                    [](const TakenAttachment& a) { return a.registration.has_value(); });
    if (source.done(taken.key, usable ? intake::Outcome::Stored : intake::Outcome::Rejected)) {
        _store.markMailServerActionDone(key);
    } else {
        taken.serverActionFailed = true;
    }
}

std::size_t MailIntake::finishPending(intake::MailSource& source) {
    std::size_t pending = 0;
    for (const auto& record : _store.mailAwaitingServerAction(source.mailbox())) {
        const intake::MessageKey key{record.key.mailbox, record.key.key, record.messageId.value_or("")};
        const bool usable = std::any_of(record.attachments.begin(), record.attachments.end(),
                                        [](const storage::MailAttachment& a) { return a.submissionId.has_value(); });
        if (source.done(key, usable ? intake::Outcome::Stored : intake::Outcome::Rejected)) {
            _store.markMailServerActionDone(record.key);
        } else {
            ++pending;
        }
    }
    return pending;
}

}  // namespace formproc::service
