// How every part of compilation reports a broken schema: the location, then what is wrong.
#pragma once

#include "schema/validator.hpp"

#include <cstddef>
#include <string>

namespace mcpd::schema::detail {

/// Deeper schema nesting (counting $ref hops while compiling) is refused; real schemas stay far below.
inline constexpr std::size_t kMaxSchemaDepth = 200;

[[noreturn]] inline void fail_at(const std::string& location, const std::string& message) {
  throw SchemaError("invalid schema at " + location + ": " + message);
}

}  // namespace mcpd::schema::detail
