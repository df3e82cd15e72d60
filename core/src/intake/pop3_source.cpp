// pop3:// and pop3s:// through Poco::Net::POP3ClientSession, keyed by UIDL.
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/POP3ClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>

#include <mutex>
#include <sstream>
#include <streambuf>
#include <unordered_map>

#include "sources.hpp"

namespace formproc::intake::detail {

namespace {

// An ostream buffer that keeps the first `limit` bytes and counts the rest.
class BoundedBuffer final : public std::streambuf {
public:
    BoundedBuffer(std::string& out, std::size_t limit) : _out(out), _limit(limit) {}
    std::uint64_t total() const { return _total; }

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) {
            const char byte = static_cast<char>(c);
            xsputn(&byte, 1);
        }
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* data, std::streamsize count) override {
        const auto bytes = static_cast<std::size_t>(count);
        _total += bytes;
        if (_out.size() < _limit) _out.append(data, std::min(bytes, _limit - _out.size()));
        return count;
    }

private:
    std::string& _out;
    std::size_t _limit;
    std::uint64_t _total = 0;
};

void ensureSsl() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

class Pop3Source final : public MailSource {
public:
    Pop3Source(ServerSpec spec, Credentials credentials, const SourceOptions& options)
        : _spec(std::move(spec)),
          _credentials(std::move(credentials)),
          _options(options),
          _mailbox(_spec.canonical()) {}
    ~Pop3Source() override { close(); }
    Pop3Source(const Pop3Source&) = delete;
    Pop3Source& operator=(const Pop3Source&) = delete;

    std::optional<FetchedMessage> next() override {
        try {
            if (!_session && !connect()) return std::nullopt;
            if (_index >= _messages.size()) return std::nullopt;
            const auto& info = _messages[_index++];
            std::string response;
            if (!_session->sendCommand("UIDL", std::to_string(info.id), response)) {
                setError("pop3: the server refused UIDL");
                return std::nullopt;
            }
            std::istringstream words(response);
            std::string ok, number, uidl;
            words >> ok >> number >> uidl;
            FetchedMessage message;
            BoundedBuffer buffer(message.raw, _options.maxMessageBytes + 1);
            std::ostream out(&buffer);
            _session->retrieveMessage(info.id, out);
            message.size = buffer.total();
            message.truncated = buffer.total() > _options.maxMessageBytes;
            message.key = {_mailbox, "uidl=" + uidl, scanMessageId(message.raw)};
            _idByUidl[uidl] = info.id;
            return message;
        } catch (const Poco::Exception& e) {
            setError("pop3: " + e.displayText());
        } catch (const std::exception& e) {
            setError(std::string("pop3: ") + e.what());
        }
        return std::nullopt;
    }

    bool done(const MessageKey& key, Outcome outcome) override {
        const auto it = _idByUidl.find(key.item.rfind("uidl=", 0) == 0 ? key.item.substr(5) : std::string());
        if (key.mailbox != _mailbox || it == _idByUidl.end()) {
            setError("pop3: done() for a message this source did not fetch");
            return false;
        }
        if (!_options.pop3Delete || outcome == Outcome::Retry) return true;
        try {
            _session->deleteMessage(it->second);  // committed by QUIT in close()
            return true;
        } catch (const Poco::Exception& e) {
            setError("pop3: " + e.displayText());
            return false;
        }
    }

    bool close() override {
        if (!_session) return true;
        try {
            _session->close();
            _session.reset();
            return true;
        } catch (const Poco::Exception& e) {
            setError("pop3: " + e.displayText());
            _session.reset();
            return false;
        }
    }

    const std::string& mailbox() const override { return _mailbox; }

private:
    bool connect() {
        const Poco::Timespan timeout(static_cast<long>(_options.timeout.count()), 0);
        std::string host = _spec.host;
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        const Poco::Net::SocketAddress address(host, static_cast<Poco::UInt16>(_spec.port));
        if (_spec.tls()) {
            ensureSsl();
            const auto mode =
                _options.verifyPeer ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
            auto context = Poco::makeAuto<Poco::Net::Context>(Poco::Net::Context::TLS_CLIENT_USE, _options.caFile, mode,
                                                              9, _options.caFile.empty());
            Poco::Net::SecureStreamSocket socket(context);
            socket.setPeerHostName(host);
            socket.connect(address, timeout);
            _session = std::make_unique<Poco::Net::POP3ClientSession>(socket);
        } else {
            Poco::Net::StreamSocket socket;
            socket.connect(address, timeout);
            _session = std::make_unique<Poco::Net::POP3ClientSession>(socket);
        }
        _session->setTimeout(timeout);
        _session->login(_credentials.user, _credentials.password);
        _session->listMessages(_messages);
        return true;
    }

    ServerSpec _spec;
    Credentials _credentials;
    SourceOptions _options;
    std::string _mailbox;
    std::unique_ptr<Poco::Net::POP3ClientSession> _session;
    Poco::Net::POP3ClientSession::MessageInfoVec _messages;
    std::size_t _index = 0;
    std::unordered_map<std::string, int> _idByUidl;
};

}  // namespace

std::unique_ptr<MailSource> makePop3Source(const ServerSpec& spec, const Credentials& credentials,
                                           const SourceOptions& options) {
    return std::make_unique<Pop3Source>(spec, credentials, options);
}

}  // namespace formproc::intake::detail
