// What gemini.ask_about_images asks and what a provider answers, independent of the provider's wire format.
// The tool handler builds a vision_request from the arguments; gemini_client and openai_client turn it into
// their own request bodies and their responses back into a vision_answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace mcpd::gemini {

// One image, validated and (when it was too large) downscaled, ready to be sent.
struct prepared_image {
  std::string mime_type;  // image/png, image/jpeg or image/webp
  std::string base64;     // the bytes to send, base64-encoded
  std::string label;      // text sent right before the image; may be empty
};

// A video for gemini.ask_about_video. Gemini takes it through its Files API (uploaded, processed, then
// referenced by file_uri in the request body, and deleted after the answer).
struct prepared_video {
  std::string mime_type;  // video/mp4 or video/webm
  std::string bytes;
  std::optional<double> fps;  // frames per second Gemini samples (videoMetadata.fps); default 1
  std::string file_uri;       // set once uploaded and ACTIVE
};

struct vision_request {
  std::string model;
  std::string question;  // always its own text part, after the images
  std::vector<prepared_image> images;
  std::optional<prepared_video> video;                 // instead of images: ask_about_video
  std::string system_instruction;                      // empty: none
  std::optional<boost::json::object> response_schema;  // a JSON Schema: the answer must be JSON matching it
  std::optional<double> temperature;
  std::optional<std::int64_t> max_output_tokens;
};

struct token_usage {
  std::optional<std::int64_t> prompt_tokens;
  std::optional<std::int64_t> output_tokens;
  std::optional<std::int64_t> thoughts_tokens;
  std::optional<std::int64_t> total_tokens;
};

struct vision_answer {
  std::string text;           // thinking excluded
  std::string finish_reason;  // as the provider says it (STOP, MAX_TOKENS, stop, length, ...)
  std::string model;          // the model that answered
  token_usage usage;
};

}  // namespace mcpd::gemini
