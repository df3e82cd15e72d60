// Helpers for the intake tests: the sample messages and their expected
// results, an mboxrd writer, and small MIME builders.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "formproc/intake/message.hpp"
#include "test_support.hpp"

namespace formproc::test {

struct ExpectedAttachment {
    std::string source;
    std::string sha256;
    std::string mediaType;
    std::string date;
    std::string messageId;
};

struct SampleMessage {
    std::string name;  // file name of the .eml
    std::string raw;
    std::vector<ExpectedAttachment> expected;
};

// The 17 sample messages of tests/data/email/samples in name order, each with
// the corpus's expected results (one entry per attachment in MIME order).
inline const std::vector<SampleMessage>& sampleMessages() {
    static const std::vector<SampleMessage> messages = [] {
        std::vector<SampleMessage> out;
        const std::filesystem::path dir = dataPath("email/samples");
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (entry.path().extension() == ".eml")
                out.push_back({entry.path().filename().string(), readFile(entry.path().string()), {}});
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        for (auto& message : out) {
            Poco::JSON::Parser parser;
            const auto list = parser.parse(readFile((dir / (message.name + ".expected.json")).string()))
                                  .extract<Poco::JSON::Array::Ptr>();
            for (std::size_t i = 0; i < list->size(); ++i) {
                const auto item = list->getObject(static_cast<unsigned>(i));
                const auto submitted = item->getObject("submitted");
                message.expected.push_back(
                    {item->getValue<std::string>("source"), item->getValue<std::string>("sha256"),
                     item->getValue<std::string>("media_type"), submitted->getValue<std::string>("date"),
                     submitted->getValue<std::string>("message_id")});
            }
        }
        return out;
    }();
    return messages;
}

// The messages as an mboxrd file: LF line ends, "From " lines in bodies escaped.
inline std::string toMboxrd(const std::vector<std::string>& messages) {
    std::string out;
    for (const std::string& raw : messages) {
        out += "From formproc@test.example Thu Jun 21 12:00:00 2018\n";
        std::size_t at = 0;
        while (at < raw.size()) {
            std::size_t end = raw.find('\n', at);
            if (end == std::string::npos) end = raw.size();
            std::string line = raw.substr(at, end - at);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const std::size_t quotes = line.find_first_not_of('>');
            if (quotes != std::string::npos && line.compare(quotes, 5, "From ") == 0) line = ">" + line;
            out += line + "\n";
            at = end + 1;
        }
        out += "\n";
    }
    return out;
}

// A minimal message around `body` (headers first, CRLF line ends).
inline std::string mailWith(const std::string& headers, const std::string& body) {
    std::string text =
        "From: Jan Nowak <jan@gmina.example>\nTo: rops@rops.example\nMessage-ID: <t1@gmina.example>\n"
        "Date: Mon, 18 Jun 2018 10:00:00 +0200\nMIME-Version: 1.0\n" +
        headers + "\n" + body;
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// A multipart/mixed body of `parts` (each: its own headers, a blank line, its content).
inline std::string mixed(const std::vector<std::string>& parts, const std::string& boundary = "b0") {
    std::string out = "preamble\n";
    for (const auto& part : parts) out += "--" + boundary + "\n" + part + "\n";
    return out + "--" + boundary + "--\n";
}

inline std::string base64(const std::string& bytes) {
    static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out += {kTable[(v >> 18) & 63], kTable[(v >> 12) & 63], kTable[(v >> 6) & 63], kTable[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const auto v = static_cast<unsigned char>(bytes[i]) << 16;
        out += {kTable[(v >> 18) & 63], kTable[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const auto v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += {kTable[(v >> 18) & 63], kTable[(v >> 12) & 63], kTable[(v >> 6) & 63], '='};
    }
    std::string lines;
    for (std::size_t at = 0; at < out.size(); at += 76) lines += out.substr(at, 76) + "\n";
    return lines;
}

inline const std::string& tinyPdf() {
    static const std::string pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    return pdf;
}

inline intake::TimePoint utc(int year, unsigned month, unsigned day, int hour, int minute, int second) {
    using namespace std::chrono;
    return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} + hours{hour} +
           minutes{minute} + seconds{second};
}

}  // namespace formproc::test
