// Who an answer goes to: one addressee for the letter and the ePUAP
// document alike. A powiat or gmina card answers to the unit that filed it
// (name and address from the card, the powiat or gmina from TERYT, the
// campaign's address book where the card leaves a gap); a diagnosis card
// to the social-assistance centre of its diagnostic team, whose address
// only the campaign's address book knows; a file that is no card to
// whoever sent it.
#pragma once

#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/output/answer_settings.hpp"
#include "formproc/output/epuap.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::output {

struct Addressee {
    // As ePUAP shows it: the powiat or gmina (TERYT's name) with the
    // filing unit inside it, or the centre itself; identifiers only when
    // valid (a NIP or REGON the card gives with a wrong check digit is
    // left out), the phone as people write it.
    EpuapParty party;
    // The address block of a letter: the name, then street, „NN-NNN Town”,
    // „e-mail: …”; lines the sources do not give are left out.
    std::vector<std::string> lines;
    bool complete = false;  // a street, a valid postal code and a town are known
    // Why the address is not complete, for office staff (English), else empty.
    std::string gap;
};

// The addressee of `result`'s answers. `form` is the result's form (nullptr
// for a file that is no card), `teryt` may be nullptr (names as the card
// writes them then), `fileName` names the file of a rejected submission.
// Never throws but std::bad_alloc. Thread-safe.
Addressee addresseeOf(const Result& result, const forms::Form* form, const validation::TerytRegister* teryt,
                      const AnswerSettings& settings, const std::string& fileName);

// The institution of a diagnostic team that is a social-assistance centre
// (GOPS, MOPS, MGOPS, „… Ośrodek Pomocy Społecznej …”) as written on the
// card; empty when the team names none.
std::string opsOfTeam(const Result& result);

}  // namespace formproc::output
