// The JSON Schema compiler and validator with a hostile schema and a hostile instance: input is
// "<schema JSON>\0<instance JSON>". Compile errors are expected; crashes, hangs and unbounded memory are not.
#include <boost/json.hpp>

#include "fuzz_input.hpp"
#include "schema/validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = mcpd_fuzz::split_input(data, size, 2);
  boost::system::error_code ec;
  const auto schema = boost::json::parse(parts[0], ec);
  if (ec) return 0;
  try {
    const auto compiled = mcpd::schema::CompiledSchema::compile(schema);
    (void)mcpd::schema::check_tool_input_schema(schema);
    if (parts.size() < 2) return 0;
    const auto instance = boost::json::parse(parts[1], ec);
    if (ec) return 0;
    (void)compiled.validate(instance);
    (void)compiled.validate_all(instance, 5);
  } catch (const mcpd::schema::SchemaError&) {
  }
  return 0;
}
