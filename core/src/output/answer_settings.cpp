#include "formproc/output/answer_settings.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "formproc/output/polish.hpp"
#include "formproc/util/text.hpp"

namespace formproc::output {

namespace {

// The sister projects' offices of MODEL.md, with their postal addresses, so
// that a redirect letter can say where to turn even when a campaign file
// gives no address book. A campaign's own entry of the same name wins.
const AddressEntry kSisterOffices[] = {
    {"Regionalny Ośrodek Polityki Społecznej w Katowicach", "", {"ul. Modelarska 10", "40-142", "Katowice"}, "", ""},
    {"Regionalny Ośrodek Polityki Społecznej w Toruniu", "", {"ul. Szosa Chełmińska 30", "87-100", "Toruń"}, "", ""},
};

bool isPostalCode(std::string_view s) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return s.size() == 6 && digit(s[0]) && digit(s[1]) && s[2] == '-' && digit(s[3]) && digit(s[4]) && digit(s[5]);
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object->has(key) || object->isNull(key)) return {};
    const Poco::Dynamic::Var value = object->get(key);
    if (!value.isString()) throw std::runtime_error(key + " is not a text");
    return util::collapseSpace(value.extract<std::string>());
}

AddressEntry readEntry(const Poco::JSON::Object::Ptr& object) {
    AddressEntry entry;
    entry.name = text(object, "name");
    if (entry.name.empty()) throw std::runtime_error("address_book: an entry has no name");
    entry.teryt = text(object, "teryt");
    entry.address = PostalAddress::parse(text(object, "address"));
    entry.email = text(object, "email");
    entry.phone = text(object, "phone");
    return entry;
}

void readProcedure(const Poco::JSON::Object::Ptr& procedure, AnswerSettings& settings) {
    const std::string kind = text(procedure, "kind");
    if (kind == "administrative" || kind == "kpa")
        settings.frame = LegalFrame::Administrative;
    else if (kind.empty() || kind == "invitation")
        settings.frame = LegalFrame::Invitation;
    else
        throw std::runtime_error("procedure.kind is \"invitation\" or \"administrative\", got \"" + kind + "\"");
    settings.rules = text(procedure, "rules");
    if (procedure->has("term_days")) {
        const Poco::Dynamic::Var days = procedure->get("term_days");
        if (!days.isInteger() || days.convert<int>() < 1 || days.convert<int>() > 365)
            throw std::runtime_error("procedure.term_days is a number of days (1–365)");
        settings.termDays = days.convert<int>();
        // KPA art. 64 § 2: a term „nie krótszy niż siedem dni”.
        if (settings.frame == LegalFrame::Administrative && *settings.termDays < 7)
            throw std::runtime_error("procedure.term_days: art. 64 § 2 KPA needs at least 7 days");
    }
}

}  // namespace

std::string PostalAddress::oneLine() const {
    std::string place = postalCode.empty() ? town : town.empty() ? postalCode : postalCode + " " + town;
    if (street.empty()) return place;
    return place.empty() ? street : street + ", " + place;
}

PostalAddress PostalAddress::parse(const std::string& line) {
    PostalAddress address;
    const std::string collapsed = util::collapseSpace(line);
    std::string rest;
    std::size_t start = 0;
    while (start <= collapsed.size()) {
        std::size_t end = collapsed.find(',', start);
        if (end == std::string::npos) end = collapsed.size();
        const std::string part(util::trim(std::string_view(collapsed).substr(start, end - start)));
        if (address.postalCode.empty() && part.size() >= 6 && isPostalCode(part.substr(0, 6))) {
            address.postalCode = part.substr(0, 6);
            address.town = std::string(util::trim(part.substr(6)));
        } else if (!part.empty()) {
            rest += (rest.empty() ? "" : ", ") + part;
        }
        start = end + 1;
    }
    address.street = rest;
    return address;
}

const AddressEntry* AnswerSettings::find(const std::string& teryt, const std::string& name) const {
    if (!teryt.empty())
        for (const auto& entry : addressBook)
            if (entry.teryt == teryt) return &entry;
    if (!name.empty())
        for (const auto& entry : addressBook)
            if (util::equalsFolded(entry.name, name) || util::equalsFolded(entry.name, expandedInstitutionName(name)))
                return &entry;
    return nullptr;
}

AnswerSettings AnswerSettings::parse(const std::string& json, const validation::Campaign& campaign,
                                     const std::string& path) {
    AnswerSettings settings;
    try {
        Poco::JSON::Parser parser;
        auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        if (!root) throw std::runtime_error("not a JSON object");
        if (auto procedure = root->getObject("procedure")) readProcedure(procedure, settings);
        if (auto signature = root->getObject("signature")) {
            settings.signature.name = text(signature, "name");
            settings.signature.function = text(signature, "function");
            settings.signature.office = text(signature, "office");
        }
        if (auto book = root->getArray("address_book"))
            for (std::size_t i = 0; i < book->size(); ++i) {
                auto entry = book->getObject(static_cast<unsigned>(i));
                if (!entry) throw std::runtime_error("address_book holds something that is not an object");
                settings.addressBook.push_back(readEntry(entry));
            }
        if (auto epuap = root->getObject("epuap"); epuap && epuap->has("attach_original")) {
            auto forms = epuap->getArray("attach_original");
            if (!forms) throw std::runtime_error("epuap.attach_original is a list of form ids");
            settings.attachOriginal.clear();
            for (std::size_t i = 0; i < forms->size(); ++i)
                settings.attachOriginal.insert(forms->getElement<std::string>(static_cast<unsigned>(i)));
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(path + ": " + e.displayText());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
    for (const auto& sister : kSisterOffices)
        if (!settings.find({}, sister.name)) settings.addressBook.push_back(sister);
    if (settings.signature.function.empty()) settings.signature.function = "Dyrektor";
    if (settings.signature.office.empty()) settings.signature.office = institutionGenitive(campaign.office.name);
    return settings;
}

std::shared_ptr<const AnswerSettings> answerSettingsFor(const validation::Campaign& campaign) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool onDisk = !campaign.path.empty() && fs::is_regular_file(campaign.path, ec);
    const long long stamp =
        onDisk ? static_cast<long long>(fs::last_write_time(campaign.path, ec).time_since_epoch().count()) : 0;
    struct Entry {
        long long stamp;
        std::string office;
        std::shared_ptr<const AnswerSettings> settings;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> cache;
    std::lock_guard lock(mutex);
    const std::string key = onDisk ? campaign.path : std::string();
    if (auto it = cache.find(key);
        it != cache.end() && it->second.stamp == stamp && it->second.office == campaign.office.name)
        return it->second.settings;
    std::string json = "{}";
    if (onDisk) {
        std::ifstream in(campaign.path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        json = bytes.str();
    }
    auto settings = std::make_shared<const AnswerSettings>(AnswerSettings::parse(json, campaign, campaign.path));
    cache[key] = Entry{stamp, campaign.office.name, settings};
    return settings;
}

}  // namespace formproc::output
