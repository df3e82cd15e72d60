// The worker protocol's request side, for the worker loop and the fuzz
// target (fuzz/worker_protocol_fuzz.cpp); the reply side is
// encodeRawDocument/decodeRawDocument in formproc/pipeline/worker.hpp.
#pragma once

#include <string>

#include "formproc/pipeline/worker.hpp"

namespace formproc::pipeline {

// Decodes one request frame's JSON payload. Throws std::exception (Poco's or
// std::runtime_error) on anything malformed; never reads past the payload.
// Thread-safe.
ReadRequest decodeReadRequest(const std::string& payload);

}  // namespace formproc::pipeline
