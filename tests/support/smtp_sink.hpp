// A tiny SMTP server for tests (Poco::Net::TCPServer on 127.0.0.1, a free
// port): it accepts every message and records the envelope and the DATA.
// Enough SMTP for Poco's client: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace formproc::test {

struct ReceivedMail {
    std::string from;
    std::vector<std::string> to;
    std::string data;  // dot-unstuffed, CRLF line ends, without the final "."
};

class SmtpSink {
public:
    SmtpSink() : _socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto params = Poco::makeAuto<Poco::Net::TCPServerParams>();
        params->setMaxThreads(2);
        // Poco's TCPServer takes ownership of the factory through its own SharedPtr.
        Poco::Net::TCPServerConnectionFactory::Ptr factory(new Factory(*this));
        _server = std::make_unique<Poco::Net::TCPServer>(factory, _socket, params);
        _server->start();
    }
    ~SmtpSink() { _server->stop(); }
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    int port() const { return _socket.address().port(); }

    std::vector<ReceivedMail> received() const {
        std::lock_guard lock(_mutex);
        return _mails;
    }

private:
    class Connection final : public Poco::Net::TCPServerConnection {
    public:
        Connection(const Poco::Net::StreamSocket& socket, SmtpSink& sink)
            : Poco::Net::TCPServerConnection(socket), _sink(sink) {}

        void run() override {
            socket().setReceiveTimeout(Poco::Timespan(10, 0));
            send("220 sink.test ESMTP\r\n");
            ReceivedMail mail;
            std::string line;
            while (readLine(line)) {
                std::string verb = line.substr(0, 4);
                for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                if (verb == "EHLO") {
                    send("250-sink.test\r\n250 8BITMIME\r\n");
                } else if (verb == "HELO" || verb == "NOOP" || verb == "RSET") {
                    send("250 OK\r\n");
                } else if (verb == "MAIL") {
                    mail = {};
                    mail.from = address(line);
                    send("250 OK\r\n");
                } else if (verb == "RCPT") {
                    mail.to.push_back(address(line));
                    send("250 OK\r\n");
                } else if (verb == "DATA") {
                    send("354 go on\r\n");
                    if (!readData(mail.data)) return;
                    {
                        std::lock_guard lock(_sink._mutex);
                        _sink._mails.push_back(mail);
                    }
                    send("250 queued\r\n");
                } else if (verb == "QUIT") {
                    send("221 bye\r\n");
                    return;
                } else {
                    send("502 not here\r\n");
                }
            }
        }

    private:
        static std::string address(const std::string& line) {
            const auto open = line.find('<');
            const auto close = line.find('>', open);
            return open == std::string::npos || close == std::string::npos ? std::string()
                                                                           : line.substr(open + 1, close - open - 1);
        }
        void send(const std::string& text) { socket().sendBytes(text.data(), static_cast<int>(text.size())); }
        bool readLine(std::string& line) {
            line.clear();
            for (;;) {
                const auto newline = _buffer.find("\r\n");
                if (newline != std::string::npos) {
                    line = _buffer.substr(0, newline);
                    _buffer.erase(0, newline + 2);
                    return true;
                }
                char chunk[4096];
                int got = 0;
                try {
                    got = socket().receiveBytes(chunk, sizeof chunk);
                } catch (const Poco::Exception&) {
                    return false;
                }
                if (got <= 0) return false;
                _buffer.append(chunk, static_cast<std::size_t>(got));
            }
        }
        bool readData(std::string& data) {
            std::string line;
            while (readLine(line)) {
                if (line == ".") return true;
                data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
            }
            return false;
        }

        SmtpSink& _sink;
        std::string _buffer;
    };

    class Factory final : public Poco::Net::TCPServerConnectionFactory {
    public:
        explicit Factory(SmtpSink& sink) : _sink(sink) {}
        Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
            return new Connection(socket, _sink);  // Poco's factory interface: TCPServer owns and deletes it
        }

    private:
        SmtpSink& _sink;
    };

    Poco::Net::ServerSocket _socket;
    std::unique_ptr<Poco::Net::TCPServer> _server;
    mutable std::mutex _mutex;
    std::vector<ReceivedMail> _mails;
};

}  // namespace formproc::test
