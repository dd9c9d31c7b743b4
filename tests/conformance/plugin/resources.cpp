// Static resources (text, binary, one clients subscribe to) and the template
// test://template/{id}/data, whose content repeats the id it was read with.
#include <algorithm>
#include <array>
#include <string>

#include "fixtures.hpp"

namespace conformance {

namespace {

// Ids the template's completion suggests; any id can be read.
constexpr std::array<std::string_view, 4> known_ids = {"1", "42", "123", "999"};

sdk::completion_result complete_id(sdk::call_context&, const json::object& request) {
  const json::object& argument = request.at("argument").as_object();
  sdk::completion_result result;
  if (argument.at("name").as_string() != "id") {
    return result;
  }
  const std::string_view prefix = argument.at("value").as_string();
  for (const std::string_view id : known_ids) {
    if (id.starts_with(prefix)) {
      result.values.emplace_back(id);
    }
  }
  return result;
}

}  // namespace

void register_resources(sdk::registry& registry) {
  registry.resource({.uri = "test://static-text",
                     .name = "static-text",
                     .title = "Static Text Resource",
                     .description = "A fixed text resource",
                     .mime_type = "text/plain"},
                    [](sdk::call_context&, std::string_view uri, const json::object&) {
                      return sdk::resource_result{}.text(uri, "text/plain",
                                                         "This is the content of the static text resource.");
                    });

  registry.resource({.uri = "test://static-binary",
                     .name = "static-binary",
                     .title = "Static Binary Resource",
                     .description = "A fixed binary resource (a 2x2 PNG image)",
                     .mime_type = "image/png",
                     .size = tiny_png().size()},
                    [](sdk::call_context&, std::string_view uri, const json::object&) {
                      return sdk::resource_result{}.blob(uri, "image/png", tiny_png());
                    });

  registry.resource({.uri = "test://watched-resource",
                     .name = "watched-resource",
                     .title = "Watched Resource",
                     .description = "A resource clients subscribe to (resources/subscribe)",
                     .mime_type = "text/plain"},
                    [](sdk::call_context&, std::string_view uri, const json::object&) {
                      return sdk::resource_result{}.text(uri, "text/plain", "Watched resource content");
                    });

  registry.resource_template(
      {.uri_template = "test://template/{id}/data",
       .name = "template",
       .title = "Resource Template",
       .description = "JSON data for any id, e.g. test://template/123/data",
       .mime_type = "application/json"},
      [](sdk::call_context&, std::string_view uri, const json::object& variables) {
        const std::string id(variables.at("id").as_string());
        const json::object data{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
        return sdk::resource_result{}.text(uri, "application/json", json::serialize(data));
      },
      complete_id);
}

}  // namespace conformance
