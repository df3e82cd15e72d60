// Entry of the MIME target: intake::parseMessage (GMime, the walk over parts,
// ZIP attachments, dates, file names).
#include <string_view>

#include "formproc/intake/message.hpp"
#include "fuzz_entries.hpp"

namespace formproc::fuzz {

void mime(const std::uint8_t* data, std::size_t size) {
    intake::ParseOptions options;
    (void)intake::parseMessage(std::string_view(reinterpret_cast<const char*>(data), size), options);
}

}  // namespace formproc::fuzz
