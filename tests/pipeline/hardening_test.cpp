// Issue 16: what a hostile sender or a careless operator can give formproc,
// defect by defect (5: pixels before decoding, 6: numeric options, 8: the
// next reader after a malformed answer, 9: path traversal in a package,
// 10: reasons and library messages on stderr).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "formproc/pipeline/pipeline.hpp"
#include "formproc/sdk/support/pdf_image_limits.hpp"
#include "formproc/zip/zip_reader.hpp"
#include "support/zip_writer.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

struct Run {
    int status;
    std::string out;
    std::string err;
};

// Runs the formproc executable with `args` (shell words), its stdout and stderr apart.
Run runFormproc(const std::string& args) {
    test::TempDir dir;
    const std::string errFile = dir.path() + "/stderr.txt";
    const std::string command = std::string(FORMPROC_BUILD_DIR) + "/formproc " + args + " 2>'" + errFile + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, test::readFile(errFile)};
}

// A one-page PDF whose content stream is JBIG2-coded and declares a page of
// `side` x `side` pixels in 19 bytes (the shape of pdf.js's bomb_giant.pdf).
std::string jbig2BombPdf(std::uint32_t side) {
    std::string segment = {0, 0, 0, 0, 0x30, 0, 1, 0, 0, 0, 0x13};
    for (int i = 0; i < 2; ++i)
        for (int shift = 24; shift >= 0; shift -= 8) segment += static_cast<char>((side >> shift) & 0xff);
    segment += std::string(11, '\0');
    std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>",
                                        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                                        "<< /Length " + std::to_string(segment.size()) +
                                            " /Filter /JBIG2Decode >>\nstream\n" + segment + "\nendstream"};
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace

TEST_CASE("image sizes in a PDF are checked on the raw bytes, before decoding", "[pipeline][hardening]") {
    using sdk::support::oversizedPdfImage;
    CHECK(oversizedPdfImage(jbig2BombPdf(100000)).value_or("") == "a JBIG2 stream declaring 10000 megapixels");
    CHECK_FALSE(oversizedPdfImage(jbig2BombPdf(2000)));
    CHECK(oversizedPdfImage("1 0 obj\n<< /Type /XObject /Subtype /Image /Width 100000 /Height 90000 "
                            "/BitsPerComponent 8 "
                            "/Filter /DCTDecode /Length 3 >>\nstream\nabc\nendstream")
              .value_or("") == "an image of 100000 x 90000 pixels");
    CHECK_FALSE(oversizedPdfImage("1 0 obj\n<< /Subtype /Image /Width 2480 /Height 3508 /Length 3 >>\nstream\nabc"));
    CHECK_FALSE(oversizedPdfImage("/ProcSet [/PDF /ImageB /ImageC] /Width 100000 /Height 100000"));
    // Cut and random bytes never read past the end.
    const std::string bomb = jbig2BombPdf(100000);
    for (std::size_t cut = 0; cut < bomb.size(); cut += 7)
        (void)oversizedPdfImage(std::string_view(bomb).substr(0, cut));
}

TEST_CASE("a JBIG2 bomb is refused as too large in seconds, not decoded", "[pipeline][hardening]") {
    // Issue 16, defect 5: pdf.js's bomb_giant.pdf held a worker at 1.24 GB for the whole timeout.
    test::TempDir dir;
    pipeline::Options options;
    options.limits.timeout = std::chrono::seconds(40);
    pipeline::Pipeline pipe(test::buildEnvironment(), options);
    const auto started = std::chrono::steady_clock::now();
    auto result = pipe.process({dir.file("bomba.pdf", jbig2BombPdf(100000))});
    REQUIRE(result);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    CHECK(result->decision == Decision::Rejected);
    REQUIRE(result->issues.size() == 1);
    CHECK(result->issues[0].code == "too_large");
}

TEST_CASE("numeric options out of range are usage errors with a clear message", "[cli][hardening]") {
    // Issue 16, defect 6: --timeout 1e10 overflowed the deadline and every card was „took too long”.
    const std::string card = test::dataPath("acroform/011-diagnoza-trawniki.pdf");
    for (const char* bad : {"1e10", "-5", "0", "nan", "inf", "1e400", "abc", "86401"}) {
        INFO(bad);
        const Run r = runFormproc("extract --timeout='" + std::string(bad) + "' " + card);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains("--timeout takes seconds, more than 0 and at most 86400"));
    }
    for (const char* bad : {"99999999999999999999999", "-1", "1.5", "65"}) {
        INFO(bad);
        const Run r = runFormproc("extract --workers='" + std::string(bad) + "' " + card);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("--workers takes a whole number from 1 to 64"));
    }
    CHECK(runFormproc("extract --timeout 0.5 --workers 1 " + card).status == 0);
}

TEST_CASE("cannot read PATH says why; worker library messages name the document", "[cli][hardening]") {
    test::TempDir dir;
    // Issue 16, defect 10: missing, a folder, a device, no permission all looked alike.
    Run r = runFormproc("extract '" + dir.path() + "/brak.pdf' '" + dir.path() + "' /dev/zero");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("brak.pdf: no such file"));
    CHECK_THAT(r.err, Catch::Contains(dir.path() + ": is a directory"));
    CHECK_THAT(r.err, Catch::Contains("/dev/zero: is a device, not a regular file"));
    // A library's chatter in the worker reaches stderr with the document's name.
    const std::string chatty = dir.file("gadatliwa.fixture", "FORMPROC-FIXTURE\nSTDERR\ngmina=Trawniki\n");
    r = runFormproc("extract --plugins '" + std::string(FORMPROC_TEST_PLUGIN_DIR) + "/fixture' '" + chatty + "'");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("formproc worker [gadatliwa.fixture]: libfixture: warning: amount too big: 2"));
}

TEST_CASE("a file over the size limit is refused before a byte is read", "[pipeline][hardening]") {
    // Issue 16, defect 4: an 8 GiB file was hashed whole (23 s) before the limit rejected it.
    test::TempDir dir;
    const std::string huge = dir.path() + "/ogromny.pdf";
    {
        std::ofstream out(huge, std::ios::binary);
        out << "%PDF-1.4\n";
    }
    std::filesystem::resize_file(huge, 8ULL << 30);  // sparse: no disk used
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    const auto started = std::chrono::steady_clock::now();
    auto result = pipe.process({huge});
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    REQUIRE(result);
    CHECK(result->decision == Decision::Rejected);
    REQUIRE(result->issues.size() == 1);
    CHECK(result->issues[0].code == "too_large");
    CHECK(result->sha256.empty());  // not hashed
}

TEST_CASE("a file just over the size limit is refused before a byte of it is read", "[pipeline][hardening]") {
    // Not only an 8 GiB file: one byte over the limit is refused from its size alone.
    test::TempDir dir;
    pipeline::Options options;
    options.maxFileBytes = 4096;
    pipeline::Pipeline pipe(test::buildEnvironment(), options);
    const std::string card = test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"));
    REQUIRE(card.size() > 2 * options.maxFileBytes);
    for (const std::size_t size : {std::size_t{4097}, std::size_t{6000}, std::size_t{8192}}) {
        INFO(size << " bytes");
        auto result = pipe.process({dir.file("karta-" + std::to_string(size) + ".pdf", card.substr(0, size))});
        REQUIRE(result);
        CHECK(result->decision == Decision::Rejected);
        REQUIRE(result->issues.size() == 1);
        CHECK(result->issues[0].code == "too_large");
        CHECK(result->sha256.empty());  // refused before it was read (and hashed)
    }
    // At the limit it is read (and, cut short, found broken).
    auto atLimit = pipe.process({dir.file("karta-4096.pdf", card.substr(0, 4096))});
    REQUIRE(atLimit);
    CHECK(atLimit->sha256.size() == 64);
}

TEST_CASE("a DOCX card with a path-traversal entry is rejected", "[pipeline][hardening][docx]") {
    // Issue 16, defect 9: it came out incomplete, as if it were an honest card.
    const std::string card = test::readFile(test::dataPath("docx/008-gmina-jodlowa.docx"));
    zip::ZipReader reader(reinterpret_cast<const unsigned char*>(card.data()), card.size());
    REQUIRE(reader.open() == zip::ZipError::None);
    std::vector<test::ZipPart> parts;
    for (const auto& entry : reader.entries()) {
        std::string bytes;
        REQUIRE(reader.extract(entry, bytes) == zip::ZipError::None);
        parts.emplace_back(entry.name, bytes);
    }
    test::TempDir dir;
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    auto honest = pipe.process({dir.file("uczciwa.docx", test::makeZip(parts))});
    REQUIRE(honest);
    CHECK(honest->decision != Decision::Rejected);
    parts.emplace_back("../../.bashrc", "echo");
    auto result = pipe.process({dir.file("karta.docx", test::makeZip(parts))});
    REQUIRE(result);
    CHECK(result->decision == Decision::Rejected);
    CHECK(result->fields.empty());
}

TEST_CASE("a reader that finds the file malformed passes it to the next; readers_tried says who tried what",
          "[pipeline][hardening][worker]") {
    // Issue 16, defect 8: a fillable PDF with a wrong startxref was rejected although the next reader reads it.
    pipeline::WorkerClient client(
        {std::string(FORMPROC_BUILD_DIR) + "/formproc", "worker", "--plugins", FORMPROC_BUILD_PLUGIN_DIR},
        pipeline::WorkerLimits{});
    test::TempDir dir;
    // A fillable card whose startxref points nowhere: malformed for the AcroForm reader, text for the next.
    std::string pdf = test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"));
    const auto startxref = pdf.rfind("startxref");
    REQUIRE(startxref != std::string::npos);
    pdf.replace(startxref, pdf.size() - startxref, "startxref\n999999999\n%%EOF\n");
    pipeline::ReadRequest request{"pdf-acroform", dir.file("zly-xref.pdf", pdf), 50, true, {}, {"pdf-text"}};
    RawDocument doc = client.read(request);
    const std::string* tried = doc.meta("readers_tried");
    REQUIRE(tried);
    INFO(*tried);
    CHECK(doc.status == sdk::Status::Ok);
    CHECK(doc.plugin == "pdf-text");
    CHECK(*tried == "pdf-acroform:malformed,pdf-text:ok");
}
