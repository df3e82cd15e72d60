// The review desk over plain HTTP (no browser): security headers, the
// session cookie's flags, CSRF on the API with the cookie, signing out,
// static files, Zał. nr 1 as CSV.
#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <leptonica/allheaders.h>

#include <regex>
#include <utility>

#include "storage/backends.hpp"
#include "support/serve_process.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

struct Reply {
    int status = 0;
    std::string body;
    std::multimap<std::string, std::string> headers;
    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

Reply request(int port, const std::string& method, const std::string& path, const std::string& cookie = {},
              const std::map<std::string, std::string>& headers = {}, const std::string& form = {}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(20, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!cookie.empty()) req.set("Cookie", "fp_desk=" + cookie);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!form.empty()) req.setContentType("application/x-www-form-urlencoded");
    req.setContentLength(static_cast<std::streamsize>(form.size()));
    session.sendRequest(req) << form;
    Poco::Net::HTTPResponse response;
    Reply reply;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
    reply.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) reply.headers.emplace(name, value);
    return reply;
}

}  // namespace

TEST_CASE("desk: security headers, session cookie, CSRF with the cookie, sign out, assets, Zał. nr 1 CSV",
          "[desk][http]") {
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string reviewer = test::createToken(data, "reviewer");
    test::ServeProcess server(data, {});
    const int port = server.port();

    const Reply login = request(port, "GET", "/desk/login");
    CHECK(login.status == 200);
    CHECK(login.header("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(login.header("Content-Security-Policy").find("unsafe-inline") == std::string::npos);
    CHECK(login.header("X-Frame-Options") == "DENY");
    CHECK(login.body.find("<html lang=\"pl\">") != std::string::npos);
    CHECK(login.body.find("<script>") == std::string::npos);  // nothing inline
    CHECK(login.body.find("style=") == std::string::npos);
    CHECK(request(port, "GET", "/desk/").header("Location") == "/desk/login");

    CHECK(request(port, "POST", "/desk/login", {}, {}, "token=fp_1_wrong").status == 401);
    const Reply in = request(port, "POST", "/desk/login", {}, {}, "token=" + reviewer);
    REQUIRE(in.status == 303);
    const std::string setCookie = in.header("Set-Cookie");
    CHECK(setCookie.find("HttpOnly") != std::string::npos);
    CHECK(setCookie.find("SameSite=Strict") != std::string::npos);
    CHECK(setCookie.find("Secure") == std::string::npos);  // plain HTTP here; set with --tls-cert
    std::smatch m;
    REQUIRE(std::regex_search(setCookie, m, std::regex("fp_desk=([0-9a-f]{64})")));
    const std::string cookie = m[1];
    CHECK(setCookie.find(reviewer) == std::string::npos);  // the token never leaves the server again

    const Reply list = request(port, "GET", "/desk/", cookie);
    REQUIRE(list.status == 200);
    REQUIRE(std::regex_search(list.body, m, std::regex("name=\"csrf-token\" content=\"([0-9a-f]{64})\"")));
    const std::string csrf = m[1];

    // The API with the cookie: reads freely, changes only with the CSRF header.
    CHECK(request(port, "GET", "/api/v1/submissions", cookie).status == 200);
    CHECK(request(port, "POST", "/api/v1/submissions/1/approve", cookie).status == 403);
    CHECK(request(port, "POST", "/api/v1/submissions/1/approve", cookie, {{"X-CSRF-Token", "x" + csrf.substr(1)}})
              .status == 403);
    CHECK(request(port, "POST", "/api/v1/submissions/1/approve", cookie, {{"X-CSRF-Token", csrf}}).status == 404);
    // A bearer token needs no CSRF token (no browser sends it by itself).
    CHECK(
        request(port, "POST", "/api/v1/submissions/1/approve", {}, {{"Authorization", "Bearer " + reviewer}}).status ==
        404);
    const Reply delivery = request(port, "POST", "/api/v1/submissions/1/delivery", cookie, {{"X-CSRF-Token", csrf}});
    CHECK(delivery.status == 404);

    // Static files, and nothing outside their folder.
    const Reply script = request(port, "GET", "/desk/assets/desk.js");
    CHECK(script.status == 200);
    CHECK(script.header("Content-Type").rfind("text/javascript", 0) == 0);
    CHECK(request(port, "GET", "/desk/assets/..%2F..%2Fformproc.sqlite").status == 404);

    const Reply csv = request(port, "GET", "/desk/zal1.csv", cookie);
    CHECK(csv.status == 200);
    CHECK(csv.body.rfind("\xEF\xBB\xBFrodzaj;teryt;nazwa;stan;znak sprawy\r\n", 0) == 0);
    CHECK(csv.body.find("gmina;") != std::string::npos);
    CHECK(csv.body.find("karta nie wpłynęła") != std::string::npos);

    // Signing out needs the form's CSRF field; afterwards the cookie opens nothing.
    CHECK(request(port, "POST", "/desk/logout", cookie, {}, "csrf=nope").status == 403);
    const Reply out = request(port, "POST", "/desk/logout", cookie, {}, "csrf=" + csrf);
    CHECK(out.status == 303);
    CHECK(out.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
    CHECK(request(port, "GET", "/desk/", cookie).status == 303);
    CHECK(request(port, "GET", "/api/v1/submissions", cookie).status == 401);
    CHECK(server.stop() == 0);
}

TEST_CASE("desk: an original's pages are rendered by a worker: PDF pages and every page of a TIFF scan as PNG",
          "[desk][http]") {
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin");
    test::ServeProcess server(data, {});
    const test::HttpClient api(server.port(), admin);
    auto uploaded = [&](const std::string& name, const std::string& bytes) {
        const test::HttpReply reply = api.upload("/api/v1/submissions", name, bytes);
        REQUIRE(reply.status == 201);
        std::smatch m;
        REQUIRE(std::regex_search(reply.body, m, std::regex("\"id\":([0-9]+)")));
        return "/desk/submissions/" + m[1].str() + "/pages/";
    };
    // The size of a PNG the desk sent, by Leptonica.
    auto pngSize = [](const test::HttpReply& reply) {
        INFO(reply.status << " " << reply.body.substr(0, 200));
        REQUIRE(reply.status == 200);
        CHECK(reply.headers.at("Content-Type") == "image/png");
        REQUIRE(reply.body.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
        PIX* pix = pixReadMem(reinterpret_cast<const l_uint8*>(reply.body.data()), reply.body.size());
        REQUIRE(pix);
        const std::pair<int, int> size{pixGetWidth(pix), pixGetHeight(pix)};
        pixDestroy(&pix);
        return size;
    };

    // An A4 PDF page at the desk's 110 dpi: 909 x 1286 pixels.
    const std::string pdf = uploaded("karta.pdf", test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf")));
    const auto [pdfWidth, pdfHeight] = pngSize(api.get(pdf + "1"));
    CHECK(pdfWidth == Approx(909).margin(3));
    CHECK(pdfHeight == Approx(1286).margin(3));
    CHECK(api.get(pdf + "99").status == 404);

    // A TIFF of two pages (browsers show none): each page as a PNG of its own size.
    PIXA* pages = pixaCreate(2);
    pixaAddPix(pages, pixCreate(300, 400, 1), L_INSERT);
    pixaAddPix(pages, pixCreate(420, 310, 1), L_INSERT);
    l_uint8* tiff = nullptr;
    size_t tiffSize = 0;
    REQUIRE(pixaWriteMemMultipageTiff(&tiff, &tiffSize, pages) == 0);
    pixaDestroy(&pages);
    const std::string scan = uploaded("skan.tif", std::string(reinterpret_cast<const char*>(tiff), tiffSize));
    lept_free(tiff);
    CHECK(pngSize(api.get(scan + "1")) == std::pair{300, 400});
    CHECK(pngSize(api.get(scan + "2")) == std::pair{420, 310});
    CHECK(api.get(scan + "3").status == 404);

    // A PDF poppler cannot open: no page, and the service goes on.
    const std::string broken = uploaded("zepsuty.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF");
    CHECK(api.get(broken + "1").status == 404);
    CHECK(api.get("/api/v1/submissions").status == 200);
    CHECK(server.stop() == 0);
}
