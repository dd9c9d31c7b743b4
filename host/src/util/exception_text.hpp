#pragma once
// The message of the exception being handled, for catch (...) blocks at the ABI
// edge where a plugin's exception must become an error message, not a crash.
#include <exception>
#include <string>

namespace mcpd {
inline std::string current_exception_text() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception of unknown type";
  }
}
}  // namespace mcpd
