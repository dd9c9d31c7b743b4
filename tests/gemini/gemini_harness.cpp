#include "gemini_harness.hpp"

#include "tool_call_checks.hpp"

#include <lodepng.h>

namespace gemini_test {

using mcpd_test::McpSession;

namespace {

json::object fast_limits() {
  return json::object{{"timeout_ms", 5000},
                      {"retry", json::object{{"max_attempts", 3},
                                             {"initial_backoff_ms", 1},
                                             {"max_backoff_ms", 20},
                                             {"max_retry_delay_ms", 5000}}}};
}

}  // namespace

json::object gemini_section(const FakeGemini& fake, const json::object& overrides) {
  json::object section = fast_limits();
  section["api_key"] = FakeGemini::kApiKey;
  section["api_base_url"] = fake.base_url();
  mcpd_test::merge_objects(section, overrides);
  return section;
}

json::object openai_section(const FakeGemini& fake, const json::object& overrides) {
  json::object section = fast_limits();
  section["provider"] = "openai_compatible";
  section["openai_compatible"] = json::object{
      {"base_url", fake.openai_base_url()}, {"api_key", FakeGemini::kOpenAiKey}, {"model", "llava:13b"}};
  mcpd_test::merge_objects(section, overrides);
  return section;
}

std::unique_ptr<McpSession> start_mcpd(const json::object& gemini, std::vector<std::string> environment,
                                       const json::object& server) {
  return mcpd_test::start_shipped_plugins({{"gemini", gemini}}, server, std::move(environment));
}

json::object call_ok(McpSession& session, const std::string& tool, const json::object& arguments) {
  return mcpd_test::structured_result_of(session, tool, arguments, leaks_secret);
}

std::string call_error(McpSession& session, const std::string& tool, const json::object& arguments) {
  return mcpd_test::error_text_of(session, tool, arguments, leaks_secret);
}

bool leaks_secret(const std::string& text) {
  return text.find("FakeGeminiKey0123456789") != std::string::npos ||
         text.find("fakeopenai-9876543210") != std::string::npos;
}

std::vector<std::uint8_t> make_png(unsigned width, unsigned height, unsigned seed) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
  for (unsigned y = 0; y < height; ++y) {
    for (unsigned x = 0; x < width; ++x) {
      auto* p = &pixels[(static_cast<std::size_t>(y) * width + x) * 3];
      p[0] = static_cast<unsigned char>((x * 7 + seed * 31) & 0xFF);
      p[1] = static_cast<unsigned char>((y * 5 + seed * 17) & 0xFF);
      p[2] = static_cast<unsigned char>((seed * 53) & 0xFF);
    }
  }
  std::vector<unsigned char> png;
  if (lodepng::encode(png, pixels, width, height, LCT_RGB, 8) != 0)
    throw std::runtime_error("lodepng failed");
  return {png.begin(), png.end()};
}

std::pair<unsigned, unsigned> png_size(const std::vector<std::uint8_t>& png) {
  std::vector<unsigned char> pixels;
  unsigned width = 0, height = 0;
  if (lodepng::decode(pixels, width, height, png.data(), png.size()) != 0) return {0, 0};
  return {width, height};
}

json::object image_argument(const std::vector<std::uint8_t>& bytes, const std::string& mime_type,
                            const std::string& label) {
  json::object image{{"data", base64(bytes)}, {"mimeType", mime_type}};
  if (!label.empty()) image["label"] = label;
  return image;
}

}  // namespace gemini_test
