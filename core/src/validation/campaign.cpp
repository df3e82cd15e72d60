#include "formproc/validation/campaign.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace formproc::validation {

namespace {

Date dateOf(const std::string& path, const std::string& key, const std::string& text) {
    auto date = parseDate(text);
    if (!date) throw std::runtime_error(path + ": " + key + " is not a date: '" + text + "'");
    return *date;
}

}  // namespace

bool Campaign::isEnrolled(const std::string& terytCode) const {
    for (const auto& g : enrolledGminy)
        if (g.teryt == terytCode) return true;
    return false;
}

Campaign Campaign::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open the campaign file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    Campaign campaign;
    campaign.path = path;
    try {
        Poco::JSON::Parser parser;
        auto root = parser.parse(buffer.str()).extract<Poco::JSON::Object::Ptr>();
        if (!root) throw std::runtime_error("not a JSON object");
        campaign.name = root->optValue<std::string>("name", "");
        if (auto office = root->getObject("office")) {
            campaign.office.name = office->optValue<std::string>("name", "");
            campaign.office.address = office->optValue<std::string>("address", "");
            campaign.office.email = office->optValue<std::string>("email", "");
        }
        if (root->has("deadline") && !root->isNull("deadline"))
            campaign.deadline = dateOf(path, "deadline", root->getValue<std::string>("deadline"));
        if (auto period = root->getObject("project_period")) {
            campaign.periodFrom = dateOf(path, "project_period.from", period->getValue<std::string>("from"));
            campaign.periodTo = dateOf(path, "project_period.to", period->getValue<std::string>("to"));
        }
        if (auto list = root->getArray("enrolled_gminy")) {
            for (std::size_t i = 0; i < list->size(); ++i) {
                auto g = list->getObject(static_cast<unsigned>(i));
                if (!g) continue;
                campaign.enrolledGminy.push_back(
                    {g->optValue<std::string>("teryt", ""), g->optValue<std::string>("nazwa", "")});
            }
        }
        // The model's sister projects, unless the campaign names others.
        campaign.sisterOffices = {{1, "Regionalny Ośrodek Polityki Społecznej w Katowicach"},
                                  {3, "Regionalny Ośrodek Polityki Społecznej w Toruniu"},
                                  {4, "Regionalny Ośrodek Polityki Społecznej w Toruniu"},
                                  {5, "Regionalny Ośrodek Polityki Społecznej w Toruniu"}};
        if (auto sisters = root->getObject("sister_projects")) {
            for (const auto& name : sisters->getNames()) {
                try {
                    campaign.sisterOffices[std::stoi(name)] = sisters->getValue<std::string>(name);
                } catch (const std::exception&) {
                    throw std::runtime_error("sister_projects keys are TERYT gmina kinds (1..9), got '" + name + "'");
                }
            }
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(path + ": " + e.displayText());
    } catch (const std::runtime_error& e) {
        std::string what = e.what();
        if (what.rfind(path, 0) == 0) throw;
        throw std::runtime_error(path + ": " + what);
    }
    return campaign;
}

}  // namespace formproc::validation
