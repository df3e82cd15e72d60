#include "engine.hpp"

#include <dlfcn.h>
#include <tesseract/baseapi.h>
#include <tesseract/ltrresultiterator.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <tuple>

namespace formproc::ocr {

namespace {

// Where Debian, Fedora, Alpine and source builds put the models.
const char* const kTessdataDirs[] = {
    "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata",
    "/usr/local/share/tessdata",           "/opt/homebrew/share/tessdata",
};

bool hasModel(const std::string& dir, const std::string& language) {
    std::error_code ec;
    return std::filesystem::is_regular_file(std::filesystem::path(dir) / (language + ".traineddata"), ec);
}

// Tesseract's LSTM runs its gates with `omp parallel num_threads(10)`: on a
// worker that already runs one document per core this only adds thread
// switching (measured: more CPU for no wall-clock gain). OMP_THREAD_LIMIT is
// read by libgomp when it is loaded, which is before this plugin's code
// runs, so the environment is set for child processes only and the running
// library is told to keep every parallel region on one thread. Looked up at
// run time: a Tesseract built without OpenMP has no such symbol.
void limitOpenMp() {
    ::setenv("OMP_THREAD_LIMIT", "1", 0);
    using SetLevels = void (*)(int);
    if (void* symbol = ::dlsym(RTLD_DEFAULT, "omp_set_max_active_levels")) reinterpret_cast<SetLevels>(symbol)(0);
}

std::unique_ptr<tesseract::TessBaseAPI> makeApi(const std::string& path, const char* language,
                                                tesseract::OcrEngineMode mode) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    // Tesseract prints warnings (resolution, empty pages) through its debug
    // file; the host's log has no use for them.
    api->SetVariable("debug_file", "/dev/null");
    if (api->Init(path.c_str(), language, mode) != 0) return nullptr;
    return api;
}

}  // namespace

Engine::Engine() { limitOpenMp(); }

Engine::~Engine() {
    if (_api) _api->End();
    if (_osd) _osd->End();
    if (_email) _email->End();
}

std::string Engine::version() { return std::string("tesseract ") + tesseract::TessBaseAPI::Version(); }

bool Engine::ready(std::string& error) {
    if (_api) return true;
    if (_tried) {
        error = "no Tesseract model could be loaded";
        return false;
    }
    _tried = true;
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("TESSDATA_PREFIX"); env != nullptr && *env != '\0') dirs.emplace_back(env);
    for (const char* dir : kTessdataDirs) dirs.emplace_back(dir);
    for (const char* language : {"pol", "eng"}) {
        for (const auto& dir : dirs) {
            if (!hasModel(dir, language)) continue;
            _api = makeApi(dir, language, tesseract::OEM_LSTM_ONLY);
            if (!_api) continue;
            _dataPath = dir;
            _language = language;
            // Automatic layout: the cards are tables of label and value
            // cells, which sparse-text mode splits into single words with
            // worse confidence (compared on the sample scans).
            _api->SetPageSegMode(tesseract::PSM_AUTO);
            return true;
        }
    }
    error = "no Tesseract model (pol or eng .traineddata) found; install tesseract-ocr-pol";
    return false;
}

std::vector<OcrWord> Engine::recognise(Pix& image, int dpi) {
    std::vector<OcrWord> words;
    if (!_api) return words;
    _api->SetImage(&image);
    _api->SetSourceResolution(dpi);
    if (_api->Recognize(nullptr) != 0) {
        _api->Clear();
        return words;
    }
    std::unique_ptr<tesseract::ResultIterator> it(_api->GetIterator());
    int line = 0;
    if (it) {
        bool first = true;
        do {
            if (it->Empty(tesseract::RIL_WORD)) continue;
            if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) && !first) ++line;
            first = false;
            std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
            OcrWord w;
            if (!text || !it->BoundingBox(tesseract::RIL_WORD, &w.left, &w.top, &w.right, &w.bottom)) continue;
            w.text = text.get();
            w.confidence = std::clamp(static_cast<double>(it->Confidence(tesseract::RIL_WORD)) / 100.0, 0.0, 1.0);
            w.line = line;
            words.push_back(std::move(w));
        } while (it->Next(tesseract::RIL_WORD));
    }
    // Frees the page's results; the model stays loaded.
    _api->Clear();
    return words;
}

namespace {

// The region of `image`, clamped to it, copied out and scaled; nullptr when
// it is too small or Leptonica fails. Tesseract then works on the region
// alone rather than on a copy of the whole page.
Pix* clipRegion(Pix& image, int left, int top, int right, int bottom, float scale) {
    const int w = pixGetWidth(&image), h = pixGetHeight(&image);
    left = std::clamp(left, 0, w);
    right = std::clamp(right, 0, w);
    top = std::clamp(top, 0, h);
    bottom = std::clamp(bottom, 0, h);
    if (right - left < 4 || bottom - top < 4) return nullptr;
    Box* box = boxCreate(left, top, right - left, bottom - top);
    if (box == nullptr) return nullptr;
    Pix* clip = pixClipRectangle(&image, box, nullptr);
    boxDestroy(&box);
    if (clip == nullptr || scale == 1.0f) return clip;
    Pix* scaled = pixScale(clip, scale, scale);
    pixDestroy(&clip);
    return scaled;
}

}  // namespace

namespace {
// The confidence (0-100) an other candidate of a character needs to count.
constexpr float kMinChoiceConfidence = 25.0f;

// A one written as a bare stroke is, to the recogniser, the letter I or l
// as much as the digit. With digits only allowed it does not read such a
// stroke as "1" but drops it: the hand-written "II928I23I" came out as
// "19281231" or "9281231" in two of three common italic faces. So I and l
// are allowed too, and read as 1.
char asDigit(char c) { return c == 'I' || c == 'l' ? '1' : c; }
}  // namespace

std::vector<std::string> Engine::readDigits(Pix& image, int dpi, int left, int top, int right, int bottom, bool phone) {
    std::vector<std::string> readings;
    if (!_api) return readings;
    Pix* clip = clipRegion(image, left, top, right, bottom, 1.0f);
    if (clip == nullptr) return readings;
    const char* allowed = phone ? "0123456789-/.()+Il" : "0123456789-/.Il";
    _api->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    _api->SetVariable("tessedit_char_whitelist", allowed);
    // The beam search keeps the other candidates of each character of its
    // best path: the choice iterator's alternatives.
    _api->SetVariable("lstm_choice_mode", "2");
    _api->SetImage(clip);
    _api->SetSourceResolution(dpi);
    // A character read, and the others it might be with their confidences.
    struct Symbol {
        std::string text;
        bool wordStart = false;
        std::vector<std::pair<float, std::string>> others;
    };
    std::vector<Symbol> symbols;
    if (_api->Recognize(nullptr) == 0) {
        std::unique_ptr<tesseract::ResultIterator> it(_api->GetIterator());
        if (it) {
            do {
                if (it->Empty(tesseract::RIL_SYMBOL)) continue;
                std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_SYMBOL));
                if (!text || *text.get() == '\0') continue;
                Symbol symbol;
                symbol.text = text.get();
                if (symbol.text.size() == 1) symbol.text[0] = asDigit(symbol.text[0]);
                symbol.wordStart = it->IsAtBeginningOf(tesseract::RIL_WORD);
                tesseract::ChoiceIterator choice(*it);
                do {
                    const char* other = choice.GetUTF8Text();
                    // Most candidates are there with a confidence near
                    // nothing; only a real doubt is worth a reading (a
                    // checksum would otherwise pick a number nobody wrote).
                    if (other == nullptr || std::strlen(other) != 1 || std::strchr(allowed, *other) == nullptr ||
                        choice.Confidence() < kMinChoiceConfidence)
                        continue;
                    const std::string digit(1, asDigit(*other));
                    if (digit == symbol.text) continue;
                    symbol.others.emplace_back(choice.Confidence(), digit);
                } while (choice.Next());
                symbols.push_back(std::move(symbol));
            } while (it->Next(tesseract::RIL_SYMBOL));
        }
    }
    _api->Clear();
    _api->SetVariable("lstm_choice_mode", "0");
    _api->SetVariable("tessedit_char_whitelist", "");
    _api->SetPageSegMode(tesseract::PSM_AUTO);
    pixDestroy(&clip);
    if (symbols.empty()) return readings;
    auto spell = [&](std::size_t changed, const std::string& other) {
        std::string out;
        for (std::size_t i = 0; i < symbols.size(); ++i) {
            if (symbols[i].wordStart && !out.empty()) out.push_back(' ');
            out += i == changed ? other : symbols[i].text;
        }
        return out;
    };
    readings.push_back(spell(symbols.size(), {}));
    // One character changed at a time, the likeliest other candidates first.
    constexpr std::size_t kMaxVariants = 8;
    std::vector<std::tuple<float, std::size_t, std::string>> changes;
    for (std::size_t i = 0; i < symbols.size(); ++i)
        for (const auto& [confidence, other] : symbols[i].others) changes.emplace_back(confidence, i, other);
    std::stable_sort(changes.begin(), changes.end(),
                     [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
    for (const auto& [confidence, at, other] : changes) {
        if (readings.size() > kMaxVariants) break;
        std::string variant = spell(at, other);
        if (std::find(readings.begin(), readings.end(), variant) == readings.end())
            readings.push_back(std::move(variant));
    }
    return readings;
}

namespace {

// One region read as one line by `api`, scaled by `scale`.
bool readOneLine(tesseract::TessBaseAPI& api, Pix& image, int dpi, int left, int top, int right, int bottom,
                 float scale, std::string& text, double& confidence) {
    text.clear();
    confidence = 0;
    Pix* scaled = clipRegion(image, left, top, right, bottom, scale);
    if (scaled == nullptr) return false;
    api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api.SetImage(scaled);
    api.SetSourceResolution(static_cast<int>(dpi * scale));
    if (api.Recognize(nullptr) == 0) {
        std::unique_ptr<char[]> out(api.GetUTF8Text());
        if (out) text = out.get();
        confidence = std::clamp(api.MeanTextConf() / 100.0, 0.0, 1.0);
    }
    api.Clear();
    api.SetPageSegMode(tesseract::PSM_AUTO);
    pixDestroy(&scaled);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return !text.empty();
}

}  // namespace

bool Engine::readLine(Pix& image, int dpi, int left, int top, int right, int bottom, float scale, std::string& text,
                      double& confidence) {
    text.clear();
    confidence = 0;
    if (!_api) return false;
    return readOneLine(*_api, image, dpi, left, top, right, bottom, scale, text, confidence);
}

bool Engine::readEmail(Pix& image, int dpi, int left, int top, int right, int bottom, float scale, std::string& text,
                       double& confidence) {
    text.clear();
    confidence = 0;
    if (!_emailTried) {
        _emailTried = true;
        // English alone: an address is ASCII, and with Polish loaded
        // too the "@" of some italic faces is read as "©" or ". )" with
        // the address cut apart (Liberation Sans Italic).
        if (!_dataPath.empty() && hasModel(_dataPath, "eng"))
            _email = makeApi(_dataPath, "eng", tesseract::OEM_LSTM_ONLY);
    }
    if (!_email) return false;
    return readOneLine(*_email, image, dpi, left, top, right, bottom, scale, text, confidence);
}

bool Engine::orientation(Pix& image, int dpi, int& quads, float& confidence) {
    quads = 0;
    confidence = 0;
    if (!_osdTried) {
        _osdTried = true;
        if (!_dataPath.empty() && hasModel(_dataPath, "osd"))
            _osd = makeApi(_dataPath, "osd", tesseract::OEM_TESSERACT_ONLY);
        if (_osd) _osd->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    }
    if (!_osd) return false;
    _osd->SetImage(&image);
    _osd->SetSourceResolution(dpi);
    int degrees = 0;
    const char* script = nullptr;
    float scriptConfidence = 0;
    const bool found = _osd->DetectOrientationScript(&degrees, &confidence, &script, &scriptConfidence);
    _osd->Clear();
    if (!found) return false;
    // Tesseract reports how far the text is turned clockwise (a page shown
    // with /Rotate 90 gives 90); turning it back is the rest of the circle.
    quads = (4 - ((degrees / 90) % 4 + 4) % 4) % 4;
    return true;
}

}  // namespace formproc::ocr
