// The formproc executable (OUTPUT.md "Command line"): see application.hpp.
#include <Poco/Util/OptionException.h>

#include <iostream>

#include "application.hpp"
#include "formproc/util/openssl.hpp"

int main(int argc, char** argv) {
    formproc::util::holdOpenSsl();  // before any thread: see formproc/util/openssl.hpp
    formproc::app::FormprocApplication app;
    try {
        app.init(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "formproc: " << e.displayText() << "\n(formproc --help lists the commands and options)\n";
        return formproc::app::kExitUsage;
    }
    return app.run();
}
