#pragma once
// RFC 6570 level-1 URI templates ("test://template/{id}/data"), enough to route
// resources/read to the plugin that registered a resource template.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::registry {

class UriTemplate {
 public:
  // nullopt with `error` set when the template is malformed.
  static std::optional<UriTemplate> parse(std::string_view text, std::string* error);

  // The variables when `uri` matches, e.g. {"id":"42"}. A variable matches one
  // or more characters other than '/'.
  std::optional<boost::json::object> match(std::string_view uri) const;
  const std::string& text() const { return text_; }
  std::vector<std::string> variable_names() const;

 private:
  struct Part {
    bool is_variable;
    std::string text;  // literal text or variable name
  };
  std::string text_;
  std::vector<Part> parts_;
};

}  // namespace mcpd::registry
