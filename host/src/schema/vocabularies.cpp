#include "schema/vocabularies.hpp"

#include "schema/compile_failure.hpp"
#include "schema/json_values.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace mcpd::schema::detail {
namespace json = boost::json;

Vocabularies vocabularies_declared_by(const json::value& metaschema, const std::string& location) {
  const json::value* declared =
      metaschema.is_object() ? metaschema.get_object().if_contains("$vocabulary") : nullptr;
  if (declared == nullptr || !declared->is_object()) return {};
  constexpr std::string_view kPrefix = "https://json-schema.org/draft/2020-12/vocab/";
  Vocabularies vocabularies{false, false, false, false};
  for (const auto& [key, required] : declared->get_object()) {
    const std::string_view uri = key;
    const std::string_view name = uri.starts_with(kPrefix) ? uri.substr(kPrefix.size()) : std::string_view{};
    if (name == "applicator") {
      vocabularies.applicator = true;
    } else if (name == "validation") {
      vocabularies.validation = true;
    } else if (name == "unevaluated") {
      vocabularies.unevaluated = true;
    } else if (name == "format-assertion") {
      vocabularies.format_assertion = true;
    } else if (name == "core" || name == "meta-data" || name == "format-annotation" || name == "content") {
      // Core is always on; the others only annotate.
    } else if (required.is_bool() && required.get_bool()) {
      fail_at(location, "its \"$schema\" requires the vocabulary " + short_json(json::value(key)) +
                            ", which mcpd does not know (an optional one, declared false, would be ignored)");
    }
  }
  return vocabularies;
}

}  // namespace mcpd::schema::detail
