// A lexicon of Polish words (Debian's hunspell-pl: common words, first names,
// surnames, place names, with their inflected forms) for the evidence rules of
// values read by OCR (prose_repair.hpp): a reading whose words are none of
// them is noise, and a word a letter off a known one, where the two letters
// are ones the recogniser confuses (ł/l, ł/f, ś/s...), is that word.
//
// The lexicon only chooses between readings the recogniser's confusions
// allow; it never supplies a word of its own.
// Thread-safe (one lock around Hunspell, which is not).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

class Hunspell;

namespace formproc::validation {

class Lexicon {
public:
    // The dictionary in `dir` (pl_PL.aff, pl_PL.dic); nullptr when absent or
    // unreadable. Loading takes about 0.2 s.
    static std::shared_ptr<const Lexicon> load(const std::string& dir);

    // The system's Polish dictionary (FORMPROC_HUNSPELL_DIR, else
    // /usr/share/hunspell), loaded at first use; nullptr when not installed:
    // the rules that need it then do nothing.
    static std::shared_ptr<const Lexicon> polish();

    ~Lexicon();
    Lexicon(const Lexicon&) = delete;
    Lexicon& operator=(const Lexicon&) = delete;

    // True when `word` (UTF-8) is a Polish word or name in any of its forms.
    bool knows(std::string_view word) const;

    // The one word among `word` with a single letter swapped for one the
    // recogniser confuses it with that the lexicon knows, when `word` itself
    // is unknown; `word` when it is known or when none or several are.
    std::string closestKnown(const std::string& word) const;

private:
    Lexicon() = default;
    std::unique_ptr<Hunspell> _speller;
    std::string _encoding;
    mutable std::mutex _lock;
};

}  // namespace formproc::validation
