// `formproc form blank ID --out FILE` and `formproc inspect FILE`.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "application.hpp"
#include "formproc/output/atomic_file.hpp"
#include "formproc/output/form_pdf.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/validation/campaign.hpp"

namespace formproc::app {

namespace fs = std::filesystem;

int runForm(const Arguments& args) {
    if (args.positional.size() != 2 || args.positional[0] != "blank" || args.get("out").empty()) {
        std::cerr << "usage: formproc form blank ID --out FILE [--share DIR] [--campaign FILE]\n";
        return kExitUsage;
    }
    const std::string shareDir = args.get("share", plugin::defaultShareDir());
    std::shared_ptr<const forms::FormRegistry> registry;
    std::string subtitle;
    std::shared_ptr<const output::IssuedForms> layouts;
    try {
        registry = forms::FormRegistry::loadDirectory(shareDir + "/forms");
        layouts = output::IssuedForms::loadDirectory(shareDir + "/templates/filled", *registry);
        const std::string campaignPath =
            args.get("campaign", shareDir + "/data/campaigns/liderzy-kooperacji-2018.json");
        std::error_code ec;
        if (fs::exists(campaignPath, ec)) subtitle = validation::Campaign::load(campaignPath).name;
    } catch (const std::exception& e) {
        std::cerr << "formproc form: " << e.what() << "\n";
        return kExitUsage;
    }
    const forms::Form* form = registry->byId(args.positional[1]);
    if (!form) {
        std::cerr << "formproc form: unknown form '" << args.positional[1] << "'\n";
        return kExitUsage;
    }
    try {
        output::writeFileAtomically(args.get("out"),
                                    output::renderFormPdf(*form, nullptr, subtitle, layouts->find(form->id)),
                                    output::FileMode::Public);
    } catch (const std::exception& e) {
        std::cerr << "formproc form: cannot write " << args.get("out") << ": " << e.what() << "\n";
        return kExitFailed;
    }
    return kExitOk;
}

// Prints the raw reading of one file: what the extraction works from.
int runInspect(const Arguments& args) {
    if (args.positional.size() != 1) {
        std::cerr << "usage: formproc inspect FILE [--plugin ID]\n";
        return kExitUsage;
    }
    const std::string path = args.positional[0];
    const std::string pluginDir = args.get("plugins", plugin::defaultPluginDir());
    plugin::PluginRegistry plugins;
    plugins.loadDirectory(pluginDir);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "formproc inspect: cannot read " << path << "\n";
        return kExitFailed;
    }
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    const sdk::Probe probe{head, fs::path(path).filename().string(), "", ec ? 0 : size};
    const std::string only = args.get("plugin");
    for (sdk::Reader* reader : plugins.candidates(probe)) {
        if (!only.empty() && reader->describe().id != only) continue;
        pipeline::WorkerClient client({plugin::executablePath(), "worker", "--plugins", pluginDir},
                                      pipeline::WorkerLimits{});
        RawDocument raw = client.read({reader->describe().id, path, 50, true, {}, {}});
        std::cout << "# " << reader->describe().id << ": " << sdk::toString(raw.status)
                  << (raw.failure.empty() ? "" : " (" + raw.failure + ")") << "\n";
        for (const auto& [k, v] : raw.metadata) std::cout << "meta " << k << " = " << v << "\n";
        for (const auto& report : raw.pageReports)
            std::cout << "page " << report.number << " content " << static_cast<int>(report.content) << "\n";
        for (const auto& f : raw.fields) std::cout << "field p" << f.page << " " << f.name << " = " << f.value << "\n";
        for (const auto& w : raw.words) {
            char box[96];
            std::snprintf(box, sizeof box, "word p%d %8.1f %8.1f %8.1f %8.1f %.2f ", w.page, w.box.x0, w.box.y0,
                          w.box.x1, w.box.y1, w.confidence);
            std::cout << box << w.text << "\n";
        }
        if (raw.status != sdk::Status::NotMyFormat) break;
    }
    return kExitOk;
}

}  // namespace formproc::app
