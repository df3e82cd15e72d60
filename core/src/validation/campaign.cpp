#include "formproc/validation/campaign.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <stdexcept>

namespace formproc::validation {

namespace {

using Poco::Dynamic::Var;
using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

constexpr std::size_t kMaxTextBytes = 2000;   // a name, an address, a rule's wording
constexpr std::size_t kMaxListItems = 10000;  // gminy in Zał. nr 1, address book entries

// The 1-based line of `offset` in `text`.
int lineAt(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The schema of OUTPUT.md "Campaign file", checked key by key. Every refusal
// names the file, the line and the key, in English and in Polish, and never
// a C++ type; it throws std::runtime_error.
class SchemaCheck {
public:
    SchemaCheck(const std::string& path, const std::string& text) : _path(path), _text(text) {}

    [[noreturn]] void fail(const std::string& key, const std::string& english, const std::string& polish) const {
        const int line = lineOf(key);
        if (key.empty())
            throw std::runtime_error(_path + ": line " + std::to_string(line) + ": " + english + " / wiersz " +
                                     std::to_string(line) + ": " + polish);
        throw std::runtime_error(_path + ": line " + std::to_string(line) + ", key \"" + key + "\": " + english +
                                 " / wiersz " + std::to_string(line) + ", klucz „" + key + "”: " + polish);
    }

    // Refuses any key of `object` not in `allowed` (a misspelled key would
    // silently switch a rule off).
    void onlyKeys(const ObjectPtr& object, const std::string& prefix,
                  std::initializer_list<const char*> allowed) const {
        for (const auto& name : object->getNames()) {
            const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
            if (!known) fail(join(prefix, name), "unknown key (misspelled?)", "nieznany klucz (literówka?)");
        }
    }

    ObjectPtr object(const ObjectPtr& parent, const std::string& prefix, const std::string& key, bool required) const {
        const std::string path = join(prefix, key);
        if (!present(parent, path, key, required)) return nullptr;
        const Var value = parent->get(key);
        if (value.type() != typeid(ObjectPtr)) fail(path, "must be an object {…}", "musi być obiektem {…}");
        return value.extract<ObjectPtr>();
    }

    ArrayPtr array(const ObjectPtr& parent, const std::string& prefix, const std::string& key, bool required) const {
        const std::string path = join(prefix, key);
        if (!present(parent, path, key, required)) return nullptr;
        const Var value = parent->get(key);
        if (value.type() != typeid(ArrayPtr)) fail(path, "must be a list […]", "musi być listą […]");
        ArrayPtr list = value.extract<ArrayPtr>();
        if (list->size() > kMaxListItems)
            fail(path, "holds more than " + std::to_string(kMaxListItems) + " items",
                 "ma więcej niż " + std::to_string(kMaxListItems) + " pozycji");
        return list;
    }

    std::optional<std::string> text(const ObjectPtr& parent, const std::string& prefix, const std::string& key,
                                    bool required) const {
        const std::string path = join(prefix, key);
        if (!present(parent, path, key, required)) return std::nullopt;
        return textValue(parent->get(key), path);
    }

    std::string textValue(const Var& value, const std::string& path) const {
        if (!value.isString()) fail(path, "must be a text in quotes", "musi być tekstem w cudzysłowie");
        std::string s = value.extract<std::string>();
        if (s.size() > kMaxTextBytes)
            fail(path, "is longer than " + std::to_string(kMaxTextBytes) + " bytes",
                 "jest dłuższy niż " + std::to_string(kMaxTextBytes) + " bajtów");
        return s;
    }

    std::optional<Date> date(const ObjectPtr& parent, const std::string& prefix, const std::string& key,
                             bool required) const {
        const auto s = text(parent, prefix, key, required);
        if (!s) return std::nullopt;
        const auto dateChar = [](char c) { return c == '-' || (c >= '0' && c <= '9'); };
        const bool shaped =
            s->size() == 10 && (*s)[4] == '-' && (*s)[7] == '-' && std::all_of(s->begin(), s->end(), dateChar);
        const auto parsed = shaped ? parseDate(*s) : std::nullopt;
        if (!parsed) fail(join(prefix, key), "must be a date YYYY-MM-DD", "musi być datą RRRR-MM-DD");
        return parsed;
    }

    std::optional<long long> integer(const ObjectPtr& parent, const std::string& prefix, const std::string& key,
                                     long long min, long long max) const {
        const std::string path = join(prefix, key);
        if (!present(parent, path, key, false)) return std::nullopt;
        const Var value = parent->get(key);
        const std::string range = std::to_string(min) + "–" + std::to_string(max);
        if (!value.isInteger()) fail(path, "must be a whole number " + range, "musi być liczbą całkowitą " + range);
        const long long n = value.convert<long long>();
        if (n < min || n > max) fail(path, "must be a whole number " + range, "musi być liczbą całkowitą " + range);
        return n;
    }

    static std::string join(const std::string& prefix, const std::string& key) {
        return prefix.empty() ? key : prefix + "." + key;
    }

private:
    bool present(const ObjectPtr& parent, const std::string& path, const std::string& key, bool required) const {
        if (parent->has(key) && !parent->isNull(key)) return true;
        if (required) fail(path, "is required", "jest wymagany");
        return false;
    }

    // Where a key path ("enrolled_gminy[3].teryt") is written: each key in
    // turn after the previous one; an index skips that many of the next key.
    int lineOf(const std::string& keyPath) const {
        std::size_t pos = 0, start = 0;
        int skip = 0;
        while (start < keyPath.size()) {
            std::size_t end = keyPath.find_first_of(".[", start);
            if (end == std::string::npos) end = keyPath.size();
            const std::string key = keyPath.substr(start, end - start);
            for (int i = 0; i <= skip && !key.empty(); ++i) {
                const std::size_t found = _text.find("\"" + key + "\"", pos);
                if (found == std::string::npos) return lineAt(_text, pos);
                pos = found + key.size() + 2;
            }
            skip = 0;
            if (end < keyPath.size() && keyPath[end] == '[') {
                skip = std::atoi(keyPath.c_str() + end + 1);
                end = keyPath.find(']', end);
                if (end == std::string::npos) break;
                if (end + 1 < keyPath.size() && keyPath[end + 1] == '.') ++end;
            }
            start = end + 1;
        }
        return lineAt(_text, pos == 0 ? 0 : pos - 1);
    }

    const std::string& _path;
    const std::string& _text;
};

// The line of a JSON syntax error: Poco does not say where, so the shortest
// prefix that fails for another reason than ending early is searched for.
int syntaxErrorLine(const std::string& text) {
    auto failsInside = [&](std::size_t length) {
        try {
            Poco::JSON::Parser parser;
            parser.parse(text.substr(0, length));
            return false;
        } catch (const Poco::Exception& e) {
            return e.message().find("end of text") == std::string::npos;
        }
    };
    std::size_t low = 0, high = text.size();
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (failsInside(mid))
            high = mid;
        else
            low = mid + 1;
    }
    return lineAt(text, low == 0 ? 0 : low - 1);
}

void readOffice(const SchemaCheck& check, const ObjectPtr& root, Campaign& campaign) {
    const ObjectPtr office = check.object(root, "", "office", false);
    if (!office) return;
    check.onlyKeys(office, "office", {"name", "address", "email"});
    campaign.office.name = check.text(office, "office", "name", true).value_or("");
    campaign.office.address = check.text(office, "office", "address", false).value_or("");
    campaign.office.email = check.text(office, "office", "email", false).value_or("");
}

void readPeriod(const SchemaCheck& check, const ObjectPtr& root, Campaign& campaign) {
    const ObjectPtr period = check.object(root, "", "project_period", true);
    check.onlyKeys(period, "project_period", {"from", "to"});
    campaign.periodFrom = *check.date(period, "project_period", "from", true);
    campaign.periodTo = *check.date(period, "project_period", "to", true);
    if (campaign.periodTo < campaign.periodFrom)
        check.fail("project_period.to", "the period ends before it begins", "okres kończy się, zanim się zaczyna");
}

void readGminy(const SchemaCheck& check, const ObjectPtr& root, Campaign& campaign) {
    const ArrayPtr list = check.array(root, "", "enrolled_gminy", true);
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = "enrolled_gminy[" + std::to_string(i) + "]";
        const Var item = list->get(static_cast<unsigned>(i));
        if (item.type() != typeid(ObjectPtr))
            check.fail(at, "must be an object {\"teryt\": …, \"nazwa\": …}",
                       "musi być obiektem {\"teryt\": …, \"nazwa\": …}");
        const ObjectPtr g = item.extract<ObjectPtr>();
        check.onlyKeys(g, at, {"teryt", "nazwa"});
        const std::string teryt = *check.text(g, at, "teryt", true);
        if (teryt.size() != 7 || !std::all_of(teryt.begin(), teryt.end(), [](char c) { return c >= '0' && c <= '9'; }))
            check.fail(at + ".teryt", "must be a TERYT gmina code of 7 digits",
                       "musi być 7-cyfrowym kodem TERYT gminy");
        campaign.enrolledGminy.push_back({teryt, *check.text(g, at, "nazwa", true)});
    }
}

void readSisters(const SchemaCheck& check, const ObjectPtr& root, Campaign& campaign) {
    // The model's sister projects, unless the campaign names others.
    campaign.sisterOffices = {{1, "Regionalny Ośrodek Polityki Społecznej w Katowicach"},
                              {3, "Regionalny Ośrodek Polityki Społecznej w Toruniu"},
                              {4, "Regionalny Ośrodek Polityki Społecznej w Toruniu"},
                              {5, "Regionalny Ośrodek Polityki Społecznej w Toruniu"}};
    const ObjectPtr sisters = check.object(root, "", "sister_projects", false);
    if (!sisters) return;
    for (const auto& name : sisters->getNames()) {
        const std::string at = SchemaCheck::join("sister_projects", name);
        if (name.size() != 1 || name[0] < '1' || name[0] > '9')
            check.fail(at, "sister_projects keys are TERYT gmina kinds (1..9)",
                       "klucze sister_projects to rodzaje gmin TERYT (1..9)");
        campaign.sisterOffices[name[0] - '0'] = check.textValue(sisters->get(name), at);
    }
}

// The answer settings (output::AnswerSettings) read these; their shapes are
// checked here, so that a campaign is refused once, when it is loaded.
void checkAnswerKeys(const SchemaCheck& check, const ObjectPtr& root) {
    if (const ObjectPtr procedure = check.object(root, "", "procedure", false)) {
        check.onlyKeys(procedure, "procedure", {"kind", "rules", "term_days"});
        check.text(procedure, "procedure", "kind", false);
        check.text(procedure, "procedure", "rules", false);
        check.integer(procedure, "procedure", "term_days", 1, 365);
    }
    if (const ObjectPtr signature = check.object(root, "", "signature", false)) {
        check.onlyKeys(signature, "signature", {"name", "function", "office"});
        for (const char* key : {"name", "function", "office"}) check.text(signature, "signature", key, false);
    }
    if (const ArrayPtr book = check.array(root, "", "address_book", false))
        for (std::size_t i = 0; i < book->size(); ++i) {
            const std::string at = "address_book[" + std::to_string(i) + "]";
            const Var item = book->get(static_cast<unsigned>(i));
            if (item.type() != typeid(ObjectPtr)) check.fail(at, "must be an object {…}", "musi być obiektem {…}");
            const ObjectPtr entry = item.extract<ObjectPtr>();
            check.onlyKeys(entry, at, {"name", "teryt", "address", "email", "phone"});
            check.text(entry, at, "name", true);
            for (const char* key : {"teryt", "address", "email", "phone"}) check.text(entry, at, key, false);
        }
    if (const ObjectPtr epuap = check.object(root, "", "epuap", false)) {
        check.onlyKeys(epuap, "epuap", {"attach_original"});
        if (const ArrayPtr forms = check.array(epuap, "epuap", "attach_original", false))
            for (std::size_t i = 0; i < forms->size(); ++i)
                check.textValue(forms->get(static_cast<unsigned>(i)),
                                "epuap.attach_original[" + std::to_string(i) + "]");
    }
}

}  // namespace

bool Campaign::isEnrolled(const std::string& terytCode) const {
    for (const auto& g : enrolledGminy)
        if (g.teryt == terytCode) return true;
    return false;
}

Campaign Campaign::parse(const std::string& json, const std::string& path) {
    const SchemaCheck check(path, json);
    ObjectPtr root;
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(32);
        const Var parsed = parser.parse(json);
        if (parsed.type() == typeid(ObjectPtr)) root = parsed.extract<ObjectPtr>();
    } catch (const Poco::Exception& e) {
        const std::string line = std::to_string(syntaxErrorLine(json));
        throw std::runtime_error(path + ": line " + line + ": not valid JSON (" + e.message() + ") / wiersz " + line +
                                 ": to nie jest poprawny JSON");
    }
    if (!root) check.fail("", "the campaign must be a JSON object {…}", "kampania musi być obiektem JSON {…}");
    check.onlyKeys(root, "",
                   {"name", "office", "deadline", "project_period", "enrolled_gminy", "sister_projects", "procedure",
                    "signature", "address_book", "epuap"});
    Campaign campaign;
    campaign.path = path;
    campaign.name = *check.text(root, "", "name", true);
    readOffice(check, root, campaign);
    campaign.deadline = check.date(root, "", "deadline", true);
    readPeriod(check, root, campaign);
    readGminy(check, root, campaign);
    readSisters(check, root, campaign);
    checkAnswerKeys(check, root);
    return campaign;
}

Campaign Campaign::load(const std::string& path) {
    // Non-blocking, so that a FIFO is refused instead of waited on.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const std::string reason = errno == ENOENT   ? "no such file / nie ma takiego pliku"
                                   : errno == EACCES ? "permission denied / brak uprawnień"
                                                     : std::string(std::strerror(errno));
        throw std::runtime_error(path + ": cannot open the campaign file: " + reason);
    }
    struct stat st {};
    std::string text;
    std::string problem;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        problem = "not a regular file / to nie jest zwykły plik";
    } else if (static_cast<std::uint64_t>(st.st_size) > kMaxFileBytes) {
        problem = "larger than " + std::to_string(kMaxFileBytes / 1024) + " KiB / większy niż " +
                  std::to_string(kMaxFileBytes / 1024) + " KiB";
    } else {
        text.resize(static_cast<std::size_t>(st.st_size));
        std::size_t got = 0;
        while (got < text.size()) {
            const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        text.resize(got);
    }
    ::close(fd);
    if (!problem.empty()) throw std::runtime_error(path + ": cannot use the campaign file: " + problem);
    return parse(text, path);
}

}  // namespace formproc::validation
