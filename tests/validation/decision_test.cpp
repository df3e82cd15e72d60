// The order of the decision (MODEL.md): late > redirect > incomplete > the
// form's outcome.
#include <catch2/catch.hpp>

#include "formproc/validation/decision.hpp"
#include "test_support.hpp"

using namespace formproc;
using validation::DecisionFacts;

TEST_CASE("the decision: late before redirect before incomplete before the form's outcome", "[validation][decision]") {
    for (const auto outcome : {forms::Outcome::Accepted, forms::Outcome::Qualified, forms::Outcome::PowiatEnrolment}) {
        for (const bool enrolled : {false, true}) {
            DecisionFacts facts;
            facts.outcome = outcome;
            facts.anyEnrolled = enrolled;
            facts.late = facts.redirect = facts.errors = true;
            CHECK(validation::decide(facts) == Decision::Late);
            facts.late = false;
            CHECK(validation::decide(facts) == Decision::Redirect);
            facts.redirect = false;
            CHECK(validation::decide(facts) == Decision::Incomplete);
            facts.errors = false;
            CHECK(validation::decide(facts) != Decision::Incomplete);
            facts.late = true;
            CHECK(validation::decide(facts) == Decision::Late);
        }
    }
}

TEST_CASE("the decision on a card without problems is the form's outcome", "[validation][decision]") {
    DecisionFacts facts;
    facts.outcome = forms::Outcome::Accepted;
    CHECK(validation::decide(facts) == Decision::Accepted);
    facts.anyEnrolled = true;
    CHECK(validation::decide(facts) == Decision::Accepted);
    facts.outcome = forms::Outcome::Qualified;
    CHECK(validation::decide(facts) == Decision::Qualified);
    facts.anyEnrolled = false;
    CHECK(validation::decide(facts) == Decision::Qualified);
    // A powiat's enrolment qualifies with an enrolled gmina, else goes to the reserve list.
    facts.outcome = forms::Outcome::PowiatEnrolment;
    CHECK(validation::decide(facts) == Decision::Reserve);
    facts.anyEnrolled = true;
    CHECK(validation::decide(facts) == Decision::Qualified);
}
