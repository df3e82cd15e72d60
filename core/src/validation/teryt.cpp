#include "formproc/validation/teryt.hpp"

#include "formproc/util/text.hpp"

#include <array>
#include <cstddef>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace formproc::validation {

namespace {

// Lets the maps be searched with a std::string_view without building a
// std::string first (heterogeneous look-up, C++20).
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

using IndexList = std::vector<std::size_t>;

bool isTwoDigits(std::string_view field) noexcept {
    return field.size() == 2 && field[0] >= '0' && field[0] <= '9' && field[1] >= '0' && field[1] <= '9';
}

std::string_view trimAscii(std::string_view text) noexcept {
    while (!text.empty() && util::isAsciiSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && util::isAsciiSpace(text.back())) text.remove_suffix(1);
    return text;
}

// Removes `prefix` from the front of `text` when something is left after it;
// a prefix ending in '.' may be followed by a space or not ("woj.lubelskie").
bool stripPrefix(std::string& text, std::string_view prefix) {
    if (!text.starts_with(prefix)) return false;
    std::size_t cut = prefix.size();
    if (prefix.back() == '.' && cut < text.size() && text[cut] == ' ') ++cut;
    if (cut >= text.size()) return false;  // "powiat" alone stays a name
    text.erase(0, cut);
    return true;
}

}  // namespace

struct TerytRegister::Index {
    StringMap<std::size_t> byCode;
    StringMap<IndexList> voivodeships;  // folded name -> units
    StringMap<IndexList> powiaty;
    StringMap<IndexList> gminy;
    StringMap<IndexList> gminyOfPowiat;  // 4-digit powiat code -> RODZ 1..3 units
};

// Builds a register from CSV text; the only code allowed to fill one.
struct TerytBuilder {
    static std::shared_ptr<const TerytRegister> load(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::runtime_error("TERYT register '" + path + "': cannot open the file");
        std::string content;
        in.seekg(0, std::ios::end);
        const std::streamoff length = in.tellg();
        if (length < 0) throw std::runtime_error("TERYT register '" + path + "': cannot read the file");
        content.resize(static_cast<std::size_t>(length));
        in.seekg(0, std::ios::beg);
        in.read(content.data(), static_cast<std::streamsize>(content.size()));
        if (!in) throw std::runtime_error("TERYT register '" + path + "': cannot read the file");

        auto reg = std::make_shared<TerytRegister>();
        auto index = std::make_shared<TerytRegister::Index>();
        parse(path, content, *reg, *index);
        buildNameIndexes(*reg, *index);
        reg->_index = std::move(index);
        return reg;
    }

private:
    [[noreturn]] static void fail(const std::string& path, std::size_t lineNo, const std::string& what) {
        throw std::runtime_error("TERYT register '" + path + "', line " + std::to_string(lineNo) + ": " + what);
    }

    // Fills the units and the code index (which also catches duplicates).
    static void parse(const std::string& path, std::string_view text, TerytRegister& reg, TerytRegister::Index& index) {
        if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM, as GUS ships it
        // About 50 bytes a row; reserving up front keeps loading to one pass
        // without rehashing.
        const std::size_t expectedRows = text.size() / 40 + 1;
        reg._units.reserve(expectedRows);
        index.byCode.reserve(expectedRows);
        std::vector<std::size_t> lineOf;  // unit -> line, to report duplicates
        lineOf.reserve(expectedRows);
        std::size_t lineNo = 0;
        bool first = true;
        while (!text.empty()) {
            const std::size_t newline = text.find('\n');
            std::string_view line = text.substr(0, newline);
            text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
            ++lineNo;
            if (line.ends_with('\r')) line.remove_suffix(1);
            if (trimAscii(line).empty()) continue;  // the official file ends with an empty line

            std::array<std::string_view, 7> fields{};
            std::size_t count = 0;
            std::size_t pos = 0;
            while (true) {
                const std::size_t semi = line.find(';', pos);
                if (count < fields.size())
                    fields[count] = trimAscii(line.substr(pos, semi == std::string_view::npos ? semi : semi - pos));
                ++count;
                if (semi == std::string_view::npos) break;
                pos = semi + 1;
            }

            const bool isHeader = first && fields[0] == "WOJ";
            first = false;
            if (isHeader) continue;
            // STAN_NA is informative only, so a file without it is accepted.
            if (count != 7 && count != 6)
                fail(path, lineNo, "expected 7 fields separated by ';', found " + std::to_string(count));

            const std::string_view woj = fields[0], pow = fields[1], gmi = fields[2], rodz = fields[3];
            const std::string_view name = fields[4];
            if (!isTwoDigits(woj)) fail(path, lineNo, "WOJ must be two digits");
            if (!pow.empty() && !isTwoDigits(pow)) fail(path, lineNo, "POW must be empty or two digits");
            if (!gmi.empty() && (pow.empty() || !isTwoDigits(gmi)))
                fail(path, lineNo, "GMI must be empty or two digits after a POW");
            if (gmi.empty() != rodz.empty()) fail(path, lineNo, "RODZ must be given exactly when GMI is");
            if (!rodz.empty() && (rodz.size() != 1 || rodz[0] < '1' || rodz[0] > '9'))
                fail(path, lineNo, "RODZ must be one digit 1..9");
            if (name.empty()) fail(path, lineNo, "NAZWA is empty");

            TerytUnit unit;
            unit.code.reserve(7);
            unit.code.append(woj).append(pow).append(gmi).append(rodz);
            // TERC writes voivodeships in capitals; we promise lower case.
            unit.name = pow.empty() ? util::toLowerPl(name) : std::string(name);
            unit.kindName = std::string(fields[5]);
            unit.kind = rodz.empty() ? 0 : rodz[0] - '0';

            const auto [it, inserted] = index.byCode.try_emplace(unit.code, reg._units.size());
            if (!inserted)
                fail(path, lineNo,
                     "code " + unit.code + " already given on line " + std::to_string(lineOf[it->second]));
            reg._units.push_back(std::move(unit));
            lineOf.push_back(lineNo);
        }
        if (reg._units.empty()) fail(path, lineNo, "no units in the file");
    }

    static void buildNameIndexes(const TerytRegister& reg, TerytRegister::Index& index) {
        index.gminy.reserve(reg._units.size());
        index.powiaty.reserve(512);
        index.gminyOfPowiat.reserve(512);
        for (std::size_t i = 0; i < reg._units.size(); ++i) {
            const TerytUnit& unit = reg._units[i];
            std::string key = TerytRegister::foldName(unit.name);
            switch (unit.code.size()) {
                case 2: index.voivodeships[std::move(key)].push_back(i); break;
                case 4: index.powiaty[std::move(key)].push_back(i); break;
                default:
                    index.gminy[std::move(key)].push_back(i);
                    if (unit.kind >= 1 && unit.kind <= 3) index.gminyOfPowiat[unit.code.substr(0, 4)].push_back(i);
                    break;
            }
        }
    }
};

std::shared_ptr<const TerytRegister> TerytRegister::loadCsv(const std::string& path) {
    return TerytBuilder::load(path);
}

const TerytUnit* TerytRegister::byCode(std::string_view code) const {
    if (!_index) return nullptr;  // a default-constructed register is empty
    const auto it = _index->byCode.find(code);
    return it == _index->byCode.end() ? nullptr : &_units[it->second];
}

const TerytUnit* TerytRegister::voivodeshipByName(std::string_view name) const {
    if (!_index) return nullptr;
    const auto it = _index->voivodeships.find(foldName(name));
    return it == _index->voivodeships.end() || it->second.empty() ? nullptr : &_units[it->second.front()];
}

std::vector<const TerytUnit*> TerytRegister::powiatyByName(std::string_view name,
                                                           std::string_view voivodeshipCode) const {
    std::vector<const TerytUnit*> result;
    if (!_index) return result;
    const auto it = _index->powiaty.find(foldName(name));
    if (it == _index->powiaty.end()) return result;
    for (std::size_t i : it->second)
        if (_units[i].code.starts_with(voivodeshipCode)) result.push_back(&_units[i]);
    return result;
}

std::vector<const TerytUnit*> TerytRegister::gminyByName(std::string_view name, std::string_view codePrefix,
                                                         bool includeParts) const {
    std::vector<const TerytUnit*> result;
    if (!_index) return result;
    const auto it = _index->gminy.find(foldName(name));
    if (it == _index->gminy.end()) return result;
    for (std::size_t i : it->second) {
        const TerytUnit& unit = _units[i];
        // 1..3 are the gminy proper, 8 and 9 the districts and delegations
        // of the big cities; 4 and 5 are the town and rural parts of an
        // urban-rural gmina (the gmina itself is already listed as 3).
        const bool wanted = (unit.kind >= 1 && unit.kind <= 3) || unit.kind == 8 || unit.kind == 9 ||
                            (includeParts && (unit.kind == 4 || unit.kind == 5));
        if (wanted && unit.code.starts_with(codePrefix)) result.push_back(&unit);
    }
    return result;
}

std::vector<const TerytUnit*> TerytRegister::gminyOfPowiat(std::string_view powiatCode) const {
    std::vector<const TerytUnit*> result;
    if (!_index) return result;
    const auto it = _index->gminyOfPowiat.find(powiatCode);
    if (it == _index->gminyOfPowiat.end()) return result;
    result.reserve(it->second.size());
    for (std::size_t i : it->second) result.push_back(&_units[i]);
    return result;
}

std::string TerytRegister::foldName(std::string_view name) {
    const std::string folded = util::foldKey(name);
    // "Kędzierzyn - Koźle" and "Kędzierzyn-Koźle" are the same name.
    std::string key;
    key.reserve(folded.size());
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char c = folded[i];
        if (c == ' ' && ((i + 1 < folded.size() && folded[i + 1] == '-') || (!key.empty() && key.back() == '-')))
            continue;
        key.push_back(c);
    }
    // Longer prefixes first, so that "m.st." is not cut as "m." + "st.".
    static constexpr std::array<std::string_view, 9> kPrefixes = {
        "wojewodztwo ", "woj.", "powiat ", "pow.", "gmina ", "gm.", "m.st.", "m. st.", "miasto ",
    };
    static constexpr std::array<std::string_view, 3> kGminaKinds = {"miejsko-wiejska ", "miejska ", "wiejska "};
    bool stripped = true;
    while (stripped) {
        stripped = false;
        for (std::string_view prefix : kPrefixes) {
            if (stripPrefix(key, prefix)) {
                // "Gmina Miejska Puławy", "gmina wiejska Kurów".
                if (prefix == "gmina " || prefix == "gm.")
                    for (std::string_view kind : kGminaKinds)
                        if (stripPrefix(key, kind)) break;
                stripped = true;
                break;
            }
        }
        if (!stripped && stripPrefix(key, "m.")) stripped = true;
    }
    return key;
}

}  // namespace formproc::validation
