// The three answers formproc writes for a card, timed one writer at a time
// on N cards: the letter PDF (output::renderLetterPdf), the ePUAP document
// (output::renderEpuapDocument: the letter and the original card attached,
// checked against the project's XSD, unsigned) and the filled official form
// (output::renderFormPdf). The calls are made exactly as `formproc process`
// makes them (core/app/process_command.cpp, writeOutputs()), minus the files:
// everything stays in memory, nothing is written while the clock runs.
//
// usage: formproc_bench_outputs [--cards N] [--work DIR] [--samples DIR] [--only WRITER]
//   --cards N     cards to answer (default 100), cycling the sample cards
//   --work DIR    also write what the baseline (bench/baseline_outputs.py)
//                 needs: for each sample its values (pipeline::toJson), the
//                 letter's names and the ePUAP parties, the card's bytes; the
//                 blank forms; the date. Written before the clock starts.
//   --samples DIR the AcroForm cards (default: tests/data/acroform)
//   --only WRITER letter, epuap or form: run only that writer (for counting
//                 instructions; the ePUAP documents then attach the letters
//                 of the warm-up)
//
// Prints one JSON line: for each writer wall and CPU seconds for the N
// cards, documents per second and the mean size of a document; and
// "letter_data", the part of the letter spent on output::letterData (the
// words the templates are filled with), which the baseline gets ready-made.
//
// The sample cards are read once, untimed, with pipeline::Pipeline (in
// process). Each writer then makes one untimed pass over the samples (first
// calls: fonts, page cache), then its N timed documents. Wall time:
// steady_clock; CPU: CLOCK_PROCESS_CPUTIME_ID (the whole process; the bench
// runs no other thread).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "formproc/output/answer.hpp"
#include "formproc/output/epuap.hpp"
#include "formproc/output/form_pdf.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/pipeline/pipeline.hpp"

#ifndef FORMPROC_BENCH_SHARE_DIR
#error "FORMPROC_BENCH_SHARE_DIR must name the build's share/formproc"
#endif
#ifndef FORMPROC_BENCH_PLUGIN_DIR
#error "FORMPROC_BENCH_PLUGIN_DIR must name the build's plugins"
#endif
#ifndef FORMPROC_BENCH_SAMPLES_DIR
#error "FORMPROC_BENCH_SAMPLES_DIR must name tests/data/acroform"
#endif

namespace {

namespace fs = std::filesystem;
using namespace formproc;

// The letters' date: fixed, so that every run writes the same letters.
constexpr const char* kDate = "2018-07-02";

std::string readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeBytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string partyJson(const output::EpuapParty& p) {
    const std::pair<const char*, const std::string*> fields[] = {
        {"name", &p.name},
        {"unit", &p.unit},
        {"postal_code", &p.postalCode},
        {"city", &p.city},
        {"street", &p.street},
        {"building", &p.building},
        {"flat", &p.flat},
        {"voivodeship", &p.voivodeship},
        {"powiat", &p.powiat},
        {"gmina", &p.gmina},
        {"teryt", &p.teryt},
        {"nip", &p.nip},
        {"regon", &p.regon},
        {"email", &p.email},
        {"phone", &p.phone},
    };
    std::string out = "{";
    for (const auto& [key, value] : fields) {
        if (out.size() > 1) out += ",";
        out += jsonString(key) + ":" + jsonString(*value);
    }
    return out + "}";
}

std::string mapJson(const std::map<std::string, std::string>& values) {
    std::string out = "{";
    for (const auto& [key, value] : values) {
        if (out.size() > 1) out += ",";
        out += jsonString(key) + ":" + jsonString(value);
    }
    return out + "}";
}

struct Sample {
    fs::path path;
    std::string bytes;  // the card as filed (attached to the ePUAP document)
    Result result;
    const forms::Form* form = nullptr;
};

// CPU seconds of the whole process.
double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timing {
    double wall = 0;
    double cpu = 0;
    double bytes = 0;  // total size of the documents written
};

class Clock {
public:
    Clock() : _wall(std::chrono::steady_clock::now()), _cpu(cpuSeconds()) {}
    Timing stop(double bytes) const {
        Timing t;
        t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - _wall).count();
        t.cpu = cpuSeconds() - _cpu;
        t.bytes = bytes;
        return t;
    }

private:
    std::chrono::steady_clock::time_point _wall;
    double _cpu;
};

struct Options {
    std::size_t cards = 100;
    std::string work;
    std::string only;  // one writer: letter, epuap or form (empty: all)
    std::string samples = FORMPROC_BENCH_SAMPLES_DIR;
};

std::optional<Options> parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--cards" || a == "--work" || a == "--samples" || a == "--only") && i + 1 < argc) {
            const std::string v = argv[++i];
            if (a == "--cards") {
                char* end = nullptr;
                const unsigned long n = std::strtoul(v.c_str(), &end, 10);
                if (v.empty() || *end != '\0' || n == 0) return std::nullopt;
                o.cards = n;
            } else if (a == "--work") {
                o.work = v;
            } else if (a == "--only") {
                if (v != "letter" && v != "epuap" && v != "form") return std::nullopt;
                o.only = v;
            } else {
                o.samples = v;
            }
        } else {
            return std::nullopt;
        }
    }
    return o;
}

int run(const Options& opt) {
    const std::string shareDir = FORMPROC_BENCH_SHARE_DIR;
    const auto date = validation::parseDate(kDate);
    if (!date) throw std::runtime_error("bad date");

    // --- untimed: the environment, the templates, the six Results ----------
    pipeline::Environment env = pipeline::loadEnvironment(shareDir, FORMPROC_BENCH_PLUGIN_DIR, "");
    const auto templates = output::loadLetterTemplates(shareDir + "/templates/letters");
    output::pdfFontFile();
    pipeline::Options pipeOptions;
    pipeOptions.isolate = false;
    pipeline::Pipeline pipe(std::move(env), pipeOptions);
    const pipeline::Environment& e = pipe.environment();
    const validation::Campaign& campaign = *e.campaign;

    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(opt.samples))
        if (entry.path().extension() == ".pdf") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) throw std::runtime_error("no sample cards (*.pdf) in " + opt.samples);

    std::vector<Sample> samples;
    for (const auto& path : paths) {
        auto result = pipe.process(pipeline::DocumentInput(path.string()));
        if (!result) throw std::runtime_error("cannot read " + path.string());
        Sample s;
        s.path = path;
        s.bytes = readBytes(path);
        s.result = std::move(*result);
        s.form = s.result.form ? e.forms->byId(*s.result.form) : nullptr;
        if (!s.form)
            throw std::runtime_error(path.string() + " was not read as a form (decision " +
                                     toString(s.result.decision) + ")");
        samples.push_back(std::move(s));
    }

    const auto caseSign = [&](std::size_t i) { return "LK.8520.2." + std::to_string(i + 1) + ".2018"; };
    const auto letterRequest = [&](const Sample& s, std::size_t i) {
        output::LetterRequest request;
        request.result = &s.result;
        request.form = s.form;
        request.campaign = &campaign;
        request.teryt = e.teryt.get();
        request.catalog = &e.forms->catalog();
        request.caseSign = caseSign(i);
        request.date = *date;
        request.fileName = s.path.filename().string();
        return request;
    };
    const std::string xsdPath = shareDir + "/templates/epuap/pismo-ogolne.xsd";
    // The render step's own ePUAP document.
    const auto epuapDocument = [&](const Sample& s, std::size_t i, const std::string& letterPdf) {
        output::AnswerRequest request;
        request.forms = e.forms.get();
        request.campaign = &campaign;
        request.teryt = e.teryt.get();
        request.templates = templates.get();
        request.epuap.xsdPath = xsdPath;
        request.caseSign = caseSign(i);
        request.date = *date;
        request.fileName = s.path.filename().string();
        request.originalBytes = s.bytes;
        // The letter as renderLetter gives it (its paragraphs are not timed here).
        output::RenderedLetter letter{letterPdf, e.forms->catalog().decision(s.result.decision).title, {}};
        const forms::Form* form = s.result.form ? e.forms->byId(*s.result.form) : nullptr;
        const auto settings = output::answerSettingsFor(campaign);
        return output::renderEpuapAnswer(
            s.result, request, letter, output::addresseeOf(s.result, form, e.teryt.get(), *settings, request.fileName));
    };

    // --- untimed: what the baseline needs ----------------------------------
    if (!opt.work.empty()) {
        const fs::path work = opt.work;
        fs::create_directories(work / "cards");
        fs::create_directories(work / "blank");
        std::string index = "{\"date\":" + jsonString(date->iso()) + ",\"campaign\":" + jsonString(campaign.name) +
                            ",\"sender\":" + partyJson(output::epuapSender(campaign)) +
                            ",\"xsd\":" + jsonString(xsdPath) + ",\"cards\":[";
        std::vector<std::string> blanks;
        for (std::size_t k = 0; k < samples.size(); ++k) {
            const Sample& s = samples[k];
            const std::string name = s.path.filename().string();
            writeBytes(work / "cards" / name, s.bytes);
            const std::string formId = s.form->id;
            if (std::find(blanks.begin(), blanks.end(), formId) == blanks.end()) {
                writeBytes(work / "blank" / (formId + ".pdf"), output::renderFormPdf(*s.form, nullptr, campaign.name));
                blanks.push_back(formId);
            }
            // The letter's words as formproc's templates get them (the case
            // sign is the baseline's to replace per card).
            output::TemplateData data = output::letterData(letterRequest(s, k));
            const auto addressee = output::epuapAddressee(s.result, e.teryt.get());
            if (k) index += ",";
            index += "{\"file\":" + jsonString("cards/" + name) +
                     ",\"blank\":" + jsonString("blank/" + formId + ".pdf") +
                     ",\"title\":" + jsonString(e.forms->catalog().decision(s.result.decision).title) +
                     ",\"letter\":" + mapJson(data.values) +
                     ",\"addressee\":" + (addressee ? partyJson(*addressee) : std::string("null")) +
                     ",\"result\":" + pipeline::toJson(s.result) + "}";
        }
        index += "]}\n";
        writeBytes(work / "cards.json", index);
    }

    const auto wanted = [&](const char* writer) { return opt.only.empty() || opt.only == writer; };

    // --- warm-up: one untimed pass of each writer over the samples ----------
    std::vector<std::string> warmLetters;
    for (std::size_t k = 0; k < samples.size(); ++k) {
        warmLetters.push_back(output::renderLetterPdf(*templates, letterRequest(samples[k], k)));
        if (wanted("epuap") && !epuapDocument(samples[k], k, warmLetters.back()))
            throw std::runtime_error("ePUAP warm-up failed on " + samples[k].path.string());
        if (wanted("form")) output::renderFormPdf(*samples[k].form, &samples[k].result, campaign.name);
    }

    // --- timed ------------------------------------------------------------------
    const std::size_t n = opt.cards;
    std::vector<std::string> letters(n);
    double bytes = 0;

    Timing letter;
    if (wanted("letter")) {
        Clock clock;
        for (std::size_t i = 0; i < n; ++i) {
            letters[i] = output::renderLetterPdf(*templates, letterRequest(samples[i % samples.size()], i));
            bytes += static_cast<double>(letters[i].size());
        }
        letter = clock.stop(bytes);
    } else {
        // --only epuap: attach the warm-up's letters (instruction counts
        // then include no letter).
        for (std::size_t i = 0; i < n; ++i) letters[i] = warmLetters[i % samples.size()];
    }

    bytes = 0;
    std::size_t epuapFailed = 0;
    std::string epuapError;
    Timing epuap;
    if (wanted("epuap")) {
        Clock clock;
        for (std::size_t i = 0; i < n; ++i) {
            const output::EpuapDocument doc = epuapDocument(samples[i % samples.size()], i, letters[i]);
            if (!doc) {
                ++epuapFailed;
                epuapError = doc.error;
            }
            bytes += static_cast<double>(doc.xml.size());
        }
        epuap = clock.stop(bytes);
    }

    bytes = 0;
    std::size_t formEmpty = 0;
    Timing form;
    if (wanted("form")) {
        Clock clock;
        for (std::size_t i = 0; i < n; ++i) {
            const Sample& s = samples[i % samples.size()];
            const std::string pdf = output::renderFormPdf(*s.form, &s.result, campaign.name);
            if (pdf.size() < 1000 || pdf.compare(0, 5, "%PDF-") != 0) ++formEmpty;
            bytes += static_cast<double>(pdf.size());
        }
        form = clock.stop(bytes);
    }

    // Not a writer: what renderLetterPdf spends on output::letterData (the
    // letter's words), which the baseline is given ready-made.
    Timing letterData;
    if (wanted("letter")) {
        std::size_t words = 0;
        Clock clock;
        for (std::size_t i = 0; i < n; ++i)
            words += output::letterData(letterRequest(samples[i % samples.size()], i)).values.size();
        letterData = clock.stop(0);
        if (words == 0) throw std::runtime_error("no letter data");
    }

    // --- checks -------------------------------------------------------------------
    std::size_t letterEmpty = 0;
    for (const auto& l : letters)
        if (l.size() < 1000 || l.compare(0, 5, "%PDF-") != 0) ++letterEmpty;
    if (letterEmpty || epuapFailed || formEmpty) {
        std::cerr << "formproc_bench_outputs: bad outputs: " << letterEmpty << " letters, " << epuapFailed
                  << " ePUAP documents" << (epuapError.empty() ? "" : " (" + epuapError + ")") << ", " << formEmpty
                  << " forms\n";
        return 1;
    }

    const auto figures = [&](const char* name, const Timing& t) {
        if (!wanted(name) && !(std::string(name) == "letter_data" && wanted("letter"))) return std::string();
        char buf[256];
        std::snprintf(buf, sizeof buf, "\"%s\":{\"wall\":%.6f,\"cpu\":%.6f,\"docs_per_s\":%.2f,\"mean_bytes\":%.0f}",
                      name, t.wall, t.cpu, static_cast<double>(n) / t.wall, t.bytes / static_cast<double>(n));
        return std::string(buf);
    };
    std::string line = "{\"cards\":" + std::to_string(n) + ",\"samples\":" + std::to_string(samples.size());
    for (const auto& part : {figures("letter", letter), figures("epuap", epuap), figures("form", form),
                             figures("letter_data", letterData)})
        if (!part.empty()) line += "," + part;
    std::cout << line << "}\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parseOptions(argc, argv);
    if (!options) {
        std::cerr
            << "usage: formproc_bench_outputs [--cards N] [--work DIR] [--samples DIR] [--only letter|epuap|form]\n";
        return 2;
    }
    try {
        return run(*options);
    } catch (const std::exception& ex) {
        std::cerr << "formproc_bench_outputs: " << ex.what() << "\n";
        return 1;
    }
}
