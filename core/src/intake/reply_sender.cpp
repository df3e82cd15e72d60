#include "formproc/intake/reply_sender.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>

#include <mutex>
#include <random>
#include <sstream>

#include "gmime_support.hpp"

namespace formproc::intake {

namespace {

using detail::GPtr;

void ensureSsl() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

GMimeObject* textPart(const std::string& text) {
    GMimeTextPart* part = g_mime_text_part_new_with_subtype("plain");
    g_mime_text_part_set_text(part, text.c_str());  // UTF-8, charset chosen and encoded by GMime
    return GMIME_OBJECT(part);
}

GMimeObject* filePart(const ReplyFile& file) {
    const std::string type = file.mediaType.empty() ? "application/octet-stream" : file.mediaType;
    const std::size_t slash = type.find('/');
    GMimePart* part = g_mime_part_new_with_type(
        type.substr(0, slash).c_str(), slash == std::string::npos ? "octet-stream" : type.substr(slash + 1).c_str());
    g_mime_part_set_filename(part, safeFileName(file.name, type).c_str());  // RFC 2231 when not ASCII
    g_mime_object_set_disposition(GMIME_OBJECT(part), GMIME_DISPOSITION_ATTACHMENT);
    g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(file.bytes.data(), file.bytes.size()));
    GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(part, content.get());
    return GMIME_OBJECT(part);
}

void addAddress(GMimeMessage* message, GMimeAddressType type, const Address& address) {
    g_mime_message_add_mailbox(message, type, address.name.empty() ? nullptr : address.name.c_str(),
                               address.address.c_str());
}

std::string stripBrackets(const std::string& id) {
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') return id.substr(1, id.size() - 2);
    return id;
}

}  // namespace

std::string newMessageId(const Address& from) {
    static std::mutex mutex;
    static std::mt19937_64 random{std::random_device{}()};
    std::uint64_t a = 0, b = 0;
    {
        std::lock_guard lock(mutex);
        a = random();
        b = random();
    }
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(b));
    const std::size_t at = from.address.rfind('@');
    const std::string domain = at == std::string::npos ? "formproc.invalid" : from.address.substr(at + 1);
    return "<formproc." + std::string(buffer) + "@" + domain + ">";
}

std::string composeReply(const Reply& reply, const std::string& messageId, std::optional<TimePoint> date) {
    detail::ensureGmime();
    GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
    addAddress(message.get(), GMIME_ADDRESS_TYPE_FROM, reply.from);
    addAddress(message.get(), GMIME_ADDRESS_TYPE_TO, reply.to);
    g_mime_message_set_subject(message.get(), reply.subject.c_str(), "utf-8");  // RFC 2047 when not ASCII
    g_mime_message_set_message_id(message.get(), stripBrackets(messageId).c_str());
    if (!reply.inReplyTo.empty()) {
        g_mime_object_set_header(GMIME_OBJECT(message.get()), "In-Reply-To", reply.inReplyTo.c_str(), nullptr);
        g_mime_object_set_header(GMIME_OBJECT(message.get()), "References", reply.inReplyTo.c_str(), nullptr);
    }
    const auto seconds =
        date.value_or(std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    detail::DateTimePtr when(g_date_time_new_from_unix_utc(seconds.time_since_epoch().count()));
    g_mime_message_set_date(message.get(), when.get());
    GPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    GPtr<GMimeObject> body(textPart(reply.text));
    g_mime_multipart_add(mixed.get(), body.get());
    for (const ReplyFile& file : reply.files) {
        GPtr<GMimeObject> part(filePart(file));
        g_mime_multipart_add(mixed.get(), part.get());
    }
    g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(mixed.get()));
    GMimeFormatOptions* format = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
    detail::GCharPtr text(g_mime_object_to_string(GMIME_OBJECT(message.get()), format));
    g_mime_format_options_free(format);
    return text ? std::string(text.get()) : std::string();
}

SendResult ReplySender::send(const Reply& reply, const std::string& messageId) {
    SendResult result;
    result.messageId = messageId.empty() ? newMessageId(reply.from) : messageId;
    const std::string bytes = composeReply(reply, result.messageId);
    try {
        const Poco::Timespan timeout(static_cast<long>(_config.timeout.count()), 0);
        const Poco::Net::SocketAddress address(_config.host, static_cast<Poco::UInt16>(_config.port));
        const auto mode = _config.verifyPeer ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
        std::unique_ptr<Poco::Net::SMTPClientSession> session;
        Poco::Net::Context::Ptr context;
        if (_config.security != SmtpSecurity::None) {
            ensureSsl();
            context = Poco::makeAuto<Poco::Net::Context>(Poco::Net::Context::TLS_CLIENT_USE, _config.caFile, mode, 9,
                                                         _config.caFile.empty());
        }
        if (_config.security == SmtpSecurity::Tls) {
            Poco::Net::SecureStreamSocket socket(context);
            socket.setPeerHostName(_config.host);
            socket.connect(address, timeout);
            session = std::make_unique<Poco::Net::SMTPClientSession>(socket);
        } else {
            Poco::Net::StreamSocket socket;
            socket.connect(address, timeout);
            session = std::make_unique<Poco::Net::SecureSMTPClientSession>(socket);
        }
        session->setTimeout(timeout);
        session->login(_config.heloName);
        if (_config.security == SmtpSecurity::StartTls &&
            !static_cast<Poco::Net::SecureSMTPClientSession&>(*session).startTLS(context)) {
            result.error = "smtp: the server does not offer STARTTLS";
            return result;
        }
        if (!_config.login.user.empty())
            session->login(_config.heloName, Poco::Net::SMTPClientSession::AUTH_LOGIN, _config.login.user,
                           _config.login.password);
        session->sendAddresses(reply.from.address, {reply.to.address});
        session->sendData();
        std::istringstream in(bytes);
        session->sendMessage(in);
        session->close();
        result.ok = true;
    } catch (const Poco::Exception& e) {
        result.error = "smtp: " + e.displayText();
    } catch (const std::exception& e) {
        result.error = std::string("smtp: ") + e.what();
    }
    return result;
}

}  // namespace formproc::intake
