// JSON Schema of plugin_config.gemini. The host validates the section against it before init, reports
// unknown keys and hides "writeOnly" values (the API keys) from `mcpd plugin inspect` and logs.
//
// Environment overrides (applied by the host): GEMINI_API_KEY fills api_key, GEMINI_API_BASE_URL fills
// api_base_url. Plain JSON Schema keywords only (no $ref), so every validator reads it the same way.
#pragma once

#include <string_view>

namespace mcpd::gemini {

inline constexpr std::string_view config_schema_json = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "gemini plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "provider": {
      "type": "string", "enum": ["gemini", "openai_compatible"], "default": "gemini",
      "description": "gemini: Google's Gemini API. openai_compatible: any OpenAI-compatible chat-completions server (OpenAI, Ollama, llama.cpp, vLLM, Gemini's OpenAI endpoint), configured under openai_compatible."
    },
    "api_key": {
      "type": "string", "writeOnly": true,
      "description": "Gemini API key (from Google AI Studio), sent only in the x-goog-api-key header. Env: GEMINI_API_KEY."
    },
    "api_base_url": {
      "type": "string", "format": "uri", "default": "https://generativelanguage.googleapis.com",
      "description": "Base URL of the Gemini API (tests point it at a fake). Env: GEMINI_API_BASE_URL."
    },
    "default_model": {
      "type": "string", "minLength": 1,
      "description": "Model used when a call names none (provider gemini), e.g. \"gemini-3.8-flash\"; gemini.models_list shows the choices. Unset (recommended): the newest stable Flash model (gemini-<major>.<minor>-flash, no preview, lite, exp or alias) that Gemini's models listing offers, checked again every model_refresh_ms, so a withdrawn model is never used for long."
    },
    "model_refresh_ms": {
      "type": "integer", "minimum": 1000, "maximum": 604800000, "default": 86400000,
      "description": "How long the automatic model choice is kept before the models are listed again (default a day). When a refresh fails, the last choice stays in use."
    },
    "openai_compatible": {
      "type": "object",
      "additionalProperties": false,
      "description": "Settings of the openai_compatible provider.",
      "properties": {
        "base_url": {
          "type": "string", "format": "uri",
          "description": "The server's API root, ending in /v1 for most: https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), http://localhost:8080/v1 (llama.cpp), https://generativelanguage.googleapis.com/v1beta/openai."
        },
        "api_key": {
          "type": "string", "writeOnly": true,
          "description": "Bearer token for the server; local servers usually need none."
        },
        "model": {
          "type": "string", "minLength": 1,
          "description": "Default model on that server, e.g. \"gpt-4o-mini\" or \"llava:13b\". Required unless base_url is Google's endpoint (https://generativelanguage.googleapis.com/v1beta/openai), where the newest stable Gemini Flash model it lists is chosen automatically."
        }
      }
    },
    "max_image_long_edge": {
      "type": "integer", "minimum": 64, "maximum": 8192, "default": 1280,
      "description": "Images whose longer side exceeds this many pixels are downscaled before sending (never upscaled)."
    },
    "max_request_bytes": {
      "type": "integer", "minimum": 1048576, "maximum": 104857600, "default": 20971520,
      "description": "Largest request body sent, and largest video ask_about_video uploads; checked before sending. Gemini accepts up to 100 MB inline; OpenAI-compatible servers often less."
    },
    "timeout_ms": {
      "type": "integer", "minimum": 1000, "maximum": 600000, "default": 120000,
      "description": "Timeout of one request to the model."
    },
    "retry": {
      "type": "object",
      "additionalProperties": false,
      "description": "Retries of network errors, per-minute 429s and 5xx (never of other 4xx or daily quotas).",
      "properties": {
        "max_attempts": {
          "type": "integer", "minimum": 1, "maximum": 10, "default": 3,
          "description": "Attempts per request, the first included; 1 disables retries."
        },
        "initial_backoff_ms": {
          "type": "integer", "minimum": 0, "maximum": 60000, "default": 1000,
          "description": "Delay before the first retry; doubles each time, with jitter."
        },
        "max_backoff_ms": {
          "type": "integer", "minimum": 0, "maximum": 300000, "default": 30000,
          "description": "Longest delay between attempts."
        },
        "max_retry_delay_ms": {
          "type": "integer", "minimum": 0, "maximum": 600000, "default": 60000,
          "description": "Longest retryDelay (from a 429's RetryInfo) worth waiting for; a longer one is reported instead."
        }
      }
    }
  }
})json";

}  // namespace mcpd::gemini
