#include <catch2/catch.hpp>

#include <Poco/Checksum.h>

#include "formproc/intake/mail_source.hpp"
#include "formproc/intake/message.hpp"
#include "intake/intake_support.hpp"
#include "support/zip_writer.hpp"

using namespace formproc;
using namespace formproc::intake;
using formproc::test::mailWith;
using formproc::test::mixed;
using formproc::test::utc;

namespace {

std::string external(const std::string& name) { return test::readFile(test::dataPath("email/external/" + name)); }

std::string pdfPart(const std::string& headers) {
    return headers + "Content-Transfer-Encoding: base64\n\n" + test::base64(test::tinyPdf());
}

const std::string kText = "Content-Type: text/plain; charset=utf-8\n\nW załączeniu karta.\n";

}  // namespace

TEST_CASE("intake: every sample message gives the corpus's attachments, date and Message-ID", "[intake][mime]") {
    const auto& samples = test::sampleMessages();
    REQUIRE(samples.size() == 17);
    for (const auto& sample : samples) {
        INFO(sample.name);
        const ParsedMessage message = parseMessage(sample.raw);
        REQUIRE(message.ok());
        REQUIRE(message.attachments.size() == sample.expected.size());
        CHECK(message.flags.names().empty());
        for (std::size_t i = 0; i < sample.expected.size(); ++i) {
            const auto& expected = sample.expected[i];
            const Attachment& attachment = message.attachments[i];
            CHECK(attachment.fileName == expected.source);
            CHECK(attachment.sha256 == expected.sha256);
            CHECK(attachment.mediaType() == expected.mediaType);
            CHECK(message.sentDate == expected.date);
            CHECK(message.messageId == expected.messageId);
        }
        if (sample.expected.empty()) CHECK(message.sentDate == "2018-06-20");
    }
}

TEST_CASE("intake: a forwarded card counts with the outer message's date and Message-ID", "[intake][mime]") {
    const auto& sample = test::sampleMessages().front();  // 01-008-gmina-jodlowa: message/rfc822
    REQUIRE(sample.name == "01-008-gmina-jodlowa.eml");
    const ParsedMessage message = parseMessage(sample.raw);
    REQUIRE(message.attachments.size() == 1);
    CHECK(message.attachments[0].fromForwarded);
    CHECK(message.messageId == "<20180606115941.3E7CC0@rops.lublin.example>");
    CHECK(message.forwardedMessageIds == std::vector<std::string>{"<20180606103641.42AFC8@ug.jodlowa.example>"});
    CHECK(message.subject.find("Liderzy kooperacji") != std::string::npos);
    CHECK(message.from.address == "pracownik@rops.lublin.example");
    CHECK(message.firstReceived.has_value());
}

TEST_CASE("intake: every external message parses without a crash, the malformed ones with a clear result",
          "[intake][mime][external]") {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::dataPath("email/external"))) {
        if (entry.path().extension() != ".eml") continue;
        ++count;
        INFO(entry.path().filename().string());
        const ParsedMessage message = parseMessage(test::readFile(entry.path().string()));
        CHECK(message.ok());
        for (const auto& attachment : message.attachments) {
            CHECK_FALSE(attachment.fileName.empty());
            CHECK(attachment.fileName.find('/') == std::string::npos);
            CHECK(repairUtf8(attachment.fileName) == attachment.fileName);
        }
        CHECK(repairUtf8(message.subject) == message.subject);
    }
    CHECK(count == 31);

    // The malformed structures: what could be read is given, nothing more.
    CHECK(parseMessage(external("mime4j-missing-boundary.eml")).attachments.empty());
    CHECK(parseMessage(external("mimekit-empty-multipart.eml")).attachments.empty());
    const auto invalidDate = parseMessage(external("cpython-msg_47-invalid-date.eml"));
    CHECK(invalidDate.flags.dateUnparseable);
    CHECK_FALSE(invalidDate.sentAt.has_value());
    CHECK(invalidDate.sentDate.empty());
    CHECK(invalidDate.flags.names() == std::vector<std::string>{"date_unparseable"});
    const auto noDate = parseMessage(external("mime4j-boundary-name-clash.eml"));
    CHECK(noDate.flags.noDate);
    REQUIRE(noDate.attachments.size() == 1);  // the prefix clash does not hide the PDF
    CHECK(noDate.attachments[0].sniffedType == "application/pdf");
    const auto clash = parseMessage(external("cpython-msg_15-same-boundary-inner-outer.eml"));
    CHECK(clash.ok());
    const auto spam = parseMessage(external("mailparser-mail_malformed_3.eml"));  // NUL bytes, wrong boundary
    CHECK(spam.ok());
}

TEST_CASE("intake: RFC 2047 and RFC 2231 names and subjects in Polish and other charsets", "[intake][mime]") {
    CHECK(parseMessage(external("phpmimemailparser-issue212-windows-1250-subject.eml")).subject ==
          "Automatyczna odpowiedź: Piotrze, test z 6 miesięcy nauki ciągle na Ciebie czeka");
    CHECK(parseMessage(external("mime4j-mimetools-intl.eml")).subject ==
          "If you can read this you understand the example... so, cool!");
    CHECK(parseMessage(external("hunnysoft-m0006.eml")).subject == "Die Hasen und die Frösche (Microsoft Outlook 00)");
    const auto letters = parseMessage(external("letters-polish-mixed-iso-8859-2-qp.eml"));
    CHECK(letters.from.name == "Nadająca, Alicja");
    CHECK(letters.subject == "📧 Test Polskie pangramy");
    for (const char* name : {"mime4j-mimetools-attachment-filename-encoding-UTF8.eml",
                             "mime4j-mimetools-attachment-filename-encoding-Latin1.eml"}) {
        const auto message = parseMessage(external(name));
        REQUIRE(message.attachments.size() == 1);
        CHECK(message.attachments[0].fileName == "attachment.äöü");
    }
    for (const char* name : {"hunnysoft-m3004.eml", "hunnysoft-m1015.eml"}) {
        const auto message = parseMessage(external(name));
        REQUIRE_FALSE(message.attachments.empty());
        CHECK(message.attachments.back().fileName == "HasenundFrösche.txt");
    }

    // Adjacent padded base64 words (GMime 3.2.13's bug #133 worked around), also in names and file names.
    const auto padded =
        parseMessage(mailWith("Subject: =?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=\n"
                              "Content-Type: application/pdf; name=\"=?UTF-8?B?xYE=?= =?UTF-8?B?xJljem5hLnBkZg==?=\"\n"
                              "Content-Transfer-Encoding: base64\n",
                              test::base64(test::tinyPdf()))
                         .replace(0, 35, "From: =?UTF-8?B?SmFu?= =?UTF-8?B?IE7Ds3dhaw==?= <j@x.example>"));
    CHECK(padded.subject == "Hello world");
    CHECK(padded.from.name == "Jan Nówak");
    REQUIRE(padded.attachments.size() == 1);
    CHECK(padded.attachments[0].fileName == "Łęczna.pdf");

    // RFC 2231 with continuations and charsets, Polish letters.
    const std::string continued = mailWith(
        "Content-Type: multipart/mixed; boundary=b0\n",
        mixed({kText,
               pdfPart("Content-Type: application/pdf\nContent-Disposition: attachment;\n"
                       " filename*0*=UTF-8''Karta%20zg%C5%82oszeniowa%20;\n filename*1*=gminy%20%C5%81%C4%99czna;\n"
                       " filename*2=\".pdf\"\n"),
               pdfPart("Content-Type: application/pdf; name*=iso-8859-2''%A3%F3d%BC.pdf\n"),
               pdfPart("Content-Type: application/pdf\nContent-Disposition: attachment;"
                       " filename=\"=?windows-1250?Q?=8Cwidnik_=B9=E6=EA.pdf?=\"\n")}));
    const auto polish = parseMessage(continued);
    REQUIRE(polish.attachments.size() == 3);
    CHECK(polish.attachments[0].fileName == "Karta zgłoszeniowa gminy Łęczna.pdf");
    CHECK(polish.attachments[1].fileName == "Łódź.pdf");
    CHECK(polish.attachments[2].fileName == "Świdnik ąćę.pdf");
    CHECK(polish.attachments[0].partPath == "2");
    CHECK(polish.attachments[2].partPath == "4");

    // ISO-8859-2 and windows-1250 in the subject and the sender's name.
    const auto names = parseMessage(
        "From: =?ISO-8859-2?Q?Gmina_=A3=EAczna?= <ug@leczna.example>\r\n"
        "Subject: =?windows-1250?B?Wmezb3N6ZW5pZSBnbWlueSCMcm9kYQ==?= =?iso-8859-2?q?_=BF=F3=B3w?=\r\n"
        "Date: Mon, 18 Jun 2018 10:00:00 +0200\r\n\r\nbody\r\n");
    CHECK(names.from.name == "Gmina Łęczna");
    CHECK(names.subject == "Zgłoszenie gminy Środa żółw");
}

TEST_CASE("intake: PDFs and images are recognised by their bytes, bodies are not attachments", "[intake][mime]") {
    const std::string raw =
        mailWith("Content-Type: multipart/mixed; boundary=b0\n",
                 mixed({"Content-Type: multipart/alternative; boundary=b1\n\n" +
                            mixed({kText, "Content-Type: text/html; charset=utf-8\n\n<p>W załączeniu</p>\n"}, "b1"),
                        pdfPart("Content-Type: application/octet-stream\n"),  // no name, wrong type
                        pdfPart("Content-Type: text/plain\n"),                // a PDF called text
                        pdfPart("")}));                                       // no headers at all
    const auto message = parseMessage(raw);
    REQUIRE(message.attachments.size() == 3);
    for (const auto& attachment : message.attachments) {
        CHECK(attachment.sniffedType == "application/pdf");
        CHECK(attachment.fileName == "zalacznik.pdf");
        CHECK(attachment.bytes == test::tinyPdf());
    }
    CHECK(message.attachments[0].partPath == "2");
    CHECK(message.attachments[0].declaredType == "application/octet-stream");
    CHECK(message.attachments[1].declaredType == "text/plain");
    CHECK_FALSE(message.notes.empty());

    CHECK(sniffMediaType("\xFF\xD8\xFF\xE0") == "image/jpeg");
    CHECK(sniffMediaType("\x89PNG\r\n\x1A\n....") == "image/png");
    CHECK(sniffMediaType(std::string("II*\0", 4)) == "image/tiff");
    CHECK(sniffMediaType("garbage then %PDF-1.7") == "application/pdf");
    CHECK(sniffMediaType("just text").empty());
    CHECK(sniffMediaType(test::makeZip({{"[Content_Types].xml", "<x/>"}, {"word/document.xml", "<w/>"}})) ==
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    CHECK(sniffMediaType(test::makeZip({{"mimetype", "application/vnd.oasis.opendocument.text", false}})) ==
          "application/vnd.oasis.opendocument.text");
    CHECK(sniffMediaType(test::makeZip({{"a.pdf", test::tinyPdf()}})) == "application/zip");
}

TEST_CASE("intake: a logo of an HTML body is skipped, a pasted scan is not", "[intake][mime]") {
    const std::string logo = "\x89PNG\r\n\x1A\n" + std::string(100, 'x');
    const std::string scan = "\xFF\xD8\xFF\xE0" + std::string(40000, 'y');
    const std::string related =
        "Content-Type: multipart/related; boundary=b1\n\n" +
        mixed(
            {"Content-Type: text/html\n\n<img src=cid:logo><img src=cid:scan>\n",
             "Content-Type: image/png\nContent-ID: <logo>\nContent-Transfer-Encoding: base64\n\n" + test::base64(logo),
             "Content-Type: image/jpeg\nContent-ID: <scan>\nContent-Transfer-Encoding: base64\n\n" +
                 test::base64(scan)},
            "b1");
    const auto message = parseMessage(mailWith("Content-Type: multipart/mixed; boundary=b0\n", mixed({related})));
    REQUIRE(message.attachments.size() == 1);
    CHECK(message.attachments[0].sniffedType == "image/jpeg");
    CHECK(message.attachments[0].partPath == "1.3");
    REQUIRE(message.skipped.size() == 1);
    CHECK(message.skipped[0].reason == SkipReason::InlineImage);
}

TEST_CASE("intake: message/rfc822 forwards are recursed into, also when transfer-encoded", "[intake][mime]") {
    const std::string inner =
        "From: Gmina <ug@gmina.example>\nMessage-ID: <inner@gmina.example>\n"
        "Date: Fri, 22 Jun 2018 09:00:00 +0200\nSubject: Karta\n"
        "Content-Type: multipart/mixed; boundary=i0\n\n" +
        mixed({kText, pdfPart("Content-Type: application/pdf; name=karta.pdf\n")}, "i0");
    const std::string outer =
        mailWith("Content-Type: multipart/mixed; boundary=b0\n",
                 mixed({kText, "Content-Type: message/rfc822\n\n" + inner,
                        "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + test::base64(inner),
                        pdfPart("Content-Type: application/pdf; name=zal.pdf\n")}));
    const auto message = parseMessage(outer);
    REQUIRE(message.ok());
    REQUIRE(message.attachments.size() == 3);
    CHECK(message.attachments[0].fileName == "karta.pdf");
    CHECK(message.attachments[0].partPath == "2.2");
    CHECK(message.attachments[0].fromForwarded);
    CHECK(message.attachments[1].partPath == "3.2");
    CHECK(message.attachments[1].fromForwarded);
    CHECK(message.attachments[2].fileName == "zal.pdf");
    CHECK_FALSE(message.attachments[2].fromForwarded);
    CHECK(message.sentDate == "2018-06-18");  // the outer message's, not the forwarded one's
    CHECK(message.forwardedMessageIds == std::vector<std::string>{"<inner@gmina.example>", "<inner@gmina.example>"});

    const auto nested = parseMessage(external("mime4j-base64encoded-rfc822message-nested.eml"));
    CHECK(nested.ok());
    CHECK(parseMessage(external("mime4j-mimetools-multi-nested.eml")).attachments.size() == 2);
}

TEST_CASE("intake: TNEF is noted and skipped", "[intake][mime]") {
    const auto message = parseMessage(external("mimekit-tnef-ukr-koi8-r.eml"));
    REQUIRE(message.ok());
    CHECK(message.attachments.empty());
    REQUIRE(message.skipped.size() == 1);
    CHECK(message.skipped[0].reason == SkipReason::Tnef);
    CHECK(message.skipped[0].messagePl.find("winmail.dat") != std::string::npos);
    CHECK(std::any_of(message.notes.begin(), message.notes.end(),
                      [](const std::string& note) { return note.find("TNEF") != std::string::npos; }));
}

TEST_CASE("intake: a ZIP of cards is expanded, a zip bomb is refused", "[intake][mime][zip]") {
    const std::string docx = test::makeZip({{"[Content_Types].xml", "<x/>"}, {"word/document.xml", "<w/>"}});
    test::ZipPart cp852("karty/karta_\x97widnica.pdf", test::tinyPdf());  // „Świdnica” in CP852, as a DOS zipper
    cp852.utf8Name = false;                                               // writes it: no UTF-8 flag
    const std::string archive = test::makeZip({{"karty/", ""},
                                               {"karty/Karta gminy Łęczna.pdf", test::tinyPdf()},
                                               {"__MACOSX/karty/._Karta.pdf", "junk"},
                                               {"karty/karta.docx", docx},
                                               cp852});
    const std::string raw =
        mailWith("Content-Type: multipart/mixed; boundary=b0\n",
                 mixed({kText, "Content-Type: application/zip; name=karty.zip\nContent-Transfer-Encoding: base64\n\n" +
                                   test::base64(archive)}));
    const auto message = parseMessage(raw);
    REQUIRE(message.attachments.size() == 3);
    CHECK(message.attachments[0].fileName == "Karta gminy Łęczna.pdf");
    CHECK(message.attachments[0].zipEntry == "karty/Karta gminy Łęczna.pdf");
    CHECK(message.attachments[0].fromZip);
    CHECK(message.attachments[0].partPath == "2");
    CHECK(message.attachments[1].sniffedType ==
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    CHECK(message.attachments[2].fileName == "karta_Świdnica.pdf");

    ParseOptions keep;
    keep.expandZip = false;
    REQUIRE(parseMessage(raw, keep).attachments.size() == 1);
    CHECK(parseMessage(raw, keep).attachments[0].sniffedType == "application/zip");

    // A bomb: 60 MiB of zeros in a few KiB, and a lying declared size.
    test::ZipPart bomb("karta.pdf", std::string(60u << 20, '\0'));
    test::ZipPart liar("karta2.pdf", std::string(3u << 20, 'a'));
    liar.declaredSize = 100;
    for (const auto& part : {bomb, liar}) {
        const std::string zipped = test::makeZip({part});
        const auto refused = parseMessage(mailWith(
            "Content-Type: multipart/mixed; boundary=b0\n",
            mixed({kText, "Content-Type: application/zip; name=karty.zip\nContent-Transfer-Encoding: base64\n\n" +
                              test::base64(zipped)})));
        CHECK(refused.ok());
        CHECK(refused.attachments.empty());
        REQUIRE(refused.skipped.size() == 1);
        CHECK(refused.skipped[0].reason == SkipReason::ZipRefused);
        CHECK(refused.skipped[0].messagePl.find("karty.zip") != std::string::npos);
    }
}

TEST_CASE("intake: limits are values, never crashes", "[intake][mime][limits]") {
    const std::string one = mailWith("Content-Type: multipart/mixed; boundary=b0\n",
                                     mixed({kText, pdfPart("Content-Type: application/pdf; name=a.pdf\n")}));
    SECTION("message size") {
        ParseOptions options;
        options.limits.maxMessageBytes = one.size() - 1;
        const auto message = parseMessage(one, options);
        REQUIRE(message.error);
        CHECK(message.error->code == ParseErrorCode::TooLarge);
        CHECK(message.error->reasonPl.find("zbyt duża") != std::string::npos);
        CHECK(message.messageId == "<t1@gmina.example>");  // the header is still read
        CHECK(message.attachments.empty());
    }
    SECTION("attachment size") {
        ParseOptions options;
        options.limits.maxAttachmentBytes = test::tinyPdf().size() - 1;
        const auto message = parseMessage(one, options);
        CHECK(message.ok());
        CHECK(message.attachments.empty());
        REQUIRE(message.skipped.size() == 1);
        CHECK(message.skipped[0].reason == SkipReason::TooLarge);
    }
    SECTION("all attachments together") {
        ParseOptions options;
        options.limits.maxTotalBytes = test::tinyPdf().size() * 2 - 1;
        const auto two = parseMessage(
            mailWith("Content-Type: multipart/mixed; boundary=b0\n",
                     mixed({pdfPart("Content-Type: application/pdf\n"), pdfPart("Content-Type: application/pdf\n")})),
            options);
        CHECK(two.attachments.size() == 1);
        REQUIRE(two.skipped.size() == 1);
        CHECK(two.skipped[0].reason == SkipReason::TooLarge);
        // A ZIP (small itself) may not unpack past what is left.
        const std::string padded = test::tinyPdf() + std::string(3000, ' ');
        options.limits.maxTotalBytes = padded.size() * 2 - 1;
        const std::string zipped = test::makeZip({{"a.pdf", padded}, {"b.pdf", padded}});
        REQUIRE(zipped.size() < padded.size());
        const auto zip =
            parseMessage(mailWith("Content-Type: application/zip; name=k.zip\nContent-Transfer-Encoding: base64\n",
                                  test::base64(zipped)),
                         options);
        CHECK(zip.attachments.empty());
        REQUIRE(zip.skipped.size() == 1);
        CHECK(zip.skipped[0].reason == SkipReason::ZipRefused);
    }
    SECTION("a huge header") {
        const std::string huge = external("mimekit-stack-overflow-huge-header.eml");  // a 135 KB To:
        CHECK(parseMessage(huge).ok());
        ParseOptions options;
        options.limits.maxHeaderBytes = 64u << 10;
        const auto message = parseMessage(huge, options);
        REQUIRE(message.error);
        CHECK(message.error->code == ParseErrorCode::HeaderTooLarge);
    }
    SECTION("parts and depth") {
        std::string body = pdfPart("Content-Type: application/pdf\n");
        for (int level = 0; level < 400; ++level)
            body = "Content-Type: multipart/mixed; boundary=n" + std::to_string(level) + "\n\n--n" +
                   std::to_string(level) + "\n" + body + "\n--n" + std::to_string(level) + "--\n";
        const std::string deep =
            mailWith("Content-Type: multipart/mixed; boundary=top\n", "--top\n" + body + "\n--top--\n");
        const auto tooDeep = parseMessage(deep);
        REQUIRE(tooDeep.error);
        CHECK(tooDeep.error->code == ParseErrorCode::TooDeep);
        ParseOptions options;
        options.limits.maxParts = 100;
        const auto tooMany = parseMessage(deep, options);
        REQUIRE(tooMany.error);
        CHECK(tooMany.error->code == ParseErrorCode::TooManyParts);
        std::vector<std::string> parts(150, pdfPart("Content-Type: application/pdf\n"));
        const auto wide = parseMessage(mailWith("Content-Type: multipart/mixed; boundary=b0\n", mixed(parts)), options);
        REQUIRE(wide.error);
        CHECK(wide.error->code == ParseErrorCode::TooManyParts);
    }
    SECTION("nothing and garbage") {
        CHECK(parseMessage("").error->code == ParseErrorCode::Empty);
        const auto garbage = parseMessage(std::string("\0\x01\x02\xFF binary", 10));
        REQUIRE(garbage.error);
        CHECK(garbage.error->reasonPl.find("uszkodzona") != std::string::npos);
        CHECK(parseMessage("\r\n\r\nonly a body").error.has_value());
    }
}

TEST_CASE("intake: sending dates in Europe/Warsaw, across DST and the deadline's midnight", "[intake][date]") {
    CHECK(warsawDate(utc(2018, 6, 21, 21, 59, 59)) == "2018-06-21");  // CEST: 23:59:59
    CHECK(warsawDate(utc(2018, 6, 21, 22, 0, 0)) == "2018-06-22");
    CHECK(warsawDate(utc(2018, 3, 24, 22, 59, 59)) == "2018-03-24");   // CET: 23:59:59
    CHECK(warsawDate(utc(2018, 3, 25, 0, 59, 59)) == "2018-03-25");    // the night of the change
    CHECK(warsawDate(utc(2018, 3, 25, 22, 0, 0)) == "2018-03-26");     // CEST from 01:00 UTC
    CHECK(warsawDate(utc(2018, 10, 27, 21, 59, 59)) == "2018-10-27");  // CEST still
    CHECK(warsawDate(utc(2018, 10, 28, 22, 59, 59)) == "2018-10-28");  // CET again: 23:59:59
    CHECK(warsawDate(utc(2018, 10, 28, 23, 0, 0)) == "2018-10-29");
    CHECK(warsawDate(utc(2018, 12, 31, 23, 0, 0)) == "2019-01-01");
    // The database and the EU rule agree hour by hour over the project's years.
    for (auto t = utc(2018, 1, 1, 0, 0, 0); t < utc(2022, 1, 1, 0, 0, 0); t += std::chrono::minutes{59})
        REQUIRE(warsawDate(t) == warsawDateByEuRule(t));

    const auto tzEdge = parseMessage(mailWith("", "x").replace(
        mailWith("", "x").find("Mon, 18 Jun 2018 10:00:00 +0200"), 31, "Thu, 21 Jun 2018 22:42:33 +0000"));
    CHECK(tzEdge.sentDate == "2018-06-22");
    CHECK(parseMailDate("Fri, 22 Jun 2018 00:27:01 +0300") == utc(2018, 6, 21, 21, 27, 1));
    CHECK_FALSE(parseMailDate("yesterday").has_value());
}

TEST_CASE("intake: dates later than Received or than now are flagged", "[intake][date]") {
    const std::string received =
        "Received: from a by mx.rops.example; Mon, 18 Jun 2018 09:00:00 +0200\n"
        "Received: from b by a; Mon, 18 Jun 2018 12:00:00 +0200\n";
    const auto late = parseMessage(mailWith(received, "x"));  // Date 10:00, top Received 09:00
    CHECK(late.flags.dateAfterReceived);
    CHECK(late.firstReceived == utc(2018, 6, 18, 7, 0, 0));
    ParseOptions past;
    past.now = utc(2018, 6, 18, 7, 0, 0);
    CHECK(parseMessage(mailWith("", "x"), past).flags.dateInFuture);
    CHECK_FALSE(parseMessage(mailWith("", "x")).flags.any());

    std::string noDate = mailWith(received, "x");
    noDate.erase(noDate.find("Date: "), noDate.find("MIME-Version") - noDate.find("Date: "));
    const auto fallback = parseMessage(noDate);
    CHECK(fallback.flags.noDate);
    CHECK(fallback.sentDateFromReceived);
    CHECK(fallback.sentDate == "2018-06-18");
    ParseOptions hint;
    hint.receivedAt = utc(2018, 6, 21, 22, 30, 0);
    const auto hinted = parseMessage(mailWith("", "x").erase(mailWith("", "x").find("Date: "), 39), hint);
    CHECK(hinted.flags.noDate);
    CHECK(hinted.sentDate == "2018-06-22");
}

TEST_CASE("intake: file names are made safe", "[intake][mime]") {
    CHECK(safeFileName("Karta zgłoszeniowa.pdf") == "Karta zgłoszeniowa.pdf");
    CHECK(safeFileName("../../etc/passwd") == "passwd");
    CHECK(safeFileName("C:\\Users\\jan\\karta.pdf") == "karta.pdf");
    CHECK(safeFileName("a\x01\x1F"
                       "b\tc\r\nd.pdf") == "ab c d.pdf");
    CHECK(safeFileName("inv\xC3(alid\xFF.pdf") == "inv\xEF\xBF\xBD(alid\xEF\xBF\xBD.pdf");
    CHECK(safeFileName("karta\xE2\x80\xAE"
                       "fdp.exe") == "kartafdp.exe");  // RIGHT-TO-LEFT OVERRIDE
    CHECK(safeFileName("a<b>c:d\"e|f?g*h.pdf") == "a_b_c_d_e_f_g_h.pdf");
    CHECK(safeFileName("...hidden. . ") == "hidden");
    CHECK(safeFileName("CON.pdf") == "_CON.pdf");
    CHECK(safeFileName("", "application/pdf") == "zalacznik.pdf");
    CHECK(safeFileName("///", "image/jpeg") == "zalacznik.jpg");
    CHECK(safeFileName("..", "") == "zalacznik.bin");
    std::string longName;
    for (int i = 0; i < 200; ++i) longName += "ż";
    const std::string bounded = safeFileName(longName + ".pdf");
    CHECK(bounded.size() <= 180);
    CHECK(bounded.size() > 170);
    CHECK(bounded.substr(bounded.size() - 4) == ".pdf");
    CHECK(repairUtf8(bounded) == bounded);
    const auto evil = parseMessage(external("mime4j-mimetools-multi-2evil.eml"));
    REQUIRE(evil.attachments.size() == 2);
    CHECK(evil.attachments[0].fileName.find('/') == std::string::npos);
    CHECK(evil.attachments[1].fileName.size() <= 180);
}

TEST_CASE("intake: parse rate on the sample messages", "[.][intake-bench]") {
    // The 17 sample messages repeated to 1,000 in one mbox, read and parsed
    // (run: build/tests/formproc_tests "[intake-bench]").
    std::vector<std::string> raws;
    for (int i = 0; i < 1000; ++i)
        raws.push_back(test::sampleMessages()[static_cast<std::size_t>(i) % test::sampleMessages().size()].raw);
    test::TempDir dir;
    const std::string mbox = dir.file("1000.mbox", test::toMboxrd(raws));
    const auto start = std::chrono::steady_clock::now();
    auto source = openSource("mbox:" + mbox, {}).source;
    std::size_t messages = 0, attachments = 0;
    std::uint64_t bytes = 0;
    while (auto fetched = source->next()) {
        ++messages;
        const ParsedMessage parsed = parseMessage(fetched->raw);
        attachments += parsed.attachments.size();
        for (const auto& attachment : parsed.attachments) bytes += attachment.bytes.size();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN("read and parsed " << messages << " messages (" << attachments << " attachments, " << (bytes >> 20)
                            << " MiB decoded) in " << seconds << " s: " << messages / seconds << " messages/s");
    CHECK(messages == 1000);
    CHECK(attachments == 1000);
}
