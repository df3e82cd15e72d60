#include "tokens.hpp"

#include <cctype>
#include <map>

#include "formproc/util/text.hpp"

namespace formproc::extraction {

bool isGlyph(std::string_view t) {
    return t == "☒" || t == "☐" || t == "✔" || t == "✘" || t == "☑" || t == "✓" || t == "✗" || t == "[x]" ||
           t == "[X]" || t == "[ ]";
}

bool isTickedGlyph(std::string_view t) { return isGlyph(t) && t != "☐" && t != "[ ]"; }

bool isDotLeader(std::string_view t) {
    if (t.empty()) return false;
    std::string rest(t);
    for (const char* dots : {"…", ".", "_"}) {
        std::string out;
        for (std::size_t at = 0;;) {
            std::size_t next = rest.find(dots, at);
            out += rest.substr(at, next == std::string::npos ? std::string::npos : next - at);
            if (next == std::string::npos) break;
            at = next + std::string_view(dots).size();
        }
        rest = out;
    }
    return rest.empty() && t.size() >= 3;
}

std::string keyOf(std::string_view text) {
    std::string key = util::foldPl(text);
    // Most words are bare: nothing to strip when both ends are letters or digits.
    const auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!key.empty() && plain(key.front()) && plain(key.back())) return key;
    static const char* const kEdge[] = {":", ";", ",", ".", "(", ")", "„", "”", "\"", "'", "?", "!", "–",
                                        "-", "—", "/", "[", "]", "*", "“", "‘", "’",  "«", "»", "|", "_"};
    bool changed = true;
    while (changed && !key.empty()) {
        changed = false;
        for (const char* p : kEdge) {
            const std::string_view e(p);
            if (key.size() >= e.size() && key.compare(0, e.size(), e) == 0) {
                key.erase(0, e.size());
                changed = true;
            }
            if (key.size() >= e.size() && key.compare(key.size() - e.size(), e.size(), e) == 0) {
                key.erase(key.size() - e.size());
                changed = true;
            }
        }
    }
    return key;
}

std::vector<std::string> splitWords(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

const std::vector<std::string>& labelKeys(const std::string& label) {
    thread_local std::map<std::string, std::vector<std::string>, std::less<>> memo;
    if (const auto it = memo.find(label); it != memo.end()) return it->second;
    std::vector<std::string> keys;
    for (const auto& w : splitWords(label))
        if (auto k = keyOf(w); !k.empty()) keys.push_back(std::move(k));
    return memo.emplace(label, std::move(keys)).first->second;
}

}  // namespace formproc::extraction
