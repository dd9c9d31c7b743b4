#include "fake_gemini.hpp"

#include "loopback_server.hpp"

#include <optional>
#include <stdexcept>

namespace gemini_test {
namespace {

void send_json(httplib::Response& res, int status, const json::value& body) {
  res.status = status;
  res.set_content(json::serialize(body), "application/json");
}

std::optional<json::object> parse_object(const std::string& body) {
  boost::system::error_code ec;
  auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  return parsed.get_object();
}

const json::value* find(const json::object& o, const char* key) {
  return o.if_contains(key);
}

std::string string_of(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object invalid_argument(const std::string& message) {
  return gemini_error(400, "INVALID_ARGUMENT", message);
}

// Checks a generateContent body the way the real API does (field names and types); "" when fine.
std::string gemini_body_problem(const json::object& body) {
  const auto* contents = find(body, "contents");
  if (contents == nullptr || !contents->is_array() || contents->get_array().empty())
    return "* GenerateContentRequest.contents: contents is not specified";
  for (const auto& content : contents->get_array()) {
    if (!content.is_object()) return "Invalid value at 'contents'";
    const auto* parts = find(content.get_object(), "parts");
    if (parts == nullptr || !parts->is_array() || parts->get_array().empty())
      return "* GenerateContentRequest.contents.parts: contents.parts must not be empty.";
    for (const auto& part : parts->get_array()) {
      if (!part.is_object()) return "Invalid value at 'contents.parts'";
      const auto& p = part.get_object();
      if (const auto* inline_data = find(p, "inlineData")) {
        if (!inline_data->is_object() || string_of(inline_data->get_object(), "mimeType").empty() ||
            string_of(inline_data->get_object(), "data").empty())
          return "Invalid value at 'contents.parts.inline_data'";
        try {
          unbase64(string_of(inline_data->get_object(), "data"));
        } catch (const std::exception&) {
          return "Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES), Base64 decoding "
                 "failed";
        }
      } else if (const auto* file_data = find(p, "fileData")) {
        if (!file_data->is_object() || string_of(file_data->get_object(), "fileUri").empty() ||
            string_of(file_data->get_object(), "mimeType").empty())
          return "Invalid value at 'contents.parts.file_data'";
      } else if (find(p, "text") == nullptr || !find(p, "text")->is_string()) {
        return "Invalid JSON payload received. Unknown name in 'contents.parts'";
      }
    }
  }
  if (const auto* config = find(body, "generationConfig")) {
    if (!config->is_object()) return "Invalid value at 'generation_config'";
    const auto& c = config->get_object();
    if (find(c, "responseJsonSchema") != nullptr && string_of(c, "responseMimeType") != "application/json")
      return "responseJsonSchema requires responseMimeType application/json";
  }
  return {};
}

// The fileUri of the first fileData part, if any.
std::optional<std::string> video_of(const json::object& body) {
  const auto* contents = find(body, "contents");
  if (contents == nullptr || !contents->is_array()) return std::nullopt;
  for (const auto& content : contents->get_array()) {
    const auto* parts = content.is_object() ? find(content.get_object(), "parts") : nullptr;
    if (parts == nullptr || !parts->is_array()) continue;
    for (const auto& part : parts->get_array()) {
      const auto* data = part.is_object() ? find(part.get_object(), "fileData") : nullptr;
      if (data != nullptr && data->is_object()) return string_of(data->get_object(), "fileUri");
    }
  }
  return std::nullopt;
}

}  // namespace

// ---- bodies ----

json::object gemini_answer(const std::string& text, const std::string& finish_reason) {
  json::array parts;
  if (!text.empty()) parts.push_back(json::object{{"text", text}});
  json::object candidate{{"content", json::object{{"role", "model"}, {"parts", std::move(parts)}}},
                         {"finishReason", finish_reason},
                         {"index", 0}};
  return json::object{{"candidates", json::array{std::move(candidate)}},
                      {"usageMetadata", json::object{{"promptTokenCount", 1400},
                                                     {"candidatesTokenCount", 80},
                                                     {"thoughtsTokenCount", 300},
                                                     {"totalTokenCount", 1780}}},
                      {"modelVersion", "gemini-3.8-flash"},
                      {"responseId", "fake-response"}};
}

json::object gemini_error(int code, const std::string& status, const std::string& message,
                          json::array details) {
  json::object error{{"code", code}, {"message", message}, {"status", status}};
  if (!details.empty()) error["details"] = std::move(details);
  return json::object{{"error", std::move(error)}};
}

json::object quota_failure(const std::string& quota_id) {
  return json::object{
      {"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
      {"violations",
       json::array{json::object{
           {"quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests"},
           {"quotaId", quota_id},
           {"quotaDimensions", json::object{{"model", "gemini-3.8-flash"}}},
           {"quotaValue", "10"}}}}};
}

json::object retry_info(const std::string& delay) {
  return json::object{{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", delay}};
}

json::object chat_answer(const std::string& text, const std::string& finish_reason) {
  return json::object{
      {"id", "chatcmpl-fake"},
      {"object", "chat.completion"},
      {"created", 1764370000},
      {"model", "llava:13b"},
      {"choices",
       json::array{json::object{{"index", 0},
                                {"message", json::object{{"role", "assistant"}, {"content", text}}},
                                {"finish_reason", finish_reason}}}},
      {"usage", json::object{{"prompt_tokens", 900}, {"completion_tokens", 40}, {"total_tokens", 940}}}};
}

json::object openai_error(const std::string& message, const std::string& type, const std::string& code) {
  return json::object{
      {"error", json::object{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int shift : {18, 12, 6, 0}) out.push_back(alphabet[(v >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = bytes[i] << 16;
    if (i + 1 < bytes.size()) v |= bytes[i + 1] << 8;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::vector<std::uint8_t> unbase64(const std::string& text) {
  if (text.size() % 4 != 0) throw std::invalid_argument("base64 length is not a multiple of 4");
  std::vector<std::uint8_t> out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+')
      value = 62;
    else if (c == '/')
      value = 63;
    else if (c == '=' && i + 2 >= text.size())
      break;
    else
      throw std::invalid_argument("not base64");
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

// ---- server ----

FakeGemini::FakeGemini()
    : http_(std::make_unique<mcpd_test::loopback_server>()), models_(default_gemini_models()) {
  install_routes();
  http_->start();
}

FakeGemini::~FakeGemini() {
  http_->stop();
}

std::string FakeGemini::base_url() const {
  return http_->url();
}
std::string FakeGemini::openai_base_url() const {
  return base_url() + "/openai/v1";
}

void FakeGemini::push_reply(const std::string& route, Reply reply, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) replies_[route].push_back(reply);
}

void FakeGemini::set_models_page_size(std::size_t size) {
  std::lock_guard lock(mutex_);
  models_page_size_ = size;
}

void FakeGemini::set_openai_requires_key(bool required) {
  std::lock_guard lock(mutex_);
  openai_requires_key_ = required;
}

std::vector<RecordedRequest> FakeGemini::requests(const std::string& route) const {
  std::lock_guard lock(mutex_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.route == route) out.push_back(r);
  }
  return out;
}

std::size_t FakeGemini::request_count(const std::string& route) const {
  return requests(route).size();
}

std::vector<ReceivedImage> FakeGemini::gemini_images(const json::object& body) {
  std::vector<ReceivedImage> images;
  std::string pending_label;
  for (const auto& content : body.at("contents").as_array()) {
    for (const auto& part : content.at("parts").as_array()) {
      const auto& p = part.as_object();
      if (const auto* inline_data = p.if_contains("inlineData")) {
        const auto& data = inline_data->as_object();
        images.push_back({pending_label, string_of(data, "mimeType"), unbase64(string_of(data, "data"))});
        pending_label.clear();
      } else {
        pending_label = string_of(p, "text");
      }
    }
  }
  return images;
}

std::vector<ReceivedImage> FakeGemini::chat_images(const json::object& body) {
  std::vector<ReceivedImage> images;
  std::string pending_label;
  for (const auto& message : body.at("messages").as_array()) {
    const auto* content = message.as_object().if_contains("content");
    if (content == nullptr || !content->is_array()) continue;
    for (const auto& item : content->as_array()) {
      const auto& i = item.as_object();
      if (string_of(i, "type") == "image_url") {
        const std::string url = string_of(i.at("image_url").as_object(), "url");
        const auto semicolon = url.find(';');
        const auto comma = url.find(',');
        if (!url.starts_with("data:") || semicolon == std::string::npos || comma == std::string::npos)
          throw std::runtime_error("image_url is not a data: URL");
        images.push_back({pending_label, url.substr(5, semicolon - 5), unbase64(url.substr(comma + 1))});
        pending_label.clear();
      } else {
        pending_label = string_of(i, "text");
      }
    }
  }
  return images;
}

void FakeGemini::record(const std::string& route, const httplib::Request& req, const std::string& model) {
  RecordedRequest r;
  r.route = route;
  r.method = req.method;
  r.target = req.target;
  r.body = req.body;
  r.api_key_header = req.get_header_value("x-goog-api-key");
  r.authorization = req.get_header_value("Authorization");
  r.model = model;
  r.received_at = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(r));
}

bool FakeGemini::scripted_reply(const std::string& route, httplib::Response& res) {
  Reply reply;
  {
    std::lock_guard lock(mutex_);
    auto& queue = replies_[route];
    if (queue.empty()) return false;
    reply = queue.front();
    queue.pop_front();
  }
  if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
  send_json(res, reply.status, reply.body);
  return true;
}

bool FakeGemini::check_gemini_key(const httplib::Request& req, httplib::Response& res) {
  // The key belongs in the header; a key in the URL would end up in proxies' and servers' logs.
  if (req.target.find("key=") != std::string::npos) {
    send_json(res, 400, invalid_argument("test fake: the API key must not be sent in the URL"));
    return false;
  }
  const std::string key = req.get_header_value("x-goog-api-key");
  if (key.empty()) {
    send_json(
        res, 403,
        gemini_error(403, "PERMISSION_DENIED",
                     "Method doesn't allow unregistered callers (callers without established identity). "
                     "Please use API Key or other form of API consumer identity to call this API."));
    return false;
  }
  if (key != kApiKey) {
    send_json(res, 400,
              gemini_error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                           json::array{json::object{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                                    {"reason", "API_KEY_INVALID"},
                                                    {"domain", "googleapis.com"}}}));
    return false;
  }
  return true;
}

bool FakeGemini::check_openai_key(const httplib::Request& req, httplib::Response& res) {
  bool required;
  {
    std::lock_guard lock(mutex_);
    required = openai_requires_key_;
  }
  if (!required) return true;
  if (req.get_header_value("Authorization") != std::string("Bearer ") + kOpenAiKey) {
    send_json(res, 401,
              openai_error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
    return false;
  }
  return true;
}

void FakeGemini::set_file_processing(int polls_until_active, bool fails) {
  std::lock_guard lock(mutex_);
  polls_until_active_ = polls_until_active;
  processing_fails_ = fails;
}

void FakeGemini::finish_processing() {
  std::lock_guard lock(mutex_);
  for (auto& [name, file] : files_) file.polls_until_active = 0;
}

std::vector<UploadedFile> FakeGemini::uploaded_files() const {
  std::lock_guard lock(mutex_);
  std::vector<UploadedFile> out;
  for (const auto& [name, file] : files_) out.push_back(file);
  return out;
}

namespace {

json::object file_resource(const UploadedFile& file, const std::string& base, const std::string& state) {
  json::object resource{{"name", file.name},
                        {"mimeType", file.mime_type},
                        {"sizeBytes", std::to_string(file.bytes.size())},
                        {"uri", base + "/v1beta/" + file.name},
                        {"state", state}};
  if (state == "FAILED")
    resource["error"] = json::object{{"code", 3}, {"message", "Video could not be processed."}};
  return resource;
}

}  // namespace

void FakeGemini::install_file_routes() {
  // Start: key required; the upload URL that comes back carries its own authorization (upload_id).
  // Bytes: the same path with ?upload_id=, "upload, finalize" at offset 0.
  http_->routes().Post("/upload/v1beta/files", [this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("upload_id")) {
      record(kUploadStart, req, {});
      if (!check_gemini_key(req, res) || scripted_reply(kUploadStart, res)) return;
      if (req.get_header_value("X-Goog-Upload-Protocol") != "resumable" ||
          req.get_header_value("X-Goog-Upload-Command") != "start") {
        send_json(res, 400, invalid_argument("Upload protocol headers missing."));
        return;
      }
      const std::string mime = req.get_header_value("X-Goog-Upload-Header-Content-Type");
      const std::string length = req.get_header_value("X-Goog-Upload-Header-Content-Length");
      if (mime.empty() || length.empty()) {
        send_json(res, 400, invalid_argument("X-Goog-Upload-Header-Content-Length and -Type are required."));
        return;
      }
      std::string id;
      {
        std::lock_guard lock(mutex_);
        id = "fake-upload-" + std::to_string(next_id_++);
        upload_sessions_[id] = {mime, std::stoul(length)};
      }
      res.status = 200;
      res.set_header("X-Goog-Upload-URL",
                     base_url() + "/upload/v1beta/files?upload_id=" + id + "&upload_protocol=resumable");
      res.set_header("X-Goog-Upload-Status", "active");
      return;
    }
    record(kUploadBytes, req, {});
    if (scripted_reply(kUploadBytes, res)) return;
    std::lock_guard lock(mutex_);
    const auto session = upload_sessions_.find(req.get_param_value("upload_id"));
    if (session == upload_sessions_.end()) {
      send_json(res, 404, gemini_error(404, "NOT_FOUND", "Upload session not found."));
      return;
    }
    if (req.get_header_value("X-Goog-Upload-Command") != "upload, finalize" ||
        req.get_header_value("X-Goog-Upload-Offset") != "0" || req.body.size() != session->second.second) {
      send_json(res, 400, invalid_argument("Upload must send all the announced bytes from offset 0."));
      return;
    }
    UploadedFile file;
    file.name = "files/" + std::to_string(next_id_++) + "abc";
    file.mime_type = session->second.first;
    file.bytes = req.body;
    file.polls_until_active = polls_until_active_;
    file.fails = processing_fails_;
    files_[file.name] = file;
    upload_sessions_.erase(session);
    res.set_header("X-Goog-Upload-Status", "final");
    send_json(res, 200, json::object{{"file", file_resource(file, base_url(), "PROCESSING")}});
  });
  http_->routes().Get(
      R"(/v1beta/(files/[a-z0-9]+))", [this](const httplib::Request& req, httplib::Response& res) {
        record(kFileStatus, req, {});
        if (!check_gemini_key(req, res) || scripted_reply(kFileStatus, res)) return;
        std::lock_guard lock(mutex_);
        auto file = files_.find(req.matches[1]);
        if (file == files_.end() || file->second.deleted) {
          send_json(res, 404,
                    gemini_error(404, "NOT_FOUND", "File " + std::string(req.matches[1]) + " not found."));
          return;
        }
        std::string state = "PROCESSING";
        if (file->second.polls_until_active > 0) {
          --file->second.polls_until_active;
        } else {
          state = file->second.fails ? "FAILED" : "ACTIVE";
        }
        send_json(res, 200, file_resource(file->second, base_url(), state));
      });
  http_->routes().Delete(R"(/v1beta/(files/[a-z0-9]+))",
                         [this](const httplib::Request& req, httplib::Response& res) {
                           record(kFileDelete, req, {});
                           if (!check_gemini_key(req, res)) return;
                           std::lock_guard lock(mutex_);
                           auto file = files_.find(req.matches[1]);
                           if (file == files_.end() || file->second.deleted) {
                             send_json(res, 404, gemini_error(404, "NOT_FOUND", "File not found."));
                             return;
                           }
                           file->second.deleted = true;
                           send_json(res, 200, json::object{});
                         });
}

void FakeGemini::install_routes() {
  install_file_routes();
  http_->routes().Post(
      R"(/v1beta/models/([^/:]+):generateContent)",
      [this](const httplib::Request& req, httplib::Response& res) { handle_generate(req, res); });
  http_->routes().Get("/v1beta/models", [this](const httplib::Request& req, httplib::Response& res) {
    handle_models(req, res);
  });
  http_->routes().Post(
      "/openai/v1/chat/completions",
      [this](const httplib::Request& req, httplib::Response& res) { handle_chat(req, res); });
  http_->routes().Get("/openai/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
    record(kOpenAiModels, req, {});
    if (!check_openai_key(req, res) || scripted_reply(kOpenAiModels, res)) return;
    send_json(res, 200,
              json::object{
                  {"object", "list"},
                  {"data",
                   json::array{
                       json::object{{"id", "llava:13b"}, {"object", "model"}, {"owned_by", "library"}},
                       json::object{{"id", "qwen2.5vl:7b"}, {"object", "model"}, {"owned_by", "library"}}}}});
  });
}

void FakeGemini::handle_generate(const httplib::Request& req, httplib::Response& res) {
  const std::string model = req.matches[1];
  record(kGenerate, req, model);
  if (!check_gemini_key(req, res)) return;
  const auto body = parse_object(req.body);
  if (!body) {
    send_json(res, 400, invalid_argument("Invalid JSON payload received."));
    return;
  }
  if (auto problem = gemini_body_problem(*body); !problem.empty()) {
    send_json(res, 400, invalid_argument(problem));
    return;
  }
  std::string answered_by;
  if (const auto refusal = refusal_of(model, *body, answered_by)) {
    send_json(res, refusal->status, refusal->body);
    return;
  }
  if (scripted_reply(kGenerate, res)) return;
  if (auto video = video_of(*body)) {
    std::lock_guard lock(mutex_);
    const std::string prefix = base_url() + "/v1beta/";
    auto file = video->starts_with(prefix) ? files_.find(video->substr(prefix.size())) : files_.end();
    if (file == files_.end() || file->second.deleted) {
      send_json(res, 403,
                gemini_error(403, "PERMISSION_DENIED",
                             "You do not have permission to access the File or it may not exist."));
      return;
    }
    if (file->second.polls_until_active > 0 || file->second.fails) {
      send_json(res, 400, invalid_argument("The File " + file->second.name + " is not in an ACTIVE state."));
      return;
    }
    auto answer = gemini_answer("I see a video of " + std::to_string(file->second.bytes.size()) + " bytes.");
    answer["modelVersion"] = answered_by;
    send_json(res, 200, answer);
    return;
  }
  const auto images = gemini_images(*body);
  auto answer = gemini_answer("I see " + std::to_string(images.size()) + " images.");
  answer["modelVersion"] = answered_by;
  send_json(res, 200, answer);
}

void FakeGemini::handle_chat(const httplib::Request& req, httplib::Response& res) {
  const auto body = parse_object(req.body);
  record(kChat, req, body ? string_of(*body, "model") : std::string());
  if (!check_openai_key(req, res)) return;
  if (!body || find(*body, "messages") == nullptr || string_of(*body, "model").empty()) {
    send_json(
        res, 400,
        openai_error("'messages' and 'model' are required", "invalid_request_error", "invalid_request"));
    return;
  }
  if (scripted_reply(kChat, res)) return;
  std::size_t count = 0;
  try {
    count = chat_images(*body).size();
  } catch (const std::exception& e) {
    send_json(res, 400, openai_error(e.what(), "invalid_request_error", "invalid_image_url"));
    return;
  }
  auto answer = chat_answer("I see " + std::to_string(count) + " images.");
  answer["model"] = string_of(*body, "model");
  send_json(res, 200, answer);
}

}  // namespace gemini_test
