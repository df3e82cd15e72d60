// Plugins the loader must refuse, one per compile definition.
#include <stdexcept>

#include "formproc/sdk/reader.hpp"

namespace {

using namespace formproc::sdk;

class NeverReader final : public Reader {
public:
    const Description& describe() const noexcept override { return _d; }
    Identification identify(const Probe&) const noexcept override { return {}; }
    Status read(const Input&, Sink&, const ReadOptions&) noexcept override { return Status::Internal; }

private:
    Description _d = [] {
        Description d;
        d.id = "never";
        d.version = "1";
        return d;
    }();
};

}  // namespace

#if defined(BROKEN_BAD_ABI)
namespace broken {
const AbiTag* abiTag() {
    static const AbiTag tag{kAbiMajor + 98, 0, "bad-abi"};
    return &tag;
}
std::unique_ptr<Reader> factory() { return std::make_unique<NeverReader>(); }
}  // namespace broken
BOOST_DLL_ALIAS(broken::abiTag, formproc_abi)
BOOST_DLL_ALIAS(broken::factory, formproc_factory)
#elif defined(BROKEN_NO_FACTORY)
namespace broken {
const AbiTag* abiTag() {
    static const AbiTag tag{kAbiMajor, kAbiMinor, "no-factory"};
    return &tag;
}
}  // namespace broken
BOOST_DLL_ALIAS(broken::abiTag, formproc_abi)
#elif defined(BROKEN_THROWING_FACTORY)
namespace broken {
const AbiTag* abiTag() {
    static const AbiTag tag{kAbiMajor, kAbiMinor, "throwing-factory"};
    return &tag;
}
std::unique_ptr<Reader> factory() { throw std::runtime_error("factory failed on purpose"); }
}  // namespace broken
BOOST_DLL_ALIAS(broken::abiTag, formproc_abi)
BOOST_DLL_ALIAS(broken::factory, formproc_factory)
#elif defined(BROKEN_WRONG_ID)
// Its ABI tag names another plugin than the reader describes itself as.
namespace broken {
const AbiTag* abiTag() {
    static const AbiTag tag{kAbiMajor, kAbiMinor, "wrong-id"};
    return &tag;
}
std::unique_ptr<Reader> factory() { return std::make_unique<NeverReader>(); }
}  // namespace broken
BOOST_DLL_ALIAS(broken::abiTag, formproc_abi)
BOOST_DLL_ALIAS(broken::factory, formproc_factory)
#endif
