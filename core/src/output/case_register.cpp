#include "formproc/output/case_register.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <system_error>
#include <vector>

#include "formproc/output/atomic_file.hpp"

namespace formproc::output {

namespace {

std::string replaceAll(std::string text, const std::string& what, const std::string& with) {
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
    return text;
}

// Threads of one process queue on a mutex before the file lock, so that a
// process holds at most one flock wait at a time and never locks twice.
std::mutex& registerMutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace

CaseRegister::CaseRegister(std::string dir) : _dir(std::move(dir)) {}

long CaseRegister::next(const std::string& key) {
    std::lock_guard threads(registerMutex());
    FileLock lock(_dir + "/znaki-spraw.lock");
    const std::string statePath = _dir + "/znaki-spraw.txt";
    std::map<std::string, long> counters;
    std::vector<std::string> order;
    {
        std::ifstream in(statePath, std::ios::binary);
        std::error_code ec;
        if (!in && std::filesystem::exists(statePath, ec))
            throw std::system_error(EIO, std::generic_category(), "cannot read " + statePath);
        for (std::string line; std::getline(in, line);) {
            if (line.empty() || line[0] == '#') continue;
            const auto tab = line.rfind('\t');
            if (tab == std::string::npos) continue;
            long value = 0;
            try {
                value = std::stol(line.substr(tab + 1));
            } catch (const std::exception&) {
                // A hand-edited line that is not a number: refuse rather than
                // restart at 1 and hand out signs twice.
                throw std::system_error(EINVAL, std::generic_category(),
                                        statePath + ": not a number in '" + line + "'");
            }
            const std::string name = line.substr(0, tab);
            if (!counters.count(name)) order.push_back(name);
            counters[name] = value;
        }
    }
    if (!counters.count(key)) order.push_back(key);
    const long number = ++counters[key];
    std::ostringstream out;
    out << "# formproc: ostatnie numery znaków spraw (klucz<TAB>numer); plik zmienia formproc process\n";
    for (const auto& name : order) out << name << '\t' << counters[name] << '\n';
    writeFileAtomically(statePath, out.str());
    return number;
}

std::string CaseRegister::format(const std::string& pattern, long number, const validation::Date& date) {
    std::string month = std::to_string(date.month);
    if (month.size() < 2) month.insert(0, "0");
    std::string sign = replaceAll(pattern, "{nr}", std::to_string(number));
    sign = replaceAll(sign, "{rok}", std::to_string(date.year));
    return replaceAll(sign, "{miesiac}", month);
}

std::string CaseRegister::counterKey(const std::string& campaign, const std::string& pattern,
                                     const validation::Date& date) {
    std::string month = std::to_string(date.month);
    if (month.size() < 2) month.insert(0, "0");
    std::string key = replaceAll(pattern, "{rok}", std::to_string(date.year));
    key = replaceAll(key, "{miesiac}", month);
    std::string name = campaign;
    for (char& c : name)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return name + " | " + key;
}

std::string CaseRegister::nextSign(const std::string& campaign, const std::string& pattern,
                                   const validation::Date& date) {
    return format(pattern, next(counterKey(campaign, pattern, date)), date);
}

}  // namespace formproc::output
