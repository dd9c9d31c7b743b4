#include "tool_definitions.hpp"

namespace mcpd::gemini::tool_definitions {

sdk::tool_spec ask_about_images() {
  return sdk::tool_spec_from_json(
      "ask_about_images",
      "Ask a vision model a question about 1 to 100 images and get its answer. By default the model is "
      "Google "
      "Gemini (POST {api_base_url}/v1beta/models/{model}:generateContent, the key sent only in the "
      "x-goog-api-key header); with provider \"openai_compatible\" it is any OpenAI-compatible "
      "chat-completions "
      "server (OpenAI, Gemini's OpenAI endpoint, or a local Ollama, llama.cpp or vLLM), images sent as data: "
      "URLs. Images are base64 PNG, JPEG or WebP (an MCP image content block can be passed as is); each may "
      "carry a label sent as text right before it (e.g. its timestamp). Images longer than "
      "max_image_long_edge are downscaled, and the request must fit max_request_bytes. Optional "
      "system_instruction, temperature, max_output_tokens, and response_schema (a JSON Schema: the answer is "
      "then JSON, validated, and also returned parsed in answer_json). Returns the answer, finish reason, "
      "token usage and the model used; without a model in the call or the configuration, that is the newest "
      "stable Gemini Flash model the provider lists (checked daily). Blocked prompts and answers cut by "
      "safety, recitation or the token limit are reported plainly; a per-minute quota (429) is retried "
      "after Gemini's retryDelay, a daily quota is not. Needs api_key (GEMINI_API_KEY), or the "
      "openai_compatible settings.",
      R"json({
    "title": "Ask a vision model about images",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["question", "images"],
      "properties": {
        "question": {
          "type": "string", "minLength": 1, "maxLength": 32000,
          "description": "What to ask about the images. Sent as its own text part after the images."
        },
        "images": {
          "type": "array", "minItems": 1, "maxItems": 100,
          "description": "The images, in the order the model should see them.",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["data", "mimeType"],
            "properties": {
              "type": {"type": "string", "enum": ["image"], "description": "Optional; present when an MCP image content block is passed through unchanged."},
              "data": {"type": "string", "minLength": 1, "description": "The image bytes, base64-encoded (standard alphabet, no data: prefix)."},
              "mimeType": {"type": "string", "enum": ["image/png", "image/jpeg", "image/webp"], "description": "The image format."},
              "label": {"type": "string", "maxLength": 1000, "description": "Text sent right before this image, e.g. \"Frame 3 at 00:12.4\"."},
              "annotations": {"type": "object", "description": "MCP content annotations; accepted and ignored."},
              "_meta": {"type": "object", "description": "MCP metadata; accepted and ignored."}
            }
          }
        },
        "system_instruction": {
          "type": "string", "minLength": 1, "maxLength": 32000,
          "description": "Instructions that frame how the model answers, e.g. \"Answer in one sentence.\""
        },
        "response_schema": {
          "type": "object",
          "description": "A JSON Schema for a structured answer, e.g. {\"type\":\"object\",\"properties\":{\"dialog\":{\"type\":\"string\"}},\"required\":[\"dialog\"]}. The model then answers JSON matching it; the parsed value is returned in answer_json."
        },
        "temperature": {
          "type": "number", "minimum": 0, "maximum": 2,
          "description": "Sampling temperature; lower is more deterministic. Sent only when given; default: the model's own. Newer models (Gemini 3.6 and later, OpenAI's reasoning models) refuse it: leave it out for them."
        },
        "max_output_tokens": {
          "type": "integer", "minimum": 1, "maximum": 65536,
          "description": "Cap on answer tokens. On thinking models thinking counts against it too, so very small values can leave no answer (finish_reason MAX_TOKENS). Default: the model's."
        },
        "model": {
          "type": "string", "minLength": 1, "maxLength": 200,
          "pattern": "^[A-Za-z0-9][A-Za-z0-9._:/@-]*$",
          "description": "Model to use, e.g. \"gemini-3.8-pro\" or an Ollama model such as \"llava:13b\". See gemini.models_list. Default: the configured default_model (or openai_compatible.model), else the newest stable Gemini Flash model the provider lists."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["answer", "finish_reason", "model", "provider"],
      "properties": {
        "answer": {"type": "string", "description": "The model's answer text (thinking excluded)."},
        "answer_json": {"description": "With response_schema: the answer parsed as JSON and validated against it."},
        "finish_reason": {"type": "string", "description": "Why the model stopped, as the provider reports it: Gemini STOP, MAX_TOKENS, SAFETY, RECITATION, ...; OpenAI-compatible stop, length, content_filter."},
        "model": {"type": "string", "description": "The model that answered, as the provider reports it (Gemini's modelVersion): the automatically chosen one when neither the call nor the configuration names a model."},
        "provider": {"type": "string", "enum": ["gemini", "openai_compatible"], "description": "Which provider answered."},
        "usage": {
          "type": "object",
          "additionalProperties": false,
          "description": "Token usage reported by the provider.",
          "properties": {
            "prompt_tokens": {"type": "integer", "minimum": 0, "description": "Input tokens, images included."},
            "output_tokens": {"type": "integer", "minimum": 0, "description": "Answer tokens."},
            "thoughts_tokens": {"type": "integer", "minimum": 0, "description": "Thinking tokens, when the model thinks."},
            "total_tokens": {"type": "integer", "minimum": 0, "description": "All tokens billed."}
          }
        }
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
}

sdk::tool_spec ask_about_video() {
  sdk::tool_spec spec = sdk::tool_spec_from_json(
      "ask_about_video",
      "Ask Gemini a question about a video (MP4 or WebM, base64): it sees the motion between frames that "
      "still images miss. The video goes through Gemini's Files API (POST {api_base_url}/upload/v1beta/files "
      "as a resumable upload, polled until ACTIVE, referenced as fileData in generateContent) and the "
      "uploaded file is deleted right after the answer. Gemini samples fps frames per second (default 1); "
      "each costs about 258 prompt tokens, so a minute at 1 fps is about 15,000 tokens, against roughly "
      "250 to 1100 per still image. Needs provider \"gemini\" and api_key (GEMINI_API_KEY); "
      "OpenAI-compatible servers take no video. The video must fit max_request_bytes. Clients of the "
      "Tasks extension get a task to poll, whose status message follows the upload and processing.",
      R"json({
    "title": "Ask Gemini about a video",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["question", "video"],
      "properties": {
        "question": {
          "type": "string", "minLength": 1, "maxLength": 32000,
          "description": "What to ask about the video. Sent as its own text part after the video."
        },
        "video": {
          "type": "object",
          "additionalProperties": false,
          "required": ["data", "mimeType"],
          "description": "The video itself.",
          "properties": {
            "data": {"type": "string", "minLength": 1, "description": "The video bytes, base64-encoded (standard alphabet, no data: prefix)."},
            "mimeType": {"type": "string", "enum": ["video/mp4", "video/webm"], "description": "The container format."}
          }
        },
        "fps": {
          "type": "number", "exclusiveMinimum": 0, "maximum": 24,
          "description": "Frames per second Gemini samples from the video (videoMetadata.fps). Default: 1. More catches faster changes and costs proportionally more tokens."
        }
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}
  })json");
  // The settings and the answer are those of ask_about_images (without response_schema).
  const sdk::tool_spec images = ask_about_images();
  auto& properties = spec.input_schema.at("properties").as_object();
  for (const char* key : {"system_instruction", "temperature", "max_output_tokens", "model"})
    properties[key] = images.input_schema.at("properties").at(key);
  spec.output_schema = images.output_schema;
  spec.output_schema->at("properties").as_object().erase("answer_json");
  // Uploading and processing take from seconds to minutes: for clients of the Tasks extension the call
  // becomes a task once the handler has checked the video.
  spec.execution = boost::json::object{{"taskSupport", "optional"}};
  spec.task_started_by_handler = true;
  return spec;
}

sdk::tool_spec models_list() {
  return sdk::tool_spec_from_json(
      "models_list",
      "List the models the configured key can use, to choose the model argument of gemini.ask_about_images "
      "or the default_model setting, and the model used when a call names none (default_model: configured, "
      "or the newest stable Flash model listed). Gemini: GET {api_base_url}/v1beta/models (following its "
      "pages); openai_compatible: GET {base_url}/models. By default only models that can generate content "
      "are listed. Needs api_key (GEMINI_API_KEY), or openai_compatible.base_url.",
      R"json({
    "title": "List available vision models",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "include_all": {
          "type": "boolean", "default": false,
          "description": "Also list models that cannot generate content (embedding models, for example)."
        },
        "limit": {
          "type": "integer", "minimum": 1, "maximum": 1000, "default": 200,
          "description": "Most models to return in this call."
        },
        "cursor": {
          "type": "string", "minLength": 1, "maxLength": 4096,
          "description": "next_cursor from a previous call, to get the next models."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["models", "provider"],
      "properties": {
        "models": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["id"],
            "properties": {
              "id": {"type": "string", "description": "The value to pass as model, e.g. \"gemini-3.8-flash\"."},
              "display_name": {"type": "string", "description": "Human-readable name."},
              "description": {"type": "string", "description": "What the provider says about the model."},
              "input_token_limit": {"type": "integer", "minimum": 0, "description": "Largest prompt, in tokens."},
              "output_token_limit": {"type": "integer", "minimum": 0, "description": "Largest answer, in tokens."},
              "supported_actions": {"type": "array", "items": {"type": "string"}, "description": "Gemini's supportedGenerationMethods, e.g. [\"generateContent\", \"countTokens\"]."}
            }
          }
        },
        "provider": {"type": "string", "enum": ["gemini", "openai_compatible"], "description": "Which provider was asked."},
        "default_model": {"type": "string", "description": "The model gemini.ask_about_images uses when none is given; absent when there is none (no model configured and none to choose from)."},
        "default_model_source": {"type": "string", "enum": ["configured", "automatic"], "description": "configured: default_model (or openai_compatible.model) is set. automatic: the newest stable Flash model of this listing, used until the next refresh."},
        "next_cursor": {"type": "string", "description": "Opaque cursor for the next models; present only when more exist."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json");
}

}  // namespace mcpd::gemini::tool_definitions
