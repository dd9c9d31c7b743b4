// JSON Schema of plugin_config.tracking. The host validates the section against it before init, reports
// unknown keys and hides "writeOnly" values (the API keys) from `mcpd plugin inspect` and logs.
//
// Environment overrides (applied by the host): POSTHOG_API_HOST, POSTHOG_PROJECT_KEY and
// POSTHOG_PERSONAL_API_KEY fill instances.default.{api_host,project_api_key,personal_api_key};
// TRACKING_REDACT_RULES_JSON (a JSON array) fills redact_rules; TRACKING_LOCAL_VIDEO_DIRS (colon-separated)
// fills local_video_dirs.
//
// Plain JSON Schema keywords only (no $ref), so every validator and client reads it the same way.
#pragma once

#include <string_view>

#include "frames/redaction_schema.hpp"
#include "util/joined_text.hpp"

namespace mcpd::tracking {

namespace config_schema_parts {
// The schema around the two redact_rules item schemas.
inline constexpr std::string_view before_instance_rules = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "tracking plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "instances": {
      "type": "object",
      "description": "PostHog instances by name. Tools use \"default\" unless called with \"instance\". Instance names: letters, digits, _ and -.",
      "additionalProperties": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "api_host": {
            "type": "string", "format": "uri",
            "description": "Base URL of PostHog's private API and app: https://us.posthog.com, https://eu.posthog.com or your self-hosted URL. Env for default: POSTHOG_API_HOST."
          },
          "ingest_host": {
            "type": "string", "format": "uri",
            "description": "Base URL for events and /flags. Default: https://us.i.posthog.com or https://eu.i.posthog.com for PostHog Cloud, otherwise api_host."
          },
          "project_api_key": {
            "type": "string", "writeOnly": true,
            "description": "Project API key (phc_...), for capture, identify, pageview, capture_batch and feature_flag_eval. Env for default: POSTHOG_PROJECT_KEY."
          },
          "personal_api_key": {
            "type": "string", "writeOnly": true,
            "description": "Personal API key (phx_...) for the private API, with the scopes project:read (unless project_id is set), query:read, session_recording:read, export:read, export:write, feature_flag:read. Env for default: POSTHOG_PERSONAL_API_KEY."
          },
          "project_id": {
            "type": "integer", "minimum": 1,
            "description": "Numeric project id. Default: resolved once from @current (the personal key's last visited project)."
          },
          "redact_rules": {
            "type": "array",
            "description": "Boxes painted solid on every frame of this instance's recordings, in addition to the top-level redact_rules.",
            "items": )json";
inline constexpr std::string_view before_top_level_rules = R"json(
          },
          "timeout_ms": {
            "type": "integer", "minimum": 100, "maximum": 600000, "default": 15000,
            "description": "Timeout of one HTTP request to this instance."
          },
          "rate_limit_per_minute": {
            "type": "integer", "minimum": 1, "maximum": 10000, "default": 240,
            "description": "Client-side cap on private-API requests per minute to this instance, to stay under PostHog's per-team limits."
          }
        }
      }
    },
    "redact_rules": {
      "type": "array",
      "description": "Boxes painted solid on every frame before it is encoded, for every instance and local file. Env: TRACKING_REDACT_RULES_JSON (a JSON array).",
      "items": )json";
inline constexpr std::string_view rest = R"json(
    },
    "local_video_dirs": {
      "type": "array",
      "description": "Directories whose videos recording_frames and ask_question_about_recording may read through source.file. Empty (the default) disables local files. Env: TRACKING_LOCAL_VIDEO_DIRS (colon-separated).",
      "items": {"type": "string", "minLength": 1}
    },
    "max_frames_cap": {
      "type": "integer", "minimum": 1, "maximum": 10000, "default": 300,
      "description": "Hard cap on frames one recording_frames call may return, whatever max_frames asks."
    },
    "max_response_bytes": {
      "type": "integer", "minimum": 65536, "default": 8388608,
      "description": "Cap on one recording_frames answer as the client receives it (JSON with base64 images); later frames that would not fit are left out with a note saying how to get them. The default stays under the 10 MiB line limit of common stdio clients."
    },
    "max_frame_pixels": {
      "type": "integer", "minimum": 65536, "maximum": 268435456, "default": 16777216,
      "description": "Largest video frame (width x height) the recording tools decode; larger videos are refused with an error. Bounds the decoder's memory."
    },
    "video_cache": {
      "type": "object",
      "additionalProperties": false,
      "description": "Disk cache of rendered recording videos, so repeated calls do not render again.",
      "properties": {
        "dir": {
          "type": "string", "minLength": 1,
          "description": "Cache directory (created private, mode 0700). Default: $XDG_CACHE_HOME/mcpd/videos, else ~/.cache/mcpd/videos."
        },
        "max_bytes": {
          "type": "integer", "minimum": 0, "default": 2147483648,
          "description": "Size cap; least recently used videos are evicted beyond it. 0 disables the cache."
        }
      }
    },
    "exports": {
      "type": "object",
      "additionalProperties": false,
      "description": "Waiting for PostHog to render a recording to video.",
      "properties": {
        "timeout_ms": {
          "type": "integer", "minimum": 1000, "maximum": 7200000, "default": 900000,
          "description": "Give up waiting for a render after this long."
        },
        "poll_interval_ms": {
          "type": "integer", "minimum": 100, "maximum": 60000, "default": 2000,
          "description": "First polling interval; it grows with backoff."
        },
        "max_video_bytes": {
          "type": "integer", "minimum": 1048576, "default": 2147483648,
          "description": "Largest rendered video to download (it is streamed to disk, never held in memory); a larger one is refused with a clear error."
        }
      }
    },
    "feature_flags": {
      "type": "object",
      "additionalProperties": false,
      "description": "Local feature flag evaluation.",
      "properties": {
        "definitions_refresh_ms": {
          "type": "integer", "minimum": 1000, "maximum": 3600000, "default": 30000,
          "description": "How often flag definitions are refreshed (with ETag, so an unchanged set costs a 304). Each refresh is one request with the personal API key, which PostHog allows 600 times a minute."
        }
      }
    },
    "query": {
      "type": "object",
      "additionalProperties": false,
      "description": "Bounds of the query tool (read-only HogQL).",
      "properties": {
        "timeout_ms": {
          "type": "integer", "minimum": 1000, "maximum": 600000, "default": 30000,
          "description": "Time limit of one query call, retries included; also the largest timeout_ms a call may pass. PostHog itself stops an API query after about 10 s of execution."
        },
        "max_rows": {
          "type": "integer", "minimum": 1, "maximum": 10000, "default": 1000,
          "description": "Largest number of rows one query call may return (its limit argument); the default limit is 100, or this when lower."
        }
      }
    },
    "capture": {
      "type": "object",
      "additionalProperties": false,
      "description": "Size limits of event ingestion (capture, identify, pageview, capture_batch).",
      "properties": {
        "max_request_bytes": {
          "type": "integer", "minimum": 1024, "maximum": 20000000, "default": 5242880,
          "description": "Largest /batch/ request body; capture_batch splits events into requests under it (PostHog's own SDKs use 5 MiB; the server accepts up to 20 MB). Lower it when a proxy in front of a self-hosted PostHog limits bodies."
        },
        "max_event_bytes": {
          "type": "integer", "minimum": 256, "maximum": 20000000, "default": 921600,
          "description": "Largest single event (serialized JSON); bigger events are refused before sending, as PostHog's SDKs do (900 KiB)."
        }
      }
    },
    "retry": {
      "type": "object",
      "additionalProperties": false,
      "description": "Retries of network errors, 408, 429 and 5xx (never of other 4xx).",
      "properties": {
        "max_attempts": {
          "type": "integer", "minimum": 1, "maximum": 10, "default": 4,
          "description": "Attempts per request, the first included; 1 disables retries."
        },
        "initial_backoff_ms": {
          "type": "integer", "minimum": 0, "maximum": 60000, "default": 1000,
          "description": "Delay before the first retry; doubles each time, with jitter."
        },
        "max_backoff_ms": {
          "type": "integer", "minimum": 0, "maximum": 300000, "default": 30000,
          "description": "Longest delay between attempts, Retry-After included."
        }
      }
    }
  }
})json";
}  // namespace config_schema_parts

inline constexpr std::string_view config_schema_json =
    joined_text<config_schema_parts::before_instance_rules, frames::redaction_rule_schema,
                config_schema_parts::before_top_level_rules, frames::redaction_rule_schema,
                config_schema_parts::rest>::value;

}  // namespace mcpd::tracking
