// The check kinds of form definitions (<check kind="..."> in forms/*.xml):
// the validator holds one implementation per kind, registered by name
// (core/src/validation/check_registry.cpp). The form loader's list of the
// kinds it accepts (forms::checkKinds()) and this registry must agree;
// tests/validation/check_registry_test.cpp proves it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace formproc::validation {

// The kinds that have a registered implementation, sorted. Thread-safe.
std::vector<std::string> registeredCheckKinds();

// True when `kind` has a registered implementation. Thread-safe.
bool hasCheckKind(std::string_view kind);

}  // namespace formproc::validation
