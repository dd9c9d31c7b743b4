// JSON Schema of one redaction rule. The configuration (redact_rules, top-level and per instance) and the
// recording tools' "redact" argument all take this shape, and parse_redaction_rules (redaction.hpp) reads
// it; the schemas splice in this one text with joined_text.
#pragma once

#include <string_view>

namespace mcpd::tracking::frames {

inline constexpr std::string_view redaction_rule_schema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["type", "rect"],
  "properties": {
    "type": {"type": "string", "enum": ["box"], "description": "Rule kind: a solid box."},
    "unit": {
      "type": "string", "enum": ["px", "percent"], "default": "px",
      "description": "px: rect in pixels of the source video (scaled with the frame). percent: rect in percent of the frame's width and height."
    },
    "rect": {
      "type": "object",
      "additionalProperties": false,
      "required": ["x", "y", "w", "h"],
      "description": "The box: left, top, width, height.",
      "properties": {
        "x": {"type": "number", "minimum": 0, "description": "Left edge."},
        "y": {"type": "number", "minimum": 0, "description": "Top edge."},
        "w": {"type": "number", "exclusiveMinimum": 0, "description": "Width."},
        "h": {"type": "number", "exclusiveMinimum": 0, "description": "Height."}
      }
    }
  }
})json";

}  // namespace mcpd::tracking::frames
