#include "formproc/http/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace formproc::http {

namespace {

std::string escape(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
    return buffer;
}

// `{a="1",b="2"}` with an extra label appended when given.
std::string withLabel(const std::string& labels, const std::string& extra) {
    if (extra.empty()) return labels.empty() ? "" : "{" + labels + "}";
    return "{" + labels + (labels.empty() ? "" : ",") + extra + "}";
}

}  // namespace

const std::vector<double>& Metrics::buckets() {
    static const std::vector<double> b = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    return b;
}

std::string Metrics::key(const Labels& labels) {
    std::string out;
    for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=\"" + escape(v) + "\"";
    return out;
}

void Metrics::count(const std::string& name, const Labels& labels, double by) {
    std::lock_guard lock(_mutex);
    _values[name][key(labels)] += by;
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
    std::lock_guard lock(_mutex);
    _values[name][key(labels)] = value;
}

void Metrics::observe(const std::string& name, const Labels& labels, double value) {
    std::lock_guard lock(_mutex);
    Histogram& h = _histograms[name][key(labels)];
    if (h.counts.empty()) h.counts.assign(buckets().size(), 0);
    for (std::size_t i = 0; i < buckets().size(); ++i)
        if (value <= buckets()[i]) {
            ++h.counts[i];
            break;
        }
    h.sum += value;
    ++h.total;
}

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
    std::lock_guard lock(_mutex);
    _help[name] = {type, help};
}

std::string Metrics::render() const {
    std::lock_guard lock(_mutex);
    std::ostringstream out;
    auto header = [&](const std::string& name) {
        if (auto it = _help.find(name); it != _help.end())
            out << "# HELP " << name << " " << it->second.second << "\n# TYPE " << name << " " << it->second.first
                << "\n";
    };
    for (const auto& [name, series] : _values) {
        header(name);
        for (const auto& [labels, value] : series) out << name << withLabel(labels, "") << " " << number(value) << "\n";
    }
    for (const auto& [name, series] : _histograms) {
        header(name);
        for (const auto& [labels, h] : series) {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < buckets().size(); ++i) {
                cumulative += h.counts[i];
                out << name << "_bucket" << withLabel(labels, "le=\"" + number(buckets()[i]) + "\"") << " "
                    << cumulative << "\n";
            }
            out << name << "_bucket" << withLabel(labels, "le=\"+Inf\"") << " " << h.total << "\n";
            out << name << "_sum" << withLabel(labels, "") << " " << number(h.sum) << "\n";
            out << name << "_count" << withLabel(labels, "") << " " << h.total << "\n";
        }
    }
    return out.str();
}

}  // namespace formproc::http
