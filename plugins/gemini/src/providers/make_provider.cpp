#include "../vision_provider.hpp"
#include "gemini_client.hpp"
#include "openai_client.hpp"

namespace mcpd::gemini {

std::unique_ptr<vision_provider> make_provider(const provider_settings& settings) {
  if (settings.provider == provider_kind::openai_compatible) return std::make_unique<openai_client>(settings);
  return std::make_unique<gemini_client>(settings);
}

}  // namespace mcpd::gemini
