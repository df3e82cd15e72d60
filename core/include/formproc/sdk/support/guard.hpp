// The plugin boundary: no exception leaves a plugin, and notes go to the
// host's sink in one safe, bounded way. Header-only, part of the SDK.
#pragma once

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "formproc/sdk/reader.hpp"

namespace formproc::sdk::support {

// Notes for one read, at most `limit` of them, each prefixed with the
// plugin's id; a sink that throws is ignored, so that a note never turns a
// status into Internal. Not thread-safe (one per read).
class Notes {
public:
    Notes(Sink& sink, std::string_view pluginId, int limit = 64) : _sink(sink), _prefix(pluginId), _limit(limit) {
        _prefix += ": ";
    }

    void operator()(std::string_view text) noexcept {
        if (_count >= _limit) return;
        ++_count;
        try {
            _sink.note(_prefix + std::string(text));
        } catch (...) {
        }
    }

    int count() const noexcept { return _count; }

private:
    Sink& _sink;
    std::string _prefix;
    int _limit;
    int _count = 0;
};

// Runs `body` (returning a Status) and maps whatever escapes it to a Status
// with a note: out of memory or a size too large -> TooLarge, any other
// exception -> Internal. Use it as the whole body of Reader::read().
template <typename Body>
Status guardRead(Notes& notes, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        notes("out of memory");
        return Status::TooLarge;
    } catch (const std::length_error&) {
        notes("a size in the document is too large");
        return Status::TooLarge;
    } catch (const std::exception& error) {
        try {
            notes(std::string("unexpected exception: ") + error.what());
        } catch (...) {
        }
        return Status::Internal;
    } catch (...) {
        notes("unexpected exception");
        return Status::Internal;
    }
}

}  // namespace formproc::sdk::support
