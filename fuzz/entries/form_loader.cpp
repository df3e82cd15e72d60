// Entry of the form loader target: FormRegistry::loadDirectory on one form.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "formproc/forms/form.hpp"
#include "fuzz_entries.hpp"

namespace formproc::fuzz {

void formLoader(const std::uint8_t* data, std::size_t size) {
    // The loader reads a directory: the project's schema and messages, and
    // the input as the one form (FORMPROC_FUZZ_FORMS names the forms/ folder).
    namespace fs = std::filesystem;
    static const fs::path dir = [] {
        const char* forms = std::getenv("FORMPROC_FUZZ_FORMS");
        const fs::path source = forms ? forms : FORMPROC_FUZZ_FORMS_DIR;
        const fs::path made = fs::temp_directory_path() / ("formproc-fuzz-forms-" + std::to_string(::getpid()));
        fs::create_directories(made);
        fs::copy_file(source / "form.xsd", made / "form.xsd", fs::copy_options::overwrite_existing);
        fs::copy_file(source / "messages.xml", made / "messages.xml", fs::copy_options::overwrite_existing);
        return made;
    }();
    {
        std::ofstream out(dir / "fuzz.xml", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        (void)forms::FormRegistry::loadDirectory(dir.string());
    } catch (const std::runtime_error&) {
    }
}

}  // namespace formproc::fuzz
