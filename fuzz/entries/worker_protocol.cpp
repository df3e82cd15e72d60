// Entry of the worker protocol target: the request the worker decodes and
// the reply the host decodes.
#include <exception>
#include <string>

#include "formproc/pipeline/worker.hpp"
#include "fuzz_entries.hpp"
#include "worker_protocol.hpp"

namespace formproc::fuzz {

namespace {

std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace

void workerProtocol(const std::uint8_t* data, std::size_t size) {
    // The first byte picks the side: the worker's request or the host's reply.
    if (size == 0) return;
    const std::string payload = text(data + 1, size - 1);
    try {
        if (data[0] % 2 == 0) {
            (void)pipeline::decodeReadRequest(payload);
        } else {
            const RawDocument doc = pipeline::decodeRawDocument(payload);
            // What decodes encodes to what decodes to the same.
            const std::string again = pipeline::encodeRawDocument(doc);
            if (pipeline::encodeRawDocument(pipeline::decodeRawDocument(again)) != again) __builtin_trap();
        }
    } catch (const std::exception&) {
        // Poco's exceptions derive from std::exception: a refused frame.
    }
}

}  // namespace formproc::fuzz
