#include "formproc/util/openssl.hpp"

#include <Poco/Crypto/OpenSSLInitializer.h>

namespace formproc::util {

void holdOpenSsl() {
    // Constructed once, under the static-initialisation guard; never let go
    // (destroyed at exit, after main).
    static const Poco::Crypto::OpenSSLInitializer held;
    (void)held;
}

}  // namespace formproc::util
