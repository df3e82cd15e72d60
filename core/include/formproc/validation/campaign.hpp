// The intake campaign (OUTPUT.md "Campaign file"): what varies between
// intakes, so that no rule needs a rebuild.
#pragma once

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

    // Reads a campaign JSON file. Throws std::runtime_error naming the file
    // and the problem (unreadable, not JSON, a date that does not parse).
    static Campaign load(const std::string& path);
};

}  // namespace formproc::validation
