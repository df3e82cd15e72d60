// Case signs (znaki sprawy) for the letters: a counter per campaign and
// sign prefix, kept in a small state file in the output directory so that a
// second run numbers on, and locked (flock) so that two processes writing
// into one directory never hand out the same number.
#pragma once

#include <string>

#include "formproc/validation/checks.hpp"

namespace formproc::output {

class CaseRegister {
public:
    // `dir` must exist; the state lives in dir/znaki-spraw.txt (one line per
    // counter: KEY<TAB>LAST-NUMBER) with dir/znaki-spraw.lock beside it.
    explicit CaseRegister(std::string dir);

    // Reserves the next number of the counter `key` (1 for a new key) and
    // records it durably before returning. Throws std::system_error when the
    // state cannot be read or written. Safe across threads and processes.
    long next(const std::string& key);

    // The sign for `number` from `pattern`: {nr} the number, {rok} the year
    // of `date`, {miesiac} its month (two digits). Unknown {...} are kept.
    static std::string format(const std::string& pattern, long number, const validation::Date& date);

    // The counter key of a campaign and pattern: the pattern with its year
    // filled in, so that numbering restarts each year (as in an office's
    // register), prefixed by the campaign name.
    static std::string counterKey(const std::string& campaign, const std::string& pattern,
                                  const validation::Date& date);

    // Reserves a number and formats the sign in one step.
    std::string nextSign(const std::string& campaign, const std::string& pattern, const validation::Date& date);

private:
    std::string _dir;
};

}  // namespace formproc::output
