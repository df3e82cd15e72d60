#include "formproc/validation/lexicon.hpp"

#include <iconv.h>
#include <hunspell/hunspell.hxx>

#include <cstdlib>
#include <filesystem>

#include "formproc/util/text.hpp"

namespace formproc::validation {

namespace {

// `text` converted with iconv; empty when a character has no equivalent.
std::string convert(std::string_view text, const char* to, const char* from) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return {};
    std::string in(text);
    std::string out(in.size() * 4 + 4, '\0');
    char* src = in.data();
    char* dst = out.data();
    std::size_t left = in.size(), room = out.size();
    const std::size_t rc = iconv(cd, &src, &left, &dst, &room);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return {};
    out.resize(out.size() - room);
    return out;
}

// Letters the recogniser takes one for another in Polish print and hand
// („Urszuła” for „Urszula”, „Dfuga” for „Długa”).
constexpr std::pair<const char*, const char*> kConfused[] = {
    {"ł", "l"}, {"ł", "f"}, {"ł", "t"}, {"l", "i"}, {"ś", "s"}, {"ć", "c"}, {"ń", "n"}, {"ó", "o"},
    {"ę", "e"}, {"ą", "a"}, {"ż", "z"}, {"ź", "z"}, {"Ł", "L"}, {"Ś", "S"}, {"Ż", "Z"}, {"Ź", "Z"}};

}  // namespace

std::shared_ptr<const Lexicon> Lexicon::load(const std::string& dir) {
    namespace fs = std::filesystem;
    const fs::path aff = fs::path(dir) / "pl_PL.aff", dic = fs::path(dir) / "pl_PL.dic";
    std::error_code ec;
    if (!fs::is_regular_file(aff, ec) || !fs::is_regular_file(dic, ec)) return nullptr;
    std::shared_ptr<Lexicon> lexicon(new Lexicon());
    lexicon->_speller = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
    lexicon->_encoding = lexicon->_speller->get_dict_encoding();
    if (lexicon->_encoding == "ISO8859-2") lexicon->_encoding = "ISO-8859-2";
    return lexicon;
}

std::shared_ptr<const Lexicon> Lexicon::polish() {
    static const std::shared_ptr<const Lexicon> lexicon = [] {
        const char* dir = std::getenv("FORMPROC_HUNSPELL_DIR");
        return load(dir && *dir ? dir : "/usr/share/hunspell");
    }();
    return lexicon;
}

Lexicon::~Lexicon() = default;

bool Lexicon::knows(std::string_view word) const {
    if (word.empty()) return false;
    std::string encoded = _encoding == "UTF-8" ? std::string(word) : convert(word, _encoding.c_str(), "UTF-8");
    if (encoded.empty()) return false;
    std::lock_guard<std::mutex> guard(_lock);
    return _speller->spell(encoded);
}

std::string Lexicon::closestKnown(const std::string& word) const {
    if (knows(word)) return word;
    std::string found;
    for (const auto& [a, b] : kConfused)
        for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
            const std::string_view f(from);
            for (std::size_t at = word.find(f); at != std::string::npos; at = word.find(f, at + 1)) {
                std::string candidate = word;
                candidate.replace(at, f.size(), to);
                if (candidate == found || !knows(candidate)) continue;
                if (!found.empty()) return word;  // two readings known: neither is taken
                found = candidate;
            }
        }
    return found.empty() ? word : found;
}

}  // namespace formproc::validation
