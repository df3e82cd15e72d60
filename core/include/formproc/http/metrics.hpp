// Counters and histograms for /metrics, written in the Prometheus text
// format. Labels never carry personal data: routes are patterns
// ("/api/v1/submissions/{id}"), readers and decisions are codes.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace formproc::http {

class Metrics {
public:
    using Labels = std::map<std::string, std::string>;

    // Adds `by` to the counter `name` with `labels`.
    void count(const std::string& name, const Labels& labels, double by = 1);
    // Records one observation in the histogram `name` (seconds buckets).
    void observe(const std::string& name, const Labels& labels, double value);
    // Sets a gauge.
    void set(const std::string& name, const Labels& labels, double value);
    // Help text of a metric (written as # HELP, with its # TYPE).
    void describe(const std::string& name, const std::string& type, const std::string& help);

    // Everything in the Prometheus text exposition format (version 0.0.4).
    std::string render() const;

    static const std::vector<double>& buckets();

private:
    struct Histogram {
        std::vector<std::uint64_t> counts;  // per bucket, cumulative at render
        double sum = 0;
        std::uint64_t total = 0;
    };
    static std::string key(const Labels& labels);
    mutable std::mutex _mutex;
    std::map<std::string, std::pair<std::string, std::string>> _help;  // name -> (type, help)
    std::map<std::string, std::map<std::string, double>> _values;      // counters and gauges
    std::map<std::string, std::map<std::string, Histogram>> _histograms;
};

}  // namespace formproc::http
