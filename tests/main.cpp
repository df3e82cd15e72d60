// The test program's main, and a deadline for every test case: a test case
// that runs past it (a worker, a child process or a server that never
// answers) ends the program with its name on standard error instead of
// hanging until ctest's timeout. Test cases tagged [slow] (OCR of whole
// pages) get the longer deadline. Both come from tests/CMakeLists.txt, where
// ctest's own timeouts are set well above them.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

#include "test_support.hpp"

namespace {

class DeadlineListener : public Catch::TestEventListenerBase {
public:
    using TestEventListenerBase::TestEventListenerBase;

    void testCaseStarting(Catch::TestCaseInfo const& info) override {
        const bool slow = std::find(info.tags.begin(), info.tags.end(), "slow") != info.tags.end();
        const auto limit = std::chrono::seconds(slow ? FORMPROC_SLOW_TEST_DEADLINE_S : FORMPROC_TEST_DEADLINE_S);
        _deadline = std::make_unique<formproc::test::Deadline>(limit, info.name);
    }

    void testCaseEnded(Catch::TestCaseStats const&) override { _deadline.reset(); }

private:
    std::unique_ptr<formproc::test::Deadline> _deadline;
};

}  // namespace

CATCH_REGISTER_LISTENER(DeadlineListener)
