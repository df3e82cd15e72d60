// OpenSSL through Poco::Crypto from many threads at once.
#pragma once

namespace formproc::util {

// Keeps Poco's OpenSSL initialisation for the life of the process. Poco 1.11
// counts the users of OpenSSL (every Crypto::DigestEngine, certificate, key)
// and tears its locks down when the count falls to zero: two threads hashing
// at once (the job runner's workers registering cards) then race the
// tear-down of one against the set-up of the other, and the heap is corrupted
// ("malloc(): unaligned tcache chunk", seen in the concurrency test). Call it
// before using Poco::Crypto; cheap after the first call. Thread-safe.
void holdOpenSsl();

}  // namespace formproc::util
