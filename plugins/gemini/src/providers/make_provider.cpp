#include "../vision_provider.hpp"
#include "gemini_client.hpp"
#include "openai_client.hpp"

#include "../provider_error.hpp"
#include "../tool_names.hpp"

namespace mcpd::gemini {

vision_answer vision_provider::ask_about_video(vision_request, std::string_view tool,
                                               const sdk::http::call_hooks&,
                                               const std::function<void(const std::string&)>&) const {
  throw provider_error(std::string(tool) + ": the " + std::string(name()) +
                       " provider takes no video (OpenAI-compatible chat completions have no video input). "
                       "Set plugin_config.gemini.provider to \"gemini\" with an api_key, or ask about "
                       "still images with " +
                       gemini_tool_beside(tool, "ask_about_images") + ".");
}

std::unique_ptr<vision_provider> make_provider(const provider_settings& settings) {
  if (settings.provider == provider_kind::openai_compatible) return std::make_unique<openai_client>(settings);
  return std::make_unique<gemini_client>(settings);
}

}  // namespace mcpd::gemini
