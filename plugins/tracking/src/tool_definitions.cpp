#include "tool_definitions.hpp"

#include <stdexcept>
#include <string>

#include "frames/redaction_schema.hpp"
#include "tools/query_definition.hpp"
#include "util/joined_text.hpp"

namespace mcpd::tracking::tool_definitions {
namespace {

// Every tracking tool accepts `instance`; adding it here keeps the 11 definitions from drifting apart.
sdk::tool_spec with_instance_argument(sdk::tool_spec spec) {
  auto* properties = spec.input_schema.if_contains("properties");
  if (properties == nullptr || !properties->is_object()) {
    throw std::logic_error("tool definition of " + spec.name + " has no inputSchema.properties object");
  }
  properties->get_object()["instance"] = boost::json::object{
      {"type", "string"},
      {"minLength", 1},
      {"maxLength", 64},
      {"pattern", "^[A-Za-z0-9_-]+$"},
      {"description",
       "Which configured PostHog instance to use (a key of plugin_config.tracking.instances). "
       "Default: \"default\"."},
  };
  return spec;
}

sdk::tool_spec tracking_tool(std::string_view name, std::string_view description, std::string_view json) {
  return with_instance_argument(sdk::tool_spec_from_json(name, description, json));
}

// tracking.capture, identify and pageview each send one event: they share its timestamp and uuid arguments
// and answer alike.
sdk::tool_spec single_event_tool(std::string_view name, std::string_view event_description,
                                 std::string_view description, std::string_view json) {
  sdk::tool_spec spec = tracking_tool(name, description, json);
  auto& inputs = spec.input_schema.at("properties").as_object();
  inputs["timestamp"] = {
      {"type", "string"},
      {"format", "date-time"},
      {"description",
       "When it happened, ISO-8601 with a time zone, e.g. 2025-01-31T08:15:00Z. Default: now."}};
  inputs["uuid"] = {{"type", "string"},
                    {"format", "uuid"},
                    {"description",
                     "Event id. Pass your own (with a timestamp) to make repeating this call safe: PostHog "
                     "deduplicates an event sent again with the same uuid, event, distinct_id and timestamp. "
                     "Default: a new UUIDv7."}};
  spec.output_schema = boost::json::object{
      {"type", "object"},
      {"additionalProperties", false},
      {"required", boost::json::array{"accepted", "uuid", "event"}},
      {"properties",
       boost::json::object{
           {"accepted",
            {{"type", "integer"},
             {"minimum", 0},
             {"maximum", 1},
             {"description", "Number of events PostHog accepted for processing (HTTP 200)."}}},
           {"uuid",
            {{"type", "string"},
             {"format", "uuid"},
             {"description", "The event's uuid: yours, or the UUIDv7 generated for it."}}},
           {"event", {{"type", "string"}, {"description", event_description}}},
           {"quota_limited",
            {{"type", "array"},
             {"items", {{"type", "string"}}},
             {"description",
              "Present when PostHog reports the project over a billing quota (e.g. [\"events\"]); such "
              "events may be dropped."}}},
       }},
  };
  return spec;
}

// The arguments both recording tools take (recording_frames and ask_question_about_recording read them with
// the same code, recording_video.cpp) and the "source" object both answer with: one text for both, so the
// two tools cannot drift apart.
constexpr std::string_view recording_video_arguments_head = R"json({
  "recording_id": {
    "type": "string", "minLength": 1, "maxLength": 200,
    "description": "PostHog recording (session) id, from tracking.recordings_list or tracking.sessions_list. Give this or source."
  },
  "refresh": {
    "type": "boolean", "default": false,
    "description": "With recording_id: have PostHog render the recording again instead of using the cached video. Use it when source.rendered_at of an earlier answer is older than the end of a recording that was still going on then. Each render counts against the monthly export quota."
  },
  "source": {
    "type": "object",
    "additionalProperties": false,
    "required": ["file"],
    "description": "A local video to read instead of a PostHog recording. Give this or recording_id.",
    "properties": {
      "file": {
        "type": "string", "minLength": 1, "maxLength": 4096,
        "description": "Absolute path of an MP4 or WebM file inside one of the directories listed in plugin_config.tracking.local_video_dirs."
      }
    }
  },
  "start_ms": {
    "type": "integer", "minimum": 0, "default": 0,
    "description": "Where to start in the video, in milliseconds."
  },
  "end_ms": {
    "type": "integer", "minimum": 1,
    "description": "Where to stop (exclusive), in milliseconds. Default: the end of the video."
  },
  "step_ms": {
    "type": "integer", "minimum": 100, "maximum": 3600000, "default": 1000,
    "description": "Sampling interval in milliseconds: one frame every step_ms, or, when keyframes are picked, the interval at which candidates are scored."
  },
  "max_width": {
    "type": "integer", "minimum": 64, "maximum": 3840, "default": 1280,
    "description": "Frames (as a player shows them: rotated, square pixels) are scaled down to fit max_width x max_height, aspect ratio kept; never scaled up."
  },
  "max_height": {
    "type": "integer", "minimum": 64, "maximum": 3840, "default": 1280,
    "description": "See max_width: bounds portrait (phone) recordings."
  },
  "redact": {
    "type": "array", "maxItems": 50,
    "description": "Extra boxes to paint solid on every frame before anything leaves the machine, on top of the configured redact_rules.",
    "items": )json";
constexpr std::string_view recording_video_arguments_tail = R"json(
  }
})json";
constexpr std::string_view recording_video_arguments =
    joined_text<recording_video_arguments_head, frames::redaction_rule_schema,
                recording_video_arguments_tail>::value;

constexpr std::string_view recording_video_source_output = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["kind"],
  "description": "What was decoded.",
  "properties": {
    "kind": {"type": "string", "enum": ["posthog_recording", "local_file"], "description": "Where the video came from."},
    "recording_id": {"type": "string", "description": "The PostHog recording id, for posthog_recording."},
    "file": {"type": "string", "description": "The file path, for local_file."},
    "cached": {"type": "boolean", "description": "True when the rendered video came from the local cache (no new export)."},
    "rendered_at": {"type": "string", "format": "date-time", "description": "When PostHog rendered the video, for posthog_recording: a recording still going on then is cut off there (pass refresh to render it again)."},
    "duration_ms": {"type": "integer", "minimum": 0, "description": "Video duration in milliseconds, when known."},
    "codec": {"type": "string", "description": "Video codec, e.g. \"h264\", \"vp9\"."},
    "fps": {"type": "number", "minimum": 0, "description": "Average frame rate of the video."},
    "width": {"type": "integer", "minimum": 1, "description": "Source video width in pixels as shown (rotated, square pixels): px redaction boxes use this size."},
    "height": {"type": "integer", "minimum": 1, "description": "Source video height in pixels as shown."},
    "rotation": {"type": "integer", "enum": [0, 90, 180, 270], "description": "Clockwise rotation the video asks players to apply (a phone recording); the frames are already turned."}
  }
})json";

// A tracking tool that reads a recording's video: its own properties plus the shared ones above.
sdk::tool_spec recording_video_tool(std::string_view name, std::string_view description,
                                    std::string_view json) {
  sdk::tool_spec spec = tracking_tool(name, description, json);
  auto& inputs = spec.input_schema.at("properties").as_object();
  for (const auto& [key, value] : sdk::parse_object(recording_video_arguments)) inputs[key] = value;
  if (!spec.output_schema || !spec.output_schema->contains("properties")) {
    throw std::logic_error("tool definition of " + spec.name + " has no outputSchema.properties object");
  }
  spec.output_schema->at("properties").as_object()["source"] =
      sdk::parse_object(recording_video_source_output);
  // A render takes minutes: for clients of the Tasks extension the call becomes a task, once the handler
  // has checked the arguments and, when the call named no instance, asked which one (instance_choice).
  spec.execution = boost::json::object{{"taskSupport", "optional"}};
  spec.task_started_by_handler = true;
  return spec;
}

}  // namespace

// Defined in tools/query_definition.cpp.
sdk::tool_spec query(const query_limits& limits) {
  return with_instance_argument(query_without_instance(limits));
}

sdk::tool_spec capture() {
  return single_event_tool(
      "capture", "The event name sent.",
      "Send one custom analytics event to PostHog (POST {ingest_host}/batch/ with the project "
      "API key). For person properties use tracking.identify, for page views "
      "tracking.pageview, for many events at once tracking.capture_batch. The event gets a "
      "UUIDv7 (or the uuid you pass) so a retry never duplicates it; network errors, 408, 429 "
      "(after Retry-After) and 5xx are retried with backoff, other 4xx are reported with "
      "PostHog's message. Needs the instance's api_host (or ingest_host) and project_api_key "
      "(phc_...). Limits: 900 KiB per event by default (capture.max_event_bytes). A success means PostHog "
      "accepted the event "
      "for processing, not that it was valid; events appear in queries within about a minute.",
      R"json({
    "title": "Capture a PostHog event",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["event", "distinct_id"],
      "properties": {
        "event": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "Event name, e.g. \"signed_up\". Names starting with $ are PostHog's own events; use tracking.identify for $identify and tracking.pageview for $pageview."
        },
        "distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "The user or device the event belongs to, as your product identifies it."
        },
        "properties": {
          "type": "object",
          "description": "Event properties, any JSON values, e.g. {\"plan\": \"pro\"}. PostHog's own properties ($set, $set_once, $groups, $session_id, $process_person_profile, ...) are passed through unchanged."
        }
      }
    },
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec identify() {
  return single_event_tool(
      "identify", "Always \"$identify\".",
      "Identify a person in PostHog and set their properties: sends a $identify event "
      "(POST {ingest_host}/batch/ with the project API key) carrying $set and $set_once. Pass "
      "anonymous_distinct_id to merge the events of an anonymous visitor into this person. "
      "Properties in set overwrite existing values; set_once only fills properties the "
      "person does not have yet. Retries and uuid work as in tracking.capture. Needs the "
      "instance's api_host (or ingest_host) and project_api_key (phc_...).",
      R"json({
    "title": "Identify a PostHog person",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["distinct_id"],
      "properties": {
        "distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "The person's distinct id, usually your product's user id."
        },
        "set": {
          "type": "object",
          "description": "Person properties to set or overwrite ($set), e.g. {\"email\": \"a@example.com\", \"plan\": \"pro\"}."
        },
        "set_once": {
          "type": "object",
          "description": "Person properties to set only when absent ($set_once), e.g. {\"first_seen_plan\": \"free\"}."
        },
        "anonymous_distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "The anonymous distinct id used before the person was known ($anon_distinct_id); its events are merged into this person."
        }
      }
    },
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec pageview() {
  return single_event_tool(
      "pageview", "Always \"$pageview\".",
      "Record a page view in PostHog: sends a $pageview event with $current_url (POST "
      "{ingest_host}/batch/ with the project API key), so it shows up in web analytics, paths "
      "and funnels like browser page views. Retries and uuid work as in tracking.capture. "
      "Needs the instance's api_host (or ingest_host) and project_api_key (phc_...).",
      R"json({
    "title": "Record a PostHog page view",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["distinct_id", "url"],
      "properties": {
        "distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "The user or device that viewed the page."
        },
        "url": {
          "type": "string", "format": "uri", "minLength": 1, "maxLength": 8192,
          "description": "Full URL of the page ($current_url), e.g. https://example.com/pricing?ref=ad."
        },
        "title": {
          "type": "string", "maxLength": 1000,
          "description": "Page title ($title)."
        },
        "referrer": {
          "type": "string", "maxLength": 8192,
          "description": "URL the visitor came from ($referrer)."
        },
        "properties": {
          "type": "object",
          "description": "More event properties, any JSON values."
        }
      }
    },
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec capture_batch() {
  return tracking_tool(
      "capture_batch",
      "Send up to 1000 events to PostHog in one call (POST {ingest_host}/batch/ with the "
      "project API key), e.g. to backfill or replay a log. Events are split into requests "
      "under PostHog's size limits (a 413 halves the request and resends); each event keeps "
      "its UUIDv7 (or your uuid) across retries, so nothing is duplicated. The result counts "
      "accepted events and lists the ones PostHog refused with the reason. Needs the "
      "instance's api_host (or ingest_host) and project_api_key (phc_...).",
      R"json({
    "title": "Capture many PostHog events",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["events"],
      "properties": {
        "events": {
          "type": "array", "minItems": 1, "maxItems": 1000,
          "description": "The events, sent in this order.",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["event", "distinct_id"],
            "properties": {
              "event": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Event name ($identify and $pageview allowed, with their properties)."},
              "distinct_id": {"type": "string", "minLength": 1, "maxLength": 200, "description": "The user or device the event belongs to."},
              "properties": {"type": "object", "description": "Event properties, any JSON values."},
              "timestamp": {"type": "string", "format": "date-time", "description": "When it happened, ISO-8601 with a time zone. Default: now."},
              "uuid": {"type": "string", "format": "uuid", "description": "Event id. Default: a new UUIDv7."}
            }
          }
        },
        "historical_migration": {
          "type": "boolean", "default": false,
          "description": "Mark the batch as a historical import (PostHog routes it around real-time processing). Use for backfills of old events."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["submitted", "accepted", "requests", "uuids"],
      "properties": {
        "submitted": {"type": "integer", "minimum": 0, "description": "Number of events in the call."},
        "accepted": {"type": "integer", "minimum": 0, "description": "Number of events PostHog accepted for processing."},
        "requests": {"type": "integer", "minimum": 0, "description": "HTTP requests it took (after splitting and retries)."},
        "uuids": {"type": "array", "items": {"type": "string", "format": "uuid"}, "description": "Each event's uuid, in input order."},
        "failed": {
          "type": "array",
          "description": "Events PostHog did not accept, with why.",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["index", "error"],
            "properties": {
              "index": {"type": "integer", "minimum": 0, "description": "Position in the input events array."},
              "uuid": {"type": "string", "format": "uuid", "description": "The event's uuid."},
              "error": {"type": "string", "description": "What PostHog answered (status and message)."}
            }
          }
        },
        "quota_limited": {"type": "array", "items": {"type": "string"}, "description": "Present when PostHog reports the project over a billing quota."}
      }
    },
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec sessions_list() {
  return tracking_tool(
      "sessions_list",
      "List sessions (visits) newest first from PostHog's sessions table, via the Query API "
      "(HogQL, POST {api_host}/api/projects/{project_id}/query/). Filter by distinct_id and a "
      "time range (default: the last 7 days). Each session has start and end, duration in ms, "
      "entry and exit URL, pageview count, bounce flag and channel type; use the session_id "
      "with tracking.recordings_list or tracking.recording_frames. Page through results with "
      "next_cursor. Needs the instance's api_host and a personal_api_key (phx_...) with the "
      "query:read scope. PostHog allows about 240 queries per minute and 2400 per hour per "
      "project.",
      R"json({
    "title": "List PostHog sessions",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "Only sessions of this user or device."
        },
        "since": {
          "type": "string", "maxLength": 64,
          "pattern": "^(-[1-9][0-9]{0,4}[hdwmy]|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)$",
          "description": "Sessions that started at or after this time: an ISO-8601 date or date-time (2025-01-31, 2025-01-31T08:00:00Z) or an offset from now (-24h, -7d, -2w, -3m for months, -1y). Default: -7d."
        },
        "until": {
          "type": "string", "maxLength": 64,
          "pattern": "^(-[1-9][0-9]{0,4}[hdwmy]|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)$",
          "description": "Sessions that started before this time, same formats as since. Default: now."
        },
        "limit": {
          "type": "integer", "minimum": 1, "maximum": 1000, "default": 100,
          "description": "Most sessions to return in this page."
        },
        "cursor": {
          "type": "string", "minLength": 1, "maxLength": 4096,
          "description": "next_cursor from a previous call with the same filters, to get the next page."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["sessions", "has_more"],
      "properties": {
        "sessions": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["session_id", "distinct_id", "start"],
            "properties": {
              "session_id": {"type": "string", "description": "PostHog session id (also the recording id when the session was recorded)."},
              "distinct_id": {"type": "string", "description": "The session's user or device."},
              "start": {"type": "string", "format": "date-time", "description": "First event of the session."},
              "end": {"type": "string", "format": "date-time", "description": "Last event of the session."},
              "duration_ms": {"type": "integer", "minimum": 0, "description": "Session length in milliseconds."},
              "entry_url": {"type": "string", "description": "URL of the first page view."},
              "exit_url": {"type": "string", "description": "URL of the last page view."},
              "pageview_count": {"type": "integer", "minimum": 0, "description": "Number of $pageview events."},
              "is_bounce": {"type": "boolean", "description": "PostHog's bounce flag (one page, short, no interaction)."},
              "channel_type": {"type": "string", "description": "Acquisition channel PostHog assigned, e.g. \"Direct\", \"Organic Search\"."}
            }
          }
        },
        "has_more": {"type": "boolean", "description": "True when more sessions match; pass next_cursor to continue."},
        "next_cursor": {"type": "string", "description": "Opaque cursor for the next page; present only when has_more."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json");
}

sdk::tool_spec recordings_list() {
  return tracking_tool(
      "recordings_list",
      "List session recordings (replays) from PostHog (GET {api_host}/api/projects/"
      "{project_id}/session_recordings/), filtered by person or distinct_id and a time range "
      "(default: the last 3 days), ordered by start time or activity; or fetch one recording's "
      "metadata by recording_id (GET .../session_recordings/{id}/). Each recording has its "
      "id (pass it to tracking.recording_frames or tracking.ask_question_about_recording), "
      "start and end, duration and active time in ms, click, keypress and console-error "
      "counts, start URL and whether it is still ongoing. Page with next_cursor. Needs the "
      "instance's api_host and a personal_api_key (phx_...) with the session_recording:read "
      "scope. PostHog throttles this listing per plan (e.g. 12 per minute on the free plan).",
      R"json({
    "title": "List PostHog session recordings",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "Only recordings of this user or device."
        },
        "person_id": {
          "type": "string", "format": "uuid",
          "description": "Only recordings of this PostHog person (its UUID), across all of its distinct ids."
        },
        "recording_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "Return just this recording (a session id, e.g. from tracking.sessions_list); isError when it does not exist. Cannot be combined with the filters or cursor."
        },
        "since": {
          "type": "string", "maxLength": 64,
          "pattern": "^(-[1-9][0-9]{0,4}[hdwmy]|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)$",
          "description": "Recordings that started at or after this time: an ISO-8601 date or date-time or an offset from now (-24h, -7d, -2w, -3m, -1y). Default: -3d."
        },
        "until": {
          "type": "string", "maxLength": 64,
          "pattern": "^(-[1-9][0-9]{0,4}[hdwmy]|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)$",
          "description": "Recordings that started before this time, same formats as since. Default: now."
        },
        "order": {
          "type": "string",
          "enum": ["start_time", "duration", "active_seconds", "click_count", "keypress_count", "console_error_count", "activity_score"],
          "default": "start_time",
          "description": "Sort key, descending (newest, longest, most active or most errors first)."
        },
        "limit": {
          "type": "integer", "minimum": 1, "maximum": 500, "default": 50,
          "description": "Most recordings to return in this page."
        },
        "cursor": {
          "type": "string", "minLength": 1, "maxLength": 4096,
          "description": "next_cursor from a previous call with the same filters, to get the next page."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["recordings", "has_more"],
      "properties": {
        "recordings": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["id", "start"],
            "properties": {
              "id": {"type": "string", "description": "Recording id (the session id)."},
              "distinct_id": {"type": "string", "description": "The recorded user or device."},
              "start": {"type": "string", "format": "date-time", "description": "Recording start."},
              "end": {"type": "string", "format": "date-time", "description": "Recording end."},
              "duration_ms": {"type": "integer", "minimum": 0, "description": "Wall-clock length in milliseconds."},
              "active_ms": {"type": "integer", "minimum": 0, "description": "Time with user activity, in milliseconds."},
              "click_count": {"type": "integer", "minimum": 0, "description": "Clicks."},
              "keypress_count": {"type": "integer", "minimum": 0, "description": "Key presses."},
              "console_error_count": {"type": "integer", "minimum": 0, "description": "Browser console errors logged."},
              "start_url": {"type": "string", "description": "URL where the recording started."},
              "ongoing": {"type": "boolean", "description": "True while the session is still being recorded."}
            }
          }
        },
        "has_more": {"type": "boolean", "description": "True when more recordings match; pass next_cursor to continue."},
        "next_cursor": {"type": "string", "description": "Opaque cursor for the next page; present only when has_more."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json");
}

sdk::tool_spec recording_frames() {
  return recording_video_tool(
      "recording_frames",
      "Turn a session recording into PNG images you can look at, plus frame metadata. "
      "PostHog renders the recording to video through its exports API (POST {api_host}/api/"
      "projects/{project_id}/exports/, polled until ready, then downloaded once and cached "
      "on disk); frames are decoded locally, scaled down to max_width, redacted with the "
      "configured boxes (plus any in redact) and returned as image content. mode \"interval\" "
      "samples one frame every step_ms from start_ms; mode \"keyframes\" returns the "
      "max_frames moments where the screen changed most. Instead of recording_id you may "
      "pass source.file, a local video inside a directory the operator allowed in "
      "local_video_dirs. Rendering can take minutes: progress is reported and the call can "
      "be cancelled; clients of the Tasks extension get a task to poll, whose status message "
      "follows the render. The answer is capped (max_response_bytes, default 8 MiB); frames that "
      "do not fit are left out with a note saying how to get them. contact_sheet tiles the frames into one "
      "image to "
      "save tokens. For recording_id needs api_host and a personal_api_key (phx_...) with "
      "the export:write and export:read scopes; each render counts against the project's "
      "monthly video-export quota (e.g. 10 on the free plan).",
      R"json({
    "title": "Get images from a session recording",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "mode": {
          "type": "string", "enum": ["interval", "keyframes"], "default": "interval",
          "description": "interval: one frame every step_ms. keyframes: the max_frames most distinct moments (first and last always included), chosen by scene-change score."
        },
        "max_frames": {
          "type": "integer", "minimum": 1, "maximum": 1000, "default": 20,
          "description": "Most frames to return; also capped by the operator's max_frames_cap. A 1280x720 frame costs a model about 1,200 tokens."
        },
        "contact_sheet": {
          "type": "boolean", "default": false,
          "description": "Return one image tiling all selected frames, each labelled with its timestamp, instead of one image per frame."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["mode", "frames", "source"],
      "properties": {
        "mode": {"type": "string", "enum": ["interval", "keyframes"], "description": "The sampling mode used."},
        "frames": {
          "type": "array",
          "description": "The frames, in the order of the image content blocks (or of the tiles when contact_sheet).",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["index", "ts_ms", "width", "height", "redacted"],
            "properties": {
              "index": {"type": "integer", "minimum": 0, "description": "0-based position among the returned frames."},
              "ts_ms": {"type": "integer", "minimum": 0, "description": "The decoded frame's own timestamp in the video, in milliseconds."},
              "width": {"type": "integer", "minimum": 1, "description": "Width of the returned image in pixels."},
              "height": {"type": "integer", "minimum": 1, "description": "Height of the returned image in pixels."},
              "scene_score": {"type": "number", "minimum": 0, "maximum": 1, "description": "Fraction of the screen (in 16x16 tiles of a 320-pixel-wide thumbnail) that changed since the previous sample; 0 = nothing beyond encoder noise."},
              "redacted": {"type": "boolean", "description": "True when at least one redaction box was painted on this frame."}
            }
          }
        },
        "contact_sheet": {"type": "boolean", "description": "True when the frames were returned tiled in one image."},
        "dropped_for_size": {"type": "integer", "minimum": 0, "description": "Frames left out to stay under the response size cap."},
        "note": {"type": "string", "description": "Anything the caller should know about this result: frames left out for size and how to get them, frames a damaged or truncated file lost."}
      }
    },
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec ask_question_about_recording() {
  return recording_video_tool(
      "ask_question_about_recording",
      "Answer a question about what happens in a session recording, with a vision model. "
      "Picks up to max_keyframes moments where the screen changed most (the keyframes mode "
      "of tracking.recording_frames, redaction applied, so only redacted frames leave the "
      "machine) and asks gemini.ask_about_images through the host, each frame labelled with "
      "its timestamp. Your question is sent as its own text and the model is told that frame "
      "content is untrusted data. Returns the answer, the keyframes that were sent (as images "
      "with ts_ms) and token usage. With mode \"video\" it instead re-encodes one frame every step_ms "
      "(redacted) into a short video that Gemini watches through gemini.ask_about_video, for motion and "
      "sequences that stills miss. Needs what tracking.recording_frames needs for the "
      "chosen recording_id or source, plus a loaded and configured gemini plugin. Like "
      "tracking.recording_frames it runs as a task for clients of the Tasks extension.",
      R"json({
    "title": "Ask a question about a session recording",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["question"],
      "properties": {
        "question": {
          "type": "string", "minLength": 1, "maxLength": 8000,
          "description": "What you want to know, e.g. \"Which error dialog does the user see after clicking Pay?\"."
        },
        "mode": {
          "type": "string", "enum": ["keyframes", "video"], "default": "keyframes",
          "description": "keyframes: the max_keyframes moments where the screen changed most, as still images (cheapest; any provider). video: every step_ms frame re-encoded into a short H.264 video (redaction applied) that Gemini watches through gemini.ask_about_video; it sees motion and sequences that stills miss, at about 258 tokens per frame (a minute at the default 1 frame per second is about 15,000 tokens). Needs the gemini provider."
        },
        "max_keyframes": {
          "type": "integer", "minimum": 1, "maximum": 30, "default": 6,
          "description": "Most frames to send to the model. More frames catch more detail and cost more tokens (roughly 250 to 1100 per frame)."
        },
        "model": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "Model to ask, passed to gemini.ask_about_images. Default: the gemini plugin's default_model."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["answer", "mode"],
      "properties": {
        "answer": {"type": "string", "description": "The model's answer."},
        "mode": {"type": "string", "enum": ["keyframes", "video"], "description": "What the model was shown."},
        "video": {
          "type": "object",
          "additionalProperties": false,
          "description": "In video mode: the clip Gemini watched.",
          "properties": {
            "frames": {"type": "integer", "minimum": 1, "description": "Frames in the clip."},
            "fps": {"type": "number", "exclusiveMinimum": 0, "description": "Frames per second (1000 / step_ms)."},
            "width": {"type": "integer", "minimum": 1, "description": "Frame width in pixels."},
            "height": {"type": "integer", "minimum": 1, "description": "Frame height in pixels."},
            "codec": {"type": "string", "description": "Video codec of the clip, e.g. \"h264\"."},
            "bytes": {"type": "integer", "minimum": 1, "description": "Size of the MP4 uploaded."},
            "start_ms": {"type": "integer", "minimum": 0, "description": "Recording time of the first frame (video time 0)."},
            "end_ms": {"type": "integer", "minimum": 0, "description": "Recording time of the last frame."},
            "redacted_frames": {"type": "integer", "minimum": 0, "description": "Frames on which redaction boxes were painted."}
          }
        },
        "note": {"type": "string", "description": "In video mode, when the frame cap cut the video short: what it covers and how to ask about the rest; in keyframes mode, frames a damaged or truncated file lost."},
        "keyframes": {
          "type": "array",
          "description": "In keyframes mode: the frames sent to the model, in the order of the image content blocks.",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["index", "ts_ms", "width", "height"],
            "properties": {
              "index": {"type": "integer", "minimum": 0, "description": "0-based position among the frames sent."},
              "ts_ms": {"type": "integer", "minimum": 0, "description": "The frame's timestamp in the video, in milliseconds."},
              "width": {"type": "integer", "minimum": 1, "description": "Width of the image sent, in pixels."},
              "height": {"type": "integer", "minimum": 1, "description": "Height of the image sent, in pixels."},
              "scene_score": {"type": "number", "minimum": 0, "maximum": 1, "description": "How much the screen changed at this moment."}
            }
          }
        },
        "model": {"type": "string", "description": "The model that answered."},
        "finish_reason": {"type": "string", "description": "Why the model stopped, as reported by the provider (e.g. STOP, MAX_TOKENS)."},
        "usage": {
          "type": "object",
          "additionalProperties": false,
          "description": "Token usage reported by the model provider.",
          "properties": {
            "prompt_tokens": {"type": "integer", "minimum": 0, "description": "Input tokens, images included."},
            "output_tokens": {"type": "integer", "minimum": 0, "description": "Answer tokens."},
            "thoughts_tokens": {"type": "integer", "minimum": 0, "description": "Thinking tokens, when the model thinks."},
            "total_tokens": {"type": "integer", "minimum": 0, "description": "All tokens billed."}
          }
        }
      }
    },
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec funnels_run() {
  return tracking_tool(
      "funnels_run",
      "Measure conversion through a sequence of events with a PostHog funnel (Query API "
      "FunnelsQuery, POST {api_host}/api/projects/{project_id}/query/): 2 to 20 steps, each an "
      "event name with optional exact-match property filters, a conversion window (default 14 "
      "days), a date range (default the last 30 days) and an optional breakdown by one "
      "property. Returns per step the number of people, the drop-off from the previous step, "
      "conversion from the first and from the previous step and the time it took, plus the "
      "overall conversion. Needs the instance's api_host and a personal_api_key (phx_...) "
      "with the query:read scope; counts the Query API rate limit (about 240 per minute).",
      R"json({
    "title": "Run a PostHog funnel",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["steps"],
      "properties": {
        "steps": {
          "type": "array", "minItems": 2, "maxItems": 20,
          "description": "The funnel's steps, in order.",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["event"],
            "properties": {
              "event": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Event name, e.g. \"$pageview\" or \"signed_up\"."},
              "match": {
                "type": "object",
                "description": "Event property filters, all of which must hold: property name to the exact value, e.g. {\"$current_url\": \"https://example.com/pricing\", \"plan\": \"pro\"}.",
                "additionalProperties": {"type": ["string", "number", "boolean"]}
              },
              "label": {"type": "string", "maxLength": 200, "description": "Name for this step in the result. Default: the event name."}
            }
          }
        },
        "window": {
          "type": "object",
          "additionalProperties": false,
          "required": ["interval", "unit"],
          "description": "How long a person has to complete the funnel after its first step. Default: 14 days.",
          "properties": {
            "interval": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "Number of units."},
            "unit": {"type": "string", "enum": ["minute", "hour", "day", "week", "month"], "description": "Unit of the interval."}
          }
        },
        "since": {
          "type": "string", "maxLength": 64,
          "pattern": "^(-[1-9][0-9]{0,4}[hdwmy]|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)$",
          "description": "Start of the date range: an ISO-8601 date or date-time or an offset from now (-24h, -7d, -2w, -3m, -1y). Default: -30d."
        },
        "until": {
          "type": "string", "maxLength": 64,
          "pattern": "^(-[1-9][0-9]{0,4}[hdwmy]|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)$",
          "description": "End of the date range, same formats as since. Default: now."
        },
        "order": {
          "type": "string", "enum": ["ordered", "strict", "unordered"], "default": "ordered",
          "description": "ordered: steps in this order, other events allowed between them. strict: each step immediately after the previous one. unordered: steps in any order."
        },
        "breakdown": {
          "type": "object",
          "additionalProperties": false,
          "required": ["property"],
          "description": "Split the funnel by the values of one property.",
          "properties": {
            "property": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Property name, e.g. \"$browser\" or \"plan\"."},
            "type": {"type": "string", "enum": ["event", "person"], "default": "event", "description": "Whether it is an event or a person property."}
          }
        },
        "filter_test_accounts": {
          "type": "boolean", "default": false,
          "description": "Exclude the internal and test users defined in the PostHog project settings."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["steps", "overall_conversion"],
      "properties": {
        "steps": {
          "type": "array",
          "description": "One entry per step, in funnel order (totals across all breakdown values).",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["order", "label", "event", "count", "dropoff", "conversion_from_first", "conversion_from_previous"],
            "properties": {
              "order": {"type": "integer", "minimum": 0, "description": "0-based step number."},
              "label": {"type": "string", "description": "The step's label (or event name)."},
              "event": {"type": "string", "description": "The step's event."},
              "count": {"type": "integer", "minimum": 0, "description": "People who reached this step."},
              "dropoff": {"type": "integer", "minimum": 0, "description": "People who reached the previous step but not this one (0 for the first step)."},
              "conversion_from_first": {"type": "number", "minimum": 0, "maximum": 1, "description": "count / count of the first step."},
              "conversion_from_previous": {"type": "number", "minimum": 0, "maximum": 1, "description": "count / count of the previous step (1 for the first step)."},
              "average_conversion_time_s": {"type": "number", "minimum": 0, "description": "Average seconds from the previous step to this one."},
              "median_conversion_time_s": {"type": "number", "minimum": 0, "description": "Median seconds from the previous step to this one."}
            }
          }
        },
        "overall_conversion": {"type": "number", "minimum": 0, "maximum": 1, "description": "Share of people of the first step who reached the last one."},
        "breakdowns": {
          "type": "array",
          "description": "Present with a breakdown: the funnel for each property value.",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["value", "steps", "overall_conversion"],
            "properties": {
              "value": {"type": "string", "description": "The breakdown property's value (stringified)."},
              "steps": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["order", "count", "conversion_from_first"],
                  "properties": {
                    "order": {"type": "integer", "minimum": 0, "description": "0-based step number."},
                    "count": {"type": "integer", "minimum": 0, "description": "People who reached this step."},
                    "conversion_from_first": {"type": "number", "minimum": 0, "maximum": 1, "description": "count / count of the first step."}
                  }
                }
              },
              "overall_conversion": {"type": "number", "minimum": 0, "maximum": 1, "description": "Conversion from first to last step for this value."}
            }
          }
        },
        "since": {"type": "string", "description": "The date range's start, as sent to PostHog."},
        "until": {"type": "string", "description": "The date range's end, as sent to PostHog."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json");
}

sdk::tool_spec feature_flags_list() {
  return tracking_tool(
      "feature_flags_list",
      "List the project's feature flags (GET {api_host}/api/projects/{project_id}/"
      "feature_flags/, following PostHog's pages): key, name, whether it is active, boolean or "
      "multivariate, a one-line rollout summary, variants with their split, and tags. Filter "
      "by active state or a search text; use a key with tracking.feature_flag_eval. Needs the "
      "instance's api_host and a personal_api_key (phx_...) with the feature_flag:read scope.",
      R"json({
    "title": "List PostHog feature flags",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "active": {
          "type": "boolean",
          "description": "true: only enabled flags; false: only disabled ones. Default: both."
        },
        "search": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "Only flags whose key or name contains this text (case-insensitive)."
        },
        "limit": {
          "type": "integer", "minimum": 1, "maximum": 1000, "default": 200,
          "description": "Most flags to return in this call."
        },
        "cursor": {
          "type": "string", "minLength": 1, "maxLength": 4096,
          "description": "next_cursor from a previous call with the same filters, to get the next flags."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["flags", "total"],
      "properties": {
        "flags": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["id", "key", "active", "type", "rollout_summary"],
            "properties": {
              "id": {"type": "integer", "description": "PostHog's numeric flag id."},
              "key": {"type": "string", "description": "The key code evaluates, e.g. \"new-checkout\"."},
              "name": {"type": "string", "description": "Human description of the flag."},
              "active": {"type": "boolean", "description": "Whether the flag is enabled."},
              "type": {"type": "string", "enum": ["boolean", "multivariate"], "description": "boolean flags are on or off; multivariate flags return a variant key."},
              "rollout_percentage": {"type": "number", "minimum": 0, "maximum": 100, "description": "Rollout of a flag with a single release condition and no property filters."},
              "rollout_summary": {"type": "string", "description": "One line, e.g. \"50% of users where plan = pro; 100% of users in cohort 12\"."},
              "variants": {
                "type": "array",
                "description": "Variants of a multivariate flag.",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["key", "rollout_percentage"],
                  "properties": {
                    "key": {"type": "string", "description": "Variant key, e.g. \"control\"."},
                    "name": {"type": "string", "description": "Variant description."},
                    "rollout_percentage": {"type": "number", "minimum": 0, "maximum": 100, "description": "Share of matched users who get this variant."}
                  }
                }
              },
              "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags set in PostHog."}
            }
          }
        },
        "total": {"type": "integer", "minimum": 0, "description": "Number of flags that match the filters."},
        "next_cursor": {"type": "string", "description": "Opaque cursor for the next flags; present only when more match."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json");
}

sdk::tool_spec feature_flag_eval() {
  return tracking_tool(
      "feature_flag_eval",
      "Evaluate feature flags for one user, and optionally their groups, the way PostHog's "
      "SDKs do. mode \"remote\" asks PostHog (POST {ingest_host}/flags/?v=2 with the project "
      "API key) and returns each flag's value, variant, reason and payload. mode \"local\" "
      "evaluates flag definitions fetched from {ingest_host}/flags/definitions (cached and "
      "refreshed about every 30 s; needs a personal_api_key with feature_flag:read) with "
      "PostHog's exact hashing, without a request per evaluation. mode \"auto\" (default) "
      "answers locally when definitions are available and the result does not depend on "
      "something only PostHog knows (cohorts, missing properties, experience continuity), "
      "and remotely otherwise. Each flag says which mode answered. Evaluating does not send a "
      "$feature_flag_called event. Needs the instance's api_host (or ingest_host) and "
      "project_api_key (phc_...).",
      R"json({
    "title": "Evaluate PostHog feature flags",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["distinct_id"],
      "properties": {
        "distinct_id": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "description": "The user to evaluate the flags for."
        },
        "flag_keys": {
          "type": "array", "minItems": 1, "maxItems": 500,
          "items": {"type": "string", "minLength": 1, "maxLength": 400},
          "description": "Only these flags. Default: every active flag."
        },
        "person_properties": {
          "type": "object",
          "description": "Person properties to evaluate release conditions with, e.g. {\"email\": \"a@example.com\", \"plan\": \"pro\"}. They override what PostHog has stored."
        },
        "groups": {
          "type": "object",
          "additionalProperties": {"type": "string"},
          "description": "Group type to group key, e.g. {\"company\": \"acme\"}, for group-based flags."
        },
        "group_properties": {
          "type": "object",
          "additionalProperties": {"type": "object"},
          "description": "Group type to that group's properties, e.g. {\"company\": {\"seats\": 40}}."
        },
        "mode": {
          "type": "string", "enum": ["auto", "local", "remote"], "default": "auto",
          "description": "auto: local when conclusive, else remote. local: only local evaluation (flags it cannot decide are reported as inconclusive). remote: always ask PostHog."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["distinct_id", "flags"],
      "properties": {
        "distinct_id": {"type": "string", "description": "The user evaluated."},
        "flags": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["key", "enabled", "evaluated_by"],
            "properties": {
              "key": {"type": "string", "description": "Flag key."},
              "enabled": {"type": "boolean", "description": "Whether the flag is on for this user."},
              "variant": {"type": "string", "description": "The variant key, for a multivariate flag that is on."},
              "reason": {"type": "string", "description": "Why, e.g. \"condition_match\", \"out_of_rollout_bound\", \"no_condition_match\", \"flag_disabled\", \"evaluation_error\" (see error), or \"inconclusive\" for local mode."},
              "error": {"type": "string", "description": "Why the flag could not be evaluated, e.g. a regex pattern RE2 cannot take; the flag is reported off."},
              "condition_index": {"type": "integer", "minimum": 0, "description": "Which release condition matched."},
              "payload": {"description": "The flag's JSON payload for this value, when one is set."},
              "evaluated_by": {"type": "string", "enum": ["local", "remote"], "description": "Which mode produced this answer."}
            }
          }
        },
        "errors_while_computing": {"type": "boolean", "description": "PostHog's errorsWhileComputingFlags: some remote values may be missing or stale."},
        "quota_limited": {"type": "boolean", "description": "True when PostHog answered that the project is over its feature-flag quota."},
        "request_id": {"type": "string", "description": "PostHog's request id of the remote evaluation, for support."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json");
}

}  // namespace mcpd::tracking::tool_definitions
