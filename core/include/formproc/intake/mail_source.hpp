// Mailboxes intake reads from, behind one interface: mbox files, Maildir
// folders, folders of .eml files, IMAP(S) folders (libcurl) and POP3(S)
// mailboxes (Poco::Net).
//
// Exactly once is the caller's ledger's job: every fetched message carries a
// stable MessageKey (which mailbox, which item in it, and its Message-ID). The
// caller stores what it took durably, then calls done(); only then does the
// source act on the server (IMAP: \Seen plus a keyword, or a move to a folder
// such as „Przetworzone” or „Błędne”; POP3: DELE when asked). Local sources
// (mbox, maildir, eml) are only read, never changed.
//
// Specs (openSource):
//   mbox:FILE                          key item "offset=N" (byte offset of the From_ line)
//   maildir:DIR                        cur/ and new/; key item "file=NAME" (NAME without ":2,FLAGS")
//   eml:DIR                            the *.eml files of DIR; key item "file=NAME"
//   imap://[USER@]HOST[:PORT][/FOLDER] key item "uidvalidity=V/uid=U"; FOLDER percent-encoded
//   imaps://…                          UTF-8 (default INBOX), sent in modified UTF-7
//   pop3://[USER@]HOST[:PORT]          key item "uidl=…"
//   pop3s://…
// A password in the spec is refused: credentials come from Credentials
// (configuration) or the environment (FORMPROC_MAIL_USER,
// FORMPROC_MAIL_PASSWORD), and never appear in a key, an error or a log.
//
// A source is used by one thread at a time (not thread-safe); separate
// sources are independent.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "formproc/intake/message.hpp"

namespace formproc::intake {

struct MessageKey {
    std::string mailbox;    // the canonical source, e.g. "mbox:/srv/in.mbox", "imap://urzad@host:993/INBOX"
    std::string item;       // the message within it, e.g. "offset=1234", "uidvalidity=7/uid=42"
    std::string messageId;  // "<…>" as in the header, "" when none (also part of the ledger's key)

    // mailbox + "#" + item: the ledger key of this copy of the message.
    std::string str() const { return mailbox + "#" + item; }
};

struct FetchedMessage {
    MessageKey key;
    std::string raw;                      // the message's bytes (mboxrd ">From " unescaped)
    std::uint64_t size = 0;               // the size the source reports (raw.size() unless truncated)
    bool truncated = false;               // over SourceOptions::maxMessageBytes: raw holds only the start
    std::optional<TimePoint> receivedAt;  // IMAP INTERNALDATE, the From_ line's date, a file's time
};

// What became of a fetched message, told to done() once it is durable.
enum class Outcome {
    Stored,    // its submissions are stored: IMAP flags it processed or moves it to processedFolder
    Rejected,  // recorded as unusable (malformed, no card): IMAP flags it or moves it to rejectedFolder
    Retry      // not taken: left as it was (IMAP: a message unread before fetching is unread again)
};

enum class ImapAction {
    None,  // read only
    Flag,  // \Seen plus processedKeyword / rejectedKeyword; only messages with neither keyword are read
    Move   // UID MOVE (or COPY + EXPUNGE) to processedFolder / rejectedFolder, created when missing
};

struct Credentials {
    std::string user;
    std::string password;
};

struct SourceOptions {
    std::size_t maxMessageBytes = MessageLimits{}.maxMessageBytes;
    ImapAction imapAction = ImapAction::Flag;
    std::string processedKeyword = "FormprocStored";
    std::string rejectedKeyword = "FormprocRejected";
    std::string processedFolder = "Przetworzone";  // UTF-8; sent in modified UTF-7
    std::string rejectedFolder = "Błędne";
    bool pop3Delete = false;           // DELE after done(), committed by close()
    std::string caFile;                // imaps/pop3s: CA bundle; "" for the system's
    bool verifyPeer = true;            // imaps/pop3s: check the server's certificate
    std::chrono::seconds timeout{60};  // connect, and silence while transferring
};

class MailSource {
public:
    virtual ~MailSource() = default;

    // The next message, or nullopt at the end or on a failure (then error()
    // says what). Connects on the first call.
    virtual std::optional<FetchedMessage> next() = 0;

    // Acts on the server for a message this source fetched (see Outcome).
    // Returns false on a failure (error() says what); the message is then
    // read again next time, which the caller's ledger absorbs.
    virtual bool done(const MessageKey& key, Outcome outcome) = 0;

    // Ends the session (POP3: QUIT, which commits the deletions). Also done by
    // the destructor. Returns false on a failure.
    virtual bool close() { return true; }

    // The canonical mailbox, as in MessageKey::mailbox.
    virtual const std::string& mailbox() const = 0;

    // The last failure in English, without credentials or message content; "" when none.
    const std::string& error() const { return _error; }

protected:
    void setError(std::string message) { _error = std::move(message); }

private:
    std::string _error;
};

struct OpenedSource {
    std::unique_ptr<MailSource> source;  // null when the spec was refused
    std::string error;                   // English, why the spec was refused
};

// Checks `spec` and builds its source (nothing is read or connected yet).
// Network sources take the user from the spec or `credentials`, and the
// password from `credentials`. Thread-safe.
OpenedSource openSource(const std::string& spec, const Credentials& credentials, const SourceOptions& options = {});

// FORMPROC_MAIL_USER and FORMPROC_MAIL_PASSWORD, or FORMPROC_MAIL_<NAME>_USER and
// FORMPROC_MAIL_<NAME>_PASSWORD when `name` is given (upper-cased, non-alphanumerics
// as "_"), the per-source pair winning where set. Thread-safe.
Credentials credentialsFromEnvironment(const std::string& name = {});

// The Message-ID of a raw message ("<…>"), from a quick scan of its header;
// "" when none. Thread-safe.
std::string scanMessageId(std::string_view raw);

}  // namespace formproc::intake
