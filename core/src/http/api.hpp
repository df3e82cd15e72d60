// The HTTP API's routes and handlers (internal to core/src/http).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

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
    std::string openApi;  // the document, read at start
};

// A request as a handler sees it: the route's parameters and the caller.
struct Call {
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    Service::Context& context;
    std::vector<std::string> params;              // the route's {…} in order
    std::optional<storage::Principal> principal;  // set when the route needs one
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

// Every route of the API, in matching order.
const std::vector<Route>& routes();

// Writes `body` with `status` and a content type.
void send(Call& call, int status, const std::string& contentType, const std::string& body);
void sendJson(Call& call, int status, const std::string& json);

}  // namespace formproc::http
