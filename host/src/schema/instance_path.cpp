#include "schema/instance_path.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mcpd::schema::detail {
namespace {

bool is_plain_key(std::string_view key) {
  if (key.empty()) return false;
  for (const char c : key) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '$' || c == '@';
    if (!word) return false;
  }
  return true;
}

}  // namespace

std::string InstancePath::render() const {
  std::string out;
  append_to(out);
  return out;
}

void InstancePath::append_to(std::string& out) const {
  if (parent_ == nullptr) return;
  // Paths are as deep as the instance, which validation has already limited to kMaxInstanceDepth.
  parent_->append_to(out);
  if (is_index_) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  } else if (is_plain_key(key_)) {
    if (!out.empty()) out += '.';
    out += key_;
  } else {
    out += '[';
    out += boost::json::serialize(boost::json::value(boost::json::string_view(key_.data(), key_.size())));
    out += ']';
  }
}

}  // namespace mcpd::schema::detail
