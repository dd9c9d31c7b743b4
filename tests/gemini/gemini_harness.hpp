// Runs `mcpd serve --stdio` with the shipped plugins and a config whose gemini section points at a
// FakeGemini, and calls gemini tools through it: every test goes through the real host and plugin.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fake_gemini.hpp"
#include "mcp_session.hpp"

namespace gemini_test {

// plugin_config.gemini for `fake` with provider gemini: the fake's key and URL, short timeouts and tiny
// backoffs. `overrides` is merged on top, one level deep per object ("retry", "openai_compatible").
json::object gemini_section(const FakeGemini& fake, const json::object& overrides = {});
// The same with provider openai_compatible pointing at the fake's OpenAI-compatible routes.
json::object openai_section(const FakeGemini& fake, const json::object& overrides = {});

// Starts and initializes mcpd with `gemini` as plugin_config.gemini.
// `server` is the config's server section ({} for the defaults).
std::unique_ptr<mcpd_test::McpSession> start_mcpd(const json::object& gemini,
                                                  std::vector<std::string> environment = {},
                                                  const json::object& server = {});

// tools/call that must succeed: returns structuredContent (and checks the text block is its JSON).
json::object call_ok(mcpd_test::McpSession& session, const std::string& tool, const json::object& arguments);
// tools/call that must fail with isError: returns the error text.
std::string call_error(mcpd_test::McpSession& session, const std::string& tool,
                       const json::object& arguments);

// True when `text` contains one of the fake's keys (or an obvious part of one).
bool leaks_secret(const std::string& text);

// A PNG of `width` x `height` whose pixels depend on `seed` (so images are distinguishable).
std::vector<std::uint8_t> make_png(unsigned width, unsigned height, unsigned seed = 0);
// Width and height of PNG bytes (decoded with lodepng); {0, 0} when they do not decode.
std::pair<unsigned, unsigned> png_size(const std::vector<std::uint8_t>& png);

// {"data": base64, "mimeType": mime} plus "label" when given.
json::object image_argument(const std::vector<std::uint8_t>& bytes,
                            const std::string& mime_type = "image/png", const std::string& label = {});

}  // namespace gemini_test
