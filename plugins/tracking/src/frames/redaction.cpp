#include "redaction.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mcpd::tracking::frames {
namespace {

std::optional<double> number(const boost::json::object& rect, std::string_view key) {
  const auto* value = rect.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  if (value->is_uint64()) return static_cast<double>(value->get_uint64());
  if (value->is_double() && std::isfinite(value->get_double())) return value->get_double();
  return std::nullopt;
}

// The rule's problem, or empty when `box` was filled.
std::string parse_rule(const boost::json::value& rule, redaction_box& box) {
  if (!rule.is_object())
    return "must be an object like {\"type\":\"box\",\"rect\":{\"x\":0,\"y\":0,\"w\":100,\"h\":40}}";
  const auto& object = rule.get_object();
  for (const auto& [key, value] : object) {
    if (key != "type" && key != "unit" && key != "rect")
      return "has an unknown key \"" + std::string(key) + "\"";
  }
  const auto* type = object.if_contains("type");
  if (type == nullptr || !type->is_string() || type->get_string() != "box") {
    return "must have \"type\": \"box\" (the only kind of rule)";
  }
  if (const auto* unit = object.if_contains("unit"); unit != nullptr) {
    if (unit->is_string() && unit->get_string() == "px") {
      box.in = redaction_box::unit::source_pixels;
    } else if (unit->is_string() && unit->get_string() == "percent") {
      box.in = redaction_box::unit::percent;
    } else {
      return "has \"unit\" that is neither \"px\" nor \"percent\"";
    }
  }
  const auto* rect = object.if_contains("rect");
  if (rect == nullptr || !rect->is_object()) return "must have \"rect\": {\"x\", \"y\", \"w\", \"h\"}";
  const auto x = number(rect->get_object(), "x");
  const auto y = number(rect->get_object(), "y");
  const auto w = number(rect->get_object(), "w");
  const auto h = number(rect->get_object(), "h");
  if (!x || !y || !w || !h) return "needs numbers rect.x, rect.y, rect.w and rect.h";
  if (*x < 0 || *y < 0) return "has a negative rect.x or rect.y";
  if (*w <= 0 || *h <= 0) return "has rect.w or rect.h not greater than 0";
  if (box.in == redaction_box::unit::percent && (*x >= 100 || *y >= 100 || *w > 100 || *h > 100)) {
    return "is in percent, so rect.x and rect.y must be below 100 and rect.w and rect.h at most 100";
  }
  box.x = *x;
  box.y = *y;
  box.w = *w;
  box.h = *h;
  return {};
}

}  // namespace

std::vector<redaction_box> parse_redaction_rules(const boost::json::value& rules, std::string_view where,
                                                 std::vector<std::string>& problems) {
  std::vector<redaction_box> boxes;
  if (rules.is_null()) return boxes;
  if (!rules.is_array()) {
    problems.push_back(std::string(where) + " must be an array of redaction rules");
    return boxes;
  }
  const auto& array = rules.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    redaction_box box;
    if (std::string problem = parse_rule(array[i], box); !problem.empty()) {
      problems.push_back(std::string(where) + "[" + std::to_string(i) + "] " + problem);
      continue;
    }
    boxes.push_back(box);
  }
  return boxes;
}

bool paint_redactions(rgb_image& image, std::span<const redaction_box> boxes, int source_width,
                      int source_height, double pad_source_pixels) {
  bool painted = false;
  const double scale_x = source_width > 0 ? static_cast<double>(image.width) / source_width : 1.0;
  const double scale_y = source_height > 0 ? static_cast<double>(image.height) / source_height : 1.0;
  for (const auto& box : boxes) {
    // The box's edges in source pixels, widened by the padding.
    double x = box.x, y = box.y, w = box.w, h = box.h;
    if (box.in == redaction_box::unit::percent) {
      x *= source_width / 100.0;
      w *= source_width / 100.0;
      y *= source_height / 100.0;
      h *= source_height / 100.0;
    }
    x -= pad_source_pixels;
    y -= pad_source_pixels;
    w += 2 * pad_source_pixels;
    h += 2 * pad_source_pixels;
    const auto clamp_x = [&](double v) { return static_cast<int>(std::clamp(v, 0.0, double(image.width))); };
    const auto clamp_y = [&](double v) { return static_cast<int>(std::clamp(v, 0.0, double(image.height))); };
    const int left = clamp_x(std::floor(x * scale_x));
    const int right = clamp_x(std::ceil((x + w) * scale_x));
    const int top = clamp_y(std::floor(y * scale_y));
    const int bottom = clamp_y(std::ceil((y + h) * scale_y));
    if (left >= right || top >= bottom) continue;
    for (int row = top; row < bottom; ++row) {
      std::memset(image.pixel(left, row), 0, static_cast<std::size_t>(right - left) * 3);
    }
    painted = true;
  }
  return painted;
}

}  // namespace mcpd::tracking::frames
