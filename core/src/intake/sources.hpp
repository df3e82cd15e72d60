// The MailSource implementations behind openSource(). Private to core/src/intake.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "formproc/intake/mail_source.hpp"

namespace formproc::intake::detail {

std::unique_ptr<MailSource> makeMboxSource(const std::filesystem::path& file, const SourceOptions& options);
std::unique_ptr<MailSource> makeMaildirSource(const std::filesystem::path& dir, const SourceOptions& options);
std::unique_ptr<MailSource> makeEmlSource(const std::filesystem::path& dir, const SourceOptions& options);

// A parsed imap:// imaps:// pop3:// pop3s:// spec.
struct ServerSpec {
    std::string scheme;  // imap, imaps, pop3, pop3s
    std::string host;
    int port = 0;
    std::string user;
    std::string folder;  // IMAP, UTF-8 ("INBOX" by default)
    bool tls() const { return scheme == "imaps" || scheme == "pop3s"; }
    // scheme://user@host:port[/folder], the MessageKey mailbox.
    std::string canonical() const;
};

std::unique_ptr<MailSource> makeImapSource(const ServerSpec& spec, const Credentials& credentials,
                                           const SourceOptions& options);
std::unique_ptr<MailSource> makePop3Source(const ServerSpec& spec, const Credentials& credentials,
                                           const SourceOptions& options);

// Appends `bytes` to `raw` while raw stays within `limit`; returns false once it would not.
bool appendBounded(std::string& raw, std::string_view bytes, std::size_t limit);

}  // namespace formproc::intake::detail
