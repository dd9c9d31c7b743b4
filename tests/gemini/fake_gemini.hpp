// Stand-ins for the model providers, for tests: cpp-httplib on 127.0.0.1 (a free port) in the test process,
// speaking the real request and response shapes (shared/reference/gemini-and-video.md, sections 1 and 5).
//
//   POST /v1beta/models/{model}:generateContent   Gemini; key in the x-goog-api-key header only
//   GET  /v1beta/models?pageSize=&pageToken=       Gemini's model list, in pages (fake_gemini_models.cpp)
//   POST /openai/v1/chat/completions               an OpenAI-compatible server; Authorization: Bearer
//   GET  /openai/v1/models                         its model list
//   POST /upload/v1beta/files                      Files API: start a resumable upload (X-Goog-Upload-URL)
//   POST /upload/v1beta/files?upload_id=...        the bytes, "upload, finalize" (no key needed)
//   GET  /v1beta/files/{id}  DELETE ...            the file's state (PROCESSING, then ACTIVE); delete
//
// Like the real services they refuse a wrong or missing key with the real error bodies and refuse
// malformed request bodies with 400 INVALID_ARGUMENT. Like Gemini in December 2026, generateContent answers
// only the models it lists: any other (a withdrawn gemini-2.5-flash) gets 404 NOT_FOUND, and models of
// generation 3.6 and later refuse temperature, topP and topK with 400 INVALID_ARGUMENT. By default
// generateContent answers "I see N images."
// so a test can tell what arrived; push_reply() scripts the next answers of a route (any status and body,
// a delay). Everything received is recorded, inline images decoded, for assertions.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mcpd_test {
class loopback_server;
}  // namespace mcpd_test

namespace gemini_test {

namespace json = boost::json;

// Route names for scripting and observation.
inline constexpr const char* kGenerate = "generate";
inline constexpr const char* kModels = "models";
inline constexpr const char* kChat = "chat";
inline constexpr const char* kOpenAiModels = "openai_models";
inline constexpr const char* kUploadStart = "upload_start";
inline constexpr const char* kUploadBytes = "upload_bytes";
inline constexpr const char* kFileStatus = "file_status";
inline constexpr const char* kFileDelete = "file_delete";

// A file uploaded through the Files API, as the fake keeps it.
struct UploadedFile {
  std::string name;  // files/<id>
  std::string mime_type;
  std::string bytes;
  int polls_until_active = 1;  // status requests that still answer PROCESSING
  bool fails = false;          // processing ends in FAILED instead of ACTIVE
  bool deleted = false;
};

struct Reply {
  int status = 200;
  json::value body;
  std::chrono::milliseconds delay{0};
};

struct ReceivedImage {
  std::string label;  // the text part right before it, if any
  std::string mime_type;
  std::vector<std::uint8_t> bytes;  // decoded from base64
};

struct RecordedRequest {
  std::string route;
  std::string method;
  std::string target;  // as sent, query included
  std::string body;
  std::string api_key_header;  // x-goog-api-key
  std::string authorization;
  std::string model;  // from the path (Gemini) or the body (OpenAI)
  std::chrono::steady_clock::time_point received_at;
};

class FakeGemini {
 public:
  static constexpr const char* kApiKey = "AIzaFakeGeminiKey0123456789abcdefXYZ";
  static constexpr const char* kOpenAiKey = "sk-fakeopenai-9876543210-secret";

  FakeGemini();
  ~FakeGemini();
  FakeGemini(const FakeGemini&) = delete;
  FakeGemini& operator=(const FakeGemini&) = delete;

  std::string base_url() const;         // http://127.0.0.1:<port>, Gemini's api_base_url
  std::string openai_base_url() const;  // base_url() + "/openai/v1"

  // The next requests of `route` get `reply` (after the key check), `times` times; later ones the default.
  void push_reply(const std::string& route, Reply reply, int times = 1);
  // Most models per page of GET /v1beta/models (default 3, so the 7 default models take 3 pages).
  void set_models_page_size(std::size_t size);
  // Replaces the models GET /v1beta/models lists (gemini_model() entries). generateContent answers only
  // listed models; any other gets Google's 404 NOT_FOUND, as a withdrawn model does.
  void set_models(json::array models);
  // Takes `id` off the list: from now on generateContent for it answers 404 NOT_FOUND, like a model Google
  // withdrew.
  void withdraw_model(const std::string& id);
  // generateContent for `from` (listed or not) is answered by `to`, whose name comes back as modelVersion:
  // how Google reroutes some withdrawn models.
  void reroute_model(const std::string& from, const std::string& to);
  // Listings of the models so far: GET /v1beta/models requests without a pageToken (first pages).
  std::size_t models_listings() const;
  // Whether the OpenAI-compatible routes demand the Bearer key (default true); false is a local server.
  void set_openai_requires_key(bool required);

  // Files API: how many status polls answer PROCESSING before ACTIVE (default 1), or that processing
  // fails (state FAILED with an error) for the next uploads.
  void set_file_processing(int polls_until_active, bool fails = false);
  // Files uploaded so far that are still PROCESSING answer ACTIVE from their next status request on.
  void finish_processing();
  // Every file uploaded so far, deleted ones included.
  std::vector<UploadedFile> uploaded_files() const;

  std::vector<RecordedRequest> requests(const std::string& route) const;
  std::size_t request_count(const std::string& route) const;

  // The images of a generateContent / chat.completions body, decoded, with their labels.
  static std::vector<ReceivedImage> gemini_images(const json::object& body);
  static std::vector<ReceivedImage> chat_images(const json::object& body);

 private:
  void install_routes();
  void record(const std::string& route, const httplib::Request& req, const std::string& model);
  bool scripted_reply(const std::string& route, httplib::Response& res);
  bool check_gemini_key(const httplib::Request& req, httplib::Response& res);
  bool check_openai_key(const httplib::Request& req, httplib::Response& res);
  void handle_generate(const httplib::Request& req, httplib::Response& res);
  void handle_models(const httplib::Request& req, httplib::Response& res);
  // What the real API answers generateContent for `model` with `body` instead of an answer: 404 for a model
  // it does not offer, 400 for sampling parameters a 3.6+ model refuses. Sets `answered_by` otherwise.
  std::optional<Reply> refusal_of(const std::string& model, const json::object& body,
                                  std::string& answered_by) const;
  void handle_chat(const httplib::Request& req, httplib::Response& res);
  void install_file_routes();

  std::unique_ptr<mcpd_test::loopback_server> http_;

  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Reply>> replies_;
  std::vector<RecordedRequest> requests_;
  std::size_t models_page_size_ = 3;
  json::array models_;
  std::map<std::string, std::string> reroutes_;
  bool openai_requires_key_ = true;
  std::map<std::string, UploadedFile> files_;                                   // by name
  std::map<std::string, std::pair<std::string, std::size_t>> upload_sessions_;  // id -> mime, size
  int polls_until_active_ = 1;
  bool processing_fails_ = false;
  int next_id_ = 1;
};

// ---- bodies with the real shapes ----

// A GET /v1beta/models entry: name "models/<id>", baseModelId, version, displayName, description, token
// limits and supportedGenerationMethods.
json::object gemini_model(const std::string& id, json::array methods = {"generateContent", "countTokens"});
// The models listed by default, in this order: gemini-3.5-flash, gemini-3.8-pro, gemini-3.9-flash-preview,
// gemini-flash-latest, gemini-3.8-flash-lite, text-embedding-004 (embedContent only), gemini-3.8-flash.
// The newest stable Flash model comes last, so choosing it takes every page.
json::array default_gemini_models();
// Google's 404 NOT_FOUND for a model it does not offer for generateContent.
json::object model_not_found(const std::string& model);

// A generateContent answer: one candidate with `text`, `finish_reason`, usage 1400/80/300/1780, modelVersion
// gemini-3.8-flash.
json::object gemini_answer(const std::string& text, const std::string& finish_reason = "STOP");
// {"error": {code, message, status, details}}
json::object gemini_error(int code, const std::string& status, const std::string& message,
                          json::array details = {});
json::object quota_failure(const std::string& quota_id);  // google.rpc.QuotaFailure detail
json::object retry_info(const std::string& delay);        // google.rpc.RetryInfo detail, e.g. "0.8s"
// A chat.completions answer with `text` and `finish_reason`, usage 900/40/940.
json::object chat_answer(const std::string& text, const std::string& finish_reason = "stop");
// {"error": {message, type, code}}
json::object openai_error(const std::string& message, const std::string& type, const std::string& code);

// Base64 (standard alphabet) for building arguments and checking what arrived.
std::string base64(const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> unbase64(const std::string& text);

}  // namespace gemini_test
