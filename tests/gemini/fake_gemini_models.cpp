// FakeGemini's models: the paged GET /v1beta/models listing and what generateContent makes of a model name,
// as the real API behaves in December 2026. A model that is not listed (gemini-2.5-flash, withdrawn on
// 2026-12-01) answers 404 NOT_FOUND with Google's own message; models of generation 3.6 and later refuse
// the deprecated sampling parameters (temperature, topP, topK) with 400 INVALID_ARGUMENT naming the field,
// in a google.rpc.BadRequest detail as well as in the message.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "fake_gemini.hpp"
#include "loopback_server.hpp"

namespace gemini_test {
namespace {

void send_json(httplib::Response& res, int status, const json::value& body) {
  res.status = status;
  res.set_content(json::serialize(body), "application/json");
}

// "gemini-3.8-flash" -> {3, 8}; nullopt for names without a generation (aliases, other families).
std::optional<std::pair<unsigned, unsigned>> generation_of(std::string_view id) {
  if (!id.starts_with("gemini-")) return std::nullopt;
  id.remove_prefix(7);
  unsigned major = 0;
  unsigned minor = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), major);
  if (ec != std::errc{} || end == id.data()) return std::nullopt;
  if (end < id.data() + id.size() && *end == '.') {
    const char* start = end + 1;
    const auto minor_read = std::from_chars(start, id.data() + id.size(), minor);
    if (minor_read.ec != std::errc{} || minor_read.ptr == start) return std::nullopt;
  }
  return std::pair{major, minor};
}

std::string display_name_of(const std::string& id) {
  std::string name;
  bool word_start = true;
  for (const char c : id) {
    if (c == '-') {
      name += ' ';
      word_start = true;
      continue;
    }
    name += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    word_start = false;
  }
  return name;
}

// The sampling parameters of a generateContent body, in the spelling the body used.
std::vector<std::string> sampling_fields(const json::object& body) {
  std::vector<std::string> fields;
  for (const char* config_key : {"generationConfig", "generation_config"}) {
    const auto* config = body.if_contains(config_key);
    if (config == nullptr || !config->is_object()) continue;
    for (const char* key : {"temperature", "topP", "top_p", "topK", "top_k"}) {
      if (config->get_object().contains(key)) fields.emplace_back(key);
    }
  }
  return fields;
}

std::string snake_case(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

json::object gemini_model(const std::string& id, json::array methods) {
  const auto generation = generation_of(id);
  const std::string base = id.substr(0, id.find("-preview"));
  return json::object{{"name", "models/" + id},
                      {"baseModelId", base},
                      {"version", generation ? "001" : "latest"},
                      {"displayName", display_name_of(id)},
                      {"description", display_name_of(id) + " (fake)"},
                      {"inputTokenLimit", 1048576},
                      {"outputTokenLimit", 65536},
                      {"supportedGenerationMethods", std::move(methods)}};
}

json::array default_gemini_models() {
  return json::array{gemini_model("gemini-3.5-flash"),
                     gemini_model("gemini-3.8-pro"),
                     gemini_model("gemini-3.9-flash-preview"),
                     gemini_model("gemini-flash-latest"),
                     gemini_model("gemini-3.8-flash-lite"),
                     gemini_model("text-embedding-004", json::array{"embedContent"}),
                     gemini_model("gemini-3.8-flash")};
}

json::object model_not_found(const std::string& model) {
  return gemini_error(404, "NOT_FOUND",
                      "models/" + model +
                          " is not found for API version v1beta, or is not supported for generateContent. "
                          "Call ListModels to see the list of available models and their supported methods.");
}

void FakeGemini::set_models(json::array models) {
  std::lock_guard lock(mutex_);
  models_ = std::move(models);
}

void FakeGemini::withdraw_model(const std::string& id) {
  std::lock_guard lock(mutex_);
  const std::string name = "models/" + id;
  auto& models = models_;
  models.erase(std::remove_if(models.begin(), models.end(),
                              [&](const json::value& model) { return model.at("name").as_string() == name; }),
               models.end());
}

void FakeGemini::reroute_model(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  reroutes_[from] = to;
}

std::size_t FakeGemini::models_listings() const {
  const auto pages = requests(kModels);
  return static_cast<std::size_t>(std::count_if(pages.begin(), pages.end(), [](const RecordedRequest& r) {
    return r.target.find("pageToken") == std::string::npos;
  }));
}

std::optional<Reply> FakeGemini::refusal_of(const std::string& model, const json::object& body,
                                            std::string& answered_by) const {
  std::lock_guard lock(mutex_);
  answered_by = model;
  if (const auto reroute = reroutes_.find(model); reroute != reroutes_.end()) answered_by = reroute->second;
  const std::string name = "models/" + answered_by;
  const bool listed = std::any_of(models_.begin(), models_.end(), [&](const json::value& entry) {
    const auto& methods = entry.at("supportedGenerationMethods").as_array();
    return entry.at("name").as_string() == name &&
           std::find(methods.begin(), methods.end(), json::value("generateContent")) != methods.end();
  });
  if (!listed) return Reply{404, model_not_found(model)};

  const auto generation = generation_of(answered_by);
  const auto fields = sampling_fields(body);
  if (!generation || *generation < std::pair{3u, 6u} || fields.empty()) return std::nullopt;
  const std::string field = "generation_config." + snake_case(fields.front());
  const std::string message = "* GenerateContentRequest." + field + ": " + snake_case(fields.front()) +
                              " is not supported by models/" + answered_by +
                              "; sampling parameters are deprecated on Gemini 3.6 and later models.";
  return Reply{
      400,
      gemini_error(
          400, "INVALID_ARGUMENT", message,
          json::array{json::object{
              {"@type", "type.googleapis.com/google.rpc.BadRequest"},
              {"fieldViolations", json::array{json::object{{"field", field}, {"description", message}}}}}})};
}

void FakeGemini::handle_models(const httplib::Request& req, httplib::Response& res) {
  record(kModels, req, {});
  if (!check_gemini_key(req, res) || scripted_reply(kModels, res)) return;
  std::size_t page_size;
  json::array all;
  {
    std::lock_guard lock(mutex_);
    page_size = models_page_size_;
    all = models_;
  }
  if (req.has_param("pageSize"))
    page_size = std::min<std::size_t>(page_size, std::stoul(req.get_param_value("pageSize")));
  std::size_t start = 0;
  if (req.has_param("pageToken")) {
    const std::string token = req.get_param_value("pageToken");
    if (!token.starts_with("fake-page-")) {
      send_json(res, 400, gemini_error(400, "INVALID_ARGUMENT", "Invalid page token."));
      return;
    }
    start = std::stoul(token.substr(10));
  }
  json::array page;
  for (std::size_t i = start; i < all.size() && page.size() < page_size; ++i) page.push_back(all[i]);
  json::object answer{{"models", std::move(page)}};
  if (start + page_size < all.size())
    answer["nextPageToken"] = "fake-page-" + std::to_string(start + page_size);
  send_json(res, 200, answer);
}

}  // namespace gemini_test
