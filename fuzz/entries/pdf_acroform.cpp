// Entries of the AcroForm targets: the whole reader (PoDoFo's parse, the
// object parser, the field walk, value decoding) and the object parser alone.
#include <memory>
#include <string_view>

#include "fuzz_entries.hpp"
#include "fuzz_support.hpp"
#include "pdf_acroform.hpp"
#include "pdf_object.hpp"

namespace formproc::fuzz {

void pdfAcroform(const std::uint8_t* data, std::size_t size) {
    static const std::unique_ptr<sdk::Reader> reader = pdf_acroform::makeReader();
    readOnce(*reader, data, size, "karta.pdf");
}

void pdfObject(const std::uint8_t* data, std::size_t size) {
    // The first byte picks the options: every value built, or only a few keys kept.
    if (size == 0) return;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    pdf_acroform::ParseOptions options;
    options.maxObjectBytes = 1u << 16;
    pdf_acroform::ParseBudget budget{100000, 1u << 20};
    pdf_acroform::Value value;
    (void)pdf_acroform::parseObjectBody(bytes, data[0] % 4, options, budget, value);
    std::string name;
    (void)pdf_acroform::unescapeName(bytes, name);
    (void)pdf_acroform::nestingWithinLimit(bytes, 0, 32);
}

}  // namespace formproc::fuzz
