#include <charconv>
#include <string>

#include "../base64.hpp"
#include "../provider_error.hpp"
#include "tool_handlers.hpp"

namespace mcpd::gemini {
namespace {

namespace json = boost::json;

// The cursor is opaque to callers; inside it is "m1:<include_all>:<offset>", so a cursor is only ever
// used with the listing it came from.
std::string encode_cursor(bool include_all, std::size_t offset) {
  const std::string text = "m1:" + std::string(include_all ? "1" : "0") + ":" + std::to_string(offset);
  return base64_encode(std::vector<std::uint8_t>(text.begin(), text.end()));
}

std::optional<std::size_t> decode_cursor(std::string_view cursor, bool include_all) {
  const auto bytes = base64_decode(cursor);
  if (!bytes) return std::nullopt;
  const std::string text(bytes->begin(), bytes->end());
  const std::string prefix = "m1:" + std::string(include_all ? "1" : "0") + ":";
  if (!text.starts_with(prefix)) return std::nullopt;
  std::size_t offset = 0;
  const char* first = text.data() + prefix.size();
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, offset);
  if (ec != std::errc{} || end != last) return std::nullopt;
  return offset;
}

json::object model_json(const model_info& model) {
  json::object out{{"id", model.id}};
  if (!model.display_name.empty()) out["display_name"] = model.display_name;
  if (!model.description.empty()) out["description"] = model.description;
  if (model.input_token_limit) out["input_token_limit"] = *model.input_token_limit;
  if (model.output_token_limit) out["output_token_limit"] = *model.output_token_limit;
  if (!model.supported_actions.empty()) {
    json::array actions;
    for (const auto& action : model.supported_actions) actions.emplace_back(action);
    out["supported_actions"] = std::move(actions);
  }
  return out;
}

}  // namespace

sdk::tool_result models_list(const tool_environment& environment, sdk::call_context& ctx,
                             const json::object& arguments) {
  const std::string tool = environment.published("models_list");
  bool include_all = false;
  if (const auto* value = arguments.if_contains("include_all"); value != nullptr && value->is_bool())
    include_all = value->get_bool();
  std::size_t limit = 200;
  if (const auto* value = arguments.if_contains("limit"); value != nullptr && value->is_number())
    limit = value->to_number<std::size_t>();
  std::size_t offset = 0;
  if (const auto* value = arguments.if_contains("cursor"); value != nullptr && value->is_string()) {
    const auto decoded = decode_cursor(value->get_string(), include_all);
    if (!decoded) {
      return sdk::tool_result::error(tool +
                                     ": cursor is not a next_cursor this tool returned for this "
                                     "include_all; call again without it.");
    }
    offset = *decoded;
  }

  std::vector<model_info> models;
  call_progress progress(ctx);
  try {
    models = environment.provider.list_models(tool, call_hooks_for(environment, ctx, tool, progress));
  } catch (const provider_error& e) {
    return sdk::tool_result::error(e.what());
  }
  // A fresh listing: the automatic choice follows it, so default_model below is what the next call uses.
  environment.models.learn(models);
  if (!include_all) std::erase_if(models, [](const model_info& model) { return !model.can_generate; });

  json::array page;
  for (std::size_t i = offset; i < models.size() && page.size() < limit; ++i)
    page.push_back(model_json(models[i]));
  json::object result{{"models", std::move(page)}, {"provider", environment.provider.name()}};
  if (const auto choice = environment.models.known_default()) {
    result["default_model"] = choice->model;
    result["default_model_source"] = choice->origin == model_origin::automatic ? "automatic" : "configured";
  }
  if (offset + limit < models.size()) result["next_cursor"] = encode_cursor(include_all, offset + limit);
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::gemini
