// The HTTP API's routes and handlers (internal to core/src/http).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "desk_session.hpp"
#include "formproc/http/service.hpp"

namespace formproc::http {

// What a handler works with.
struct Service::Context {
    storage::Store& store;
    pipeline::Pipeline& pipe;
    service::AnswerSettings settings;
    ServiceConfig config;
    Metrics& metrics;
    service::JobRunner* runner = nullptr;
    std::string openApi;    // the document, read at start
    DeskSessions sessions;  // the review desk's signed-in users
};

// A request as a handler sees it: the route's parameters and the caller.
struct Call {
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    Service::Context& context;
    std::vector<std::string> params;              // the route's {…} in order
    std::optional<storage::Principal> principal;  // set when the route needs one
    std::optional<DeskSession> session;           // when the caller came with the desk's cookie
};

// An error answered as JSON {"error": code, "message": text} with a status.
struct HttpError {
    int status;
    std::string code;
    std::string message;
};

using Handler = std::function<void(Call&)>;

struct Route {
    std::string method;
    std::string pattern;  // "/api/v1/submissions/{id}/{output}": also the metrics label
    std::regex regex;
    bool authenticated = true;
    std::vector<storage::Role> roles;  // empty: every role
    Handler handler;
};

// Every route of the API, in matching order (what OpenAPI describes).
const std::vector<Route>& routes();
// The review desk's pages (desk.cpp): not part of the API. Their handlers
// see call.principal when a session cookie signed the caller in, and
// redirect to the sign-in page otherwise.
const std::vector<Route>& deskRoutes();

// A route from a pattern with {parameters}.
Route route(std::string method, std::string pattern, bool authenticated, std::vector<storage::Role> roles,
            Handler handler);

// Shared by the API and the desk, so that both check and record the same way.

// The first route parameter as a submission id (404 when it is not one).
std::int64_t idParam(const Call& call);
// The submission, when it exists and the caller may see it (else 404: an
// office does not learn that another office's record exists).
storage::Submission visible(Call& call, std::int64_t id);
// Records a read of a record holding personal data (a PESEL, a health card).
void auditRead(Call& call, const storage::Submission& submission, const std::string& what);
// A reviewer's corrections (field id to value, OUTPUT.md's shape): checked,
// decided again, stored as a new version and audited. Throws HttpError.
void applyCorrections(Call& call, const storage::Submission& submission, const std::string& changesJson);
// Where a record's review stands, from its audit trail.
struct ReviewState {
    bool approved = false;                 // approved, and not corrected since
    std::optional<std::string> delivered;  // the wezwanie's delivery date staff recorded last
};
ReviewState reviewState(const storage::Store& store, std::int64_t submissionId);

// Writes `body` with `status` and a content type.
void send(Call& call, int status, const std::string& contentType, const std::string& body);
void sendJson(Call& call, int status, const std::string& json);

}  // namespace formproc::http
