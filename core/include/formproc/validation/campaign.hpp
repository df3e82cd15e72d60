// The intake campaign (OUTPUT.md "Campaign file"): what varies between
// intakes, so that no rule needs a rebuild.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "formproc/validation/checks.hpp"

namespace formproc::validation {

struct Office {
    std::string name;
    std::string address;
    std::string email;
};

struct Campaign {
    std::string name;
    Office office;
    std::optional<Date> deadline;
    Date periodFrom{2018, 4, 1};
    Date periodTo{2021, 6, 30};
    struct Gmina {
        std::string teryt;
        std::string nazwa;
    };
    std::vector<Gmina> enrolledGminy;  // Zał. nr 1
    // Sister projects by TERYT gmina kind (RODZ digit): the office that serves them.
    std::map<int, std::string> sisterOffices;
    std::string path;  // where it was loaded from

    bool isEnrolled(const std::string& terytCode) const;

    // Campaign files larger than this are refused unread.
    static constexpr std::size_t kMaxFileBytes = 1024 * 1024;

    // Reads a campaign JSON file: a regular file (a FIFO or a device is
    // refused without waiting), at most kMaxFileBytes, checked by parse().
    // Throws std::runtime_error naming the file and the problem.
    static Campaign load(const std::string& path);

    // Checks `json` against the campaign schema (OUTPUT.md "Campaign file":
    // required keys, types, dates YYYY-MM-DD, a period in order, no unknown
    // keys) and reads it. Throws std::runtime_error naming `path`, the line
    // and the key, in English and Polish. Thread-safe.
    static Campaign parse(const std::string& json, const std::string& path);
};

}  // namespace formproc::validation
