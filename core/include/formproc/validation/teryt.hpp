// The TERC register (GUS TERYT): voivodeships, powiaty and gminy with their
// codes, loaded from the official CSV (WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA,
// UTF-8 with or without BOM, CRLF or LF).
//
// Name look-ups are tolerant of letter case, missing Polish diacritics,
// surrounding white space and the prefixes "powiat", "gmina", "gm.",
// "województwo", "woj.", "m.", "miasto" (also "pow.", "m.st." and the kind
// after "gmina": "Gmina Miejska Puławy"). A loaded register is immutable and
// safe to share between threads. Look-ups return units in register (code)
// order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::validation {

struct TerytUnit {
    std::string code;      // 2 (voivodeship), 4 (powiat) or 7 (gmina, WWPPGGR) digits
    std::string name;      // as in TERC: voivodeship in lower case, powiat lower case, gmina as written
    std::string kindName;  // NAZWA_DOD, e.g. "gmina wiejska", "powiat", "miasto na prawach powiatu"
    int kind = 0;          // gmina: RODZ digit (1..9); 0 for voivodeship and powiat
};

class TerytRegister {
public:
    // Loads the CSV; throws std::runtime_error naming the file and line when
    // it cannot be read or a row is malformed.
    static std::shared_ptr<const TerytRegister> loadCsv(const std::string& path);

    const TerytUnit* byCode(std::string_view code) const;  // nullptr when unknown

    // The voivodeship with this name ("lubelskie", "LUBELSKIE", "woj. lubelskie").
    const TerytUnit* voivodeshipByName(std::string_view name) const;

    // Powiaty with this name ("lubelski", "powiat lubelski", "Lubelski"),
    // optionally restricted to a voivodeship code (2 digits). A city with
    // powiat rights matches by its name too ("Lublin").
    std::vector<const TerytUnit*> powiatyByName(std::string_view name, std::string_view voivodeshipCode = {}) const;

    // Gmina units (RODZ 1, 2, 3, 8, 9; 4 and 5 only when `includeParts`) with this name,
    // optionally restricted to a 4-digit powiat code or 2-digit voivodeship
    // code prefix. "Tomaszów Lubelski" in powiat 0618 yields both 0618011
    // (urban) and 0618112 (rural): the caller decides by context.
    std::vector<const TerytUnit*> gminyByName(std::string_view name, std::string_view codePrefix = {},
                                              bool includeParts = false) const;

    // All gmina units (RODZ 1,2,3) of a powiat.
    std::vector<const TerytUnit*> gminyOfPowiat(std::string_view powiatCode) const;

    std::size_t size() const { return _units.size(); }

    // Every unit, in register (code) order.
    const std::vector<TerytUnit>& units() const { return _units; }

    // Folding used for name comparison: lower case, Polish letters to ASCII,
    // white space collapsed, the prefixes above removed.
    static std::string foldName(std::string_view name);

private:
    std::vector<TerytUnit> _units;
    struct Index;
    std::shared_ptr<Index> _index;
    friend struct TerytBuilder;
};

}  // namespace formproc::validation
