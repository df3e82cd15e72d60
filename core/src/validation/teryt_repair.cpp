#include "formproc/validation/teryt_repair.hpp"

#include <algorithm>
#include <set>

#include "formproc/util/text.hpp"
#include "formproc/validation/checks.hpp"

namespace formproc::validation {

namespace {

// The gminy proper and the big cities' districts: the units a name on a
// card may mean (the town and rural parts of an urban-rural gmina, kinds 4
// and 5, carry its name too).
bool isGmina(const TerytUnit& unit) {
    return unit.code.size() == 7 && ((unit.kind >= 1 && unit.kind <= 3) || unit.kind == 8 || unit.kind == 9);
}

// Codes one digit away from `digits` that have 7 digits: a digit changed,
// two neighbours swapped, one missing or one extra.
std::set<std::string> gminaCodesNear(const std::string& digits) {
    std::set<std::string> out;
    if (digits.size() == 7) {
        for (std::size_t i = 0; i < digits.size(); ++i) {
            for (char d = '0'; d <= '9'; ++d) {
                if (d == digits[i]) continue;
                std::string candidate = digits;
                candidate[i] = d;
                out.insert(std::move(candidate));
            }
            if (i + 1 < digits.size() && digits[i] != digits[i + 1]) {
                std::string swapped = digits;
                std::swap(swapped[i], swapped[i + 1]);
                out.insert(std::move(swapped));
            }
        }
    } else if (digits.size() == 8) {
        for (std::size_t i = 0; i < digits.size(); ++i) out.insert(digits.substr(0, i) + digits.substr(i + 1));
    } else if (digits.size() == 6) {
        for (std::size_t i = 0; i <= digits.size(); ++i)
            for (char d = '0'; d <= '9'; ++d) out.insert(digits.substr(0, i) + d + digits.substr(i));
    }
    return out;
}

// The one code near the code read whose gmina bears the name read; among
// several, the one in the card's powiat.
std::optional<std::string> codeOfNamedGmina(const TerytRegister& teryt, const std::string& nameKey,
                                            const std::string& digits, std::string_view powiatCode) {
    const std::size_t tolerance = nameTolerance(nameKey, false);
    std::size_t best = tolerance;
    std::vector<const TerytUnit*> found;
    for (const std::string& code : gminaCodesNear(digits)) {
        const TerytUnit* unit = teryt.byCode(code);
        if (!unit || !isGmina(*unit)) continue;
        const std::size_t distance = util::editDistance(nameKey, TerytRegister::foldName(unit->name));
        if (distance > best) continue;
        if (distance < best) found.clear();
        best = distance;
        found.push_back(unit);
    }
    if (found.size() > 1 && !powiatCode.empty())
        found.erase(std::remove_if(found.begin(), found.end(),
                                   [&](const TerytUnit* u) { return !u->code.starts_with(powiatCode); }),
                    found.end());
    if (found.size() != 1) return std::nullopt;
    return found.front()->code;
}

}  // namespace

std::size_t nameTolerance(std::string_view foldedReading, bool pinned) {
    const std::size_t letters = util::utf8Length(foldedReading);
    if (pinned) return 1 + letters / 4;
    if (letters <= 4) return 0;
    return letters <= 8 ? 1 : 2;
}

std::optional<std::string> closestName(std::string_view reading, const std::vector<const TerytUnit*>& candidates,
                                       std::size_t maxEdits) {
    const std::string key = TerytRegister::foldName(reading);
    if (key.empty()) return std::nullopt;
    std::size_t best = maxEdits;
    std::set<std::string> spellings;
    for (const TerytUnit* unit : candidates) {
        const std::size_t distance = util::editDistance(key, TerytRegister::foldName(unit->name));
        if (distance > best) continue;
        if (distance < best) spellings.clear();
        best = distance;
        spellings.insert(unit->name);
    }
    if (spellings.size() != 1) return std::nullopt;
    const std::string& spelling = *spellings.begin();
    if (spelling == util::collapseSpace(reading)) return std::nullopt;
    return spelling;
}

std::optional<std::string> correctPowiatName(const TerytRegister& teryt, std::string_view reading,
                                             std::string_view powiatCode, std::string_view voivodeshipCode) {
    const std::string key = TerytRegister::foldName(reading);
    if (const TerytUnit* unit = powiatCode.size() == 4 ? teryt.byCode(powiatCode) : nullptr)
        return closestName(reading, {unit}, nameTolerance(key, true));
    std::vector<const TerytUnit*> candidates;
    for (const TerytUnit& unit : teryt.units())
        if (unit.code.size() == 4 && unit.code.starts_with(voivodeshipCode)) candidates.push_back(&unit);
    return closestName(reading, candidates, nameTolerance(key, false));
}

std::optional<std::string> correctPlaceName(const TerytRegister& teryt, std::string_view reading,
                                            std::string_view voivodeshipCode) {
    std::vector<const TerytUnit*> candidates;
    for (const TerytUnit& unit : teryt.units())
        if (isGmina(unit) && unit.code.starts_with(voivodeshipCode)) candidates.push_back(&unit);
    return closestName(reading, candidates, nameTolerance(TerytRegister::foldName(reading), false));
}

std::optional<std::string> correctAddressPlace(const TerytRegister& teryt, std::string_view address,
                                               std::string_view voivodeshipCode) {
    const std::string text = util::collapseSpace(address);
    // The last postal code: what follows it is the place.
    std::size_t place = std::string::npos;
    for (std::size_t i = 0; i + 6 <= text.size(); ++i)
        if ((i == 0 || text[i - 1] == ' ' || text[i - 1] == ',') && postalCodeOk(text.substr(i, 6)) &&
            (i + 6 == text.size() || text[i + 6] == ' '))
            place = i + 6;
    if (place == std::string::npos || place + 1 >= text.size()) return std::nullopt;
    const auto corrected = correctPlaceName(teryt, text.substr(place + 1), voivodeshipCode);
    if (!corrected) return std::nullopt;
    return text.substr(0, place + 1) + *corrected;
}

std::optional<GminaReading> correctGminaRow(const TerytRegister& teryt, const GminaReading& read,
                                            std::string_view powiatCode) {
    const std::string nameKey = TerytRegister::foldName(read.name);
    const std::string digits = digitsOnly(read.code);
    const TerytUnit* unit = digits.size() == 7 ? teryt.byCode(digits) : nullptr;
    if (unit && !isGmina(*unit)) unit = nullptr;
    if (nameKey.empty()) return std::nullopt;
    if (unit) {
        if (nameKey == TerytRegister::foldName(unit->name)) return std::nullopt;  // they agree
        if (auto spelled = closestName(read.name, {unit}, nameTolerance(nameKey, true)))
            return GminaReading{*spelled, digits};
    }
    if (!digits.empty())
        if (auto code = codeOfNamedGmina(teryt, nameKey, digits, powiatCode)) return GminaReading{read.name, *code};
    if (!unit && powiatCode.size() == 4 && teryt.gminyByName(read.name, powiatCode).empty())
        if (auto spelled = closestName(read.name, teryt.gminyOfPowiat(powiatCode), nameTolerance(nameKey, false)))
            return GminaReading{*spelled, read.code};
    return std::nullopt;
}

}  // namespace formproc::validation
