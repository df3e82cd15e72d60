// One Tesseract engine (and its orientation detector), initialised once and
// reused for every page of every document a reader is given: loading the
// Polish model costs about 0.3 s, more than the layout of a page.
//
// Not thread-safe: the reader that owns it serialises its use.
#pragma once

#include <leptonica/allheaders.h>

#include <memory>
#include <string>
#include <vector>

namespace tesseract {
class TessBaseAPI;
}

namespace formproc::ocr {

// A recognised word in pixels of the image given to the engine.
struct OcrWord {
    std::string text;
    int left = 0, top = 0, right = 0, bottom = 0;
    double confidence = 0;                  // 0..1
    int line = 0;                           // words of one text line share it
    std::vector<std::string> alternatives;  // other readings, most likely first
    bool hinted = false;                    // read again as the value of a hinted label
};

class Engine {
public:
    Engine();
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Loads the model on first use. False, with `error` set, when no
    // tessdata directory holds a usable language.
    bool ready(std::string& error);

    // The language loaded ("pol", or "eng" where Polish is missing).
    const std::string& language() const { return _language; }
    static std::string version();

    // The words of a page image (1 or 8 bit).
    std::vector<OcrWord> recognise(Pix& image, int dpi);

    // One region of `image` (the image a recognise() call was given, or
    // another) read as one line of digits only (and "-", "/", ".", and with
    // `phone` "(", ")", "+"; a stroke the recogniser takes for I or l is a
    // 1): readings of an identifier, the best first, then
    // the ones Tesseract's choice iterator offers with one character changed
    // (its other candidates for the character it was least sure of first).
    // Empty when nothing is read.
    std::vector<std::string> readDigits(Pix& image, int dpi, int left, int top, int right, int bottom,
                                        bool phone = false);

    // One region read as one line by a second engine that knows English only
    // ("eng"; with Polish loaded too, the "@" of some italic faces was read as
    // "©", "Q" or ". )" and the address cut apart): the "@" and the Latin
    // letters of an e-mail address survive it better. False when nothing is
    // read or no such model is installed.
    bool readEmail(Pix& image, int dpi, int left, int top, int right, int bottom, float scale, std::string& text,
                   double& confidence);

    // One region of `image` read again as a single line, scaled by `scale`
    // (small hand-writing reads better larger). False when nothing is read.
    bool readLine(Pix& image, int dpi, int left, int top, int right, int bottom, float scale, std::string& text,
                  double& confidence);

    // The page's orientation as clockwise quarter turns needed to make its
    // text upright; false when undetectable (no osd model, too little text).
    bool orientation(Pix& image, int dpi, int& quads, float& confidence);

private:
    std::unique_ptr<tesseract::TessBaseAPI> _api;
    std::unique_ptr<tesseract::TessBaseAPI> _osd;
    std::unique_ptr<tesseract::TessBaseAPI> _email;  // "eng", loaded when first needed
    std::string _dataPath;
    std::string _language;
    bool _tried = false;
    bool _osdTried = false;
    bool _emailTried = false;
};

}  // namespace formproc::ocr
