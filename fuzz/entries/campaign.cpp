// Entry of the campaign target: Campaign::parse, the schema check.
#include <stdexcept>
#include <string>

#include "formproc/validation/campaign.hpp"
#include "fuzz_entries.hpp"

namespace formproc::fuzz {

namespace {

std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace

void campaign(const std::uint8_t* data, std::size_t size) {
    try {
        (void)validation::Campaign::parse(text(data, size), "kampania.json");
    } catch (const std::runtime_error&) {
        // A refusal is the expected outcome of most inputs.
    }
}

}  // namespace formproc::fuzz
