// mcp_load_driver: drives one MCP server with one workload and prints one JSON line per measurement.
//
//   mcp_load_driver --workload W [options] -- SERVER COMMAND...     stdio: spawns the server
//   mcp_load_driver --workload W --url http://HOST:PORT/mcp [--pid PID] [options]
//   mcp_load_driver --responder stdio | --responder http [--port P]  a trivial server: the driver's ceiling
//
// Workloads: startup (spawn to the first answer, ms), seq (sequential tools/call latency), pipelined (K
// calls in flight over stdio), echo_bytes and image (S-byte payloads, latency), list (tools/list, every
// page), http_conc (N keep-alive connections, one thread each), rss (VmRSS idle, then under pipelined or
// http_conc load). Every answer is checked (id, result, echoed text, image bytes, tool count); a wrong or
// missing answer counts as an error and the exit status is 1. See README.md.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <thread>
#include <unordered_map>

#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wire.hpp"

namespace mcp_load {
namespace {

// ---------------------------------------------------------------------------------------------------------
// Options

struct options {
  std::string workload;
  std::string responder;  // "stdio" or "http": run a trivial server instead of driving one
  int port = 0;
  era e = era::modern;
  std::string url;
  pid_t pid = 0;
  std::vector<std::string> server;  // the stdio server's argv
  std::string echo_tool = "bench_echo";
  std::string image_tool = "bench_image";
  double duration = 2.0;
  double warmup = 0.5;
  std::size_t size = 64;
  int inflight = 16;
  int connections = 16;
  int repeat = 5;
  int min_calls = 5;
  std::size_t expect_tools = 1000;
  std::string expect_session = "any";  // "yes", "no" or "any" (legacy HTTP)
  std::string label;
};

[[noreturn]] void usage(const std::string& message) {
  std::ostream& out = message.empty() ? std::cout : std::cerr;
  if (!message.empty()) out << "mcp_load_driver: " << message << "\n";
  out << "usage: mcp_load_driver --workload startup|seq|pipelined|echo_bytes|image|list|http_conc|rss\n"
         "         [--era modern|legacy] [--duration S] [--warmup S] [--size BYTES] [--inflight K]\n"
         "         [--connections N] [--repeat N] [--min-calls N] [--expect-tools N]\n"
         "         [--expect-session yes|no|any] [--echo-tool NAME] [--image-tool NAME] [--label TEXT]\n"
         "         (-- SERVER COMMAND... | --url http://HOST:PORT/PATH [--pid PID])\n"
         "       mcp_load_driver --responder stdio | --responder http [--port P]\n"
         "       mcp_load_driver --free-port      (prints a free loopback TCP port)\n"
         "Prints one JSON object per measurement on stdout; exit status 1 when an answer was wrong.\n";
  std::exit(message.empty() ? 0 : 2);
}

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      for (++i; i < argc; ++i) o.server.emplace_back(argv[i]);
      break;
    }
    if (a == "--help" || a == "-h") {
      usage("");
    }
    if (a == "--free-port") {
      o.responder = "free-port";
      continue;
    }
    if (i + 1 >= argc) usage(a + " needs a value");
    const std::string v = argv[++i];
    if (a == "--workload")
      o.workload = v;
    else if (a == "--responder")
      o.responder = v;
    else if (a == "--port")
      o.port = std::stoi(v);
    else if (a == "--era") {
      if (v != "modern" && v != "legacy") usage("--era must be modern or legacy");
      o.e = v == "modern" ? era::modern : era::legacy;
    } else if (a == "--url")
      o.url = v;
    else if (a == "--pid")
      o.pid = static_cast<pid_t>(std::stol(v));
    else if (a == "--echo-tool")
      o.echo_tool = v;
    else if (a == "--image-tool")
      o.image_tool = v;
    else if (a == "--duration")
      o.duration = std::stod(v);
    else if (a == "--warmup")
      o.warmup = std::stod(v);
    else if (a == "--size")
      o.size = std::stoull(v);
    else if (a == "--inflight")
      o.inflight = std::stoi(v);
    else if (a == "--connections")
      o.connections = std::stoi(v);
    else if (a == "--repeat")
      o.repeat = std::stoi(v);
    else if (a == "--min-calls")
      o.min_calls = std::stoi(v);
    else if (a == "--expect-tools")
      o.expect_tools = std::stoull(v);
    else if (a == "--expect-session")
      o.expect_session = v;
    else if (a == "--label")
      o.label = v;
    else
      usage("unknown option " + a);
  }
  if (!o.responder.empty()) {
    if (o.responder != "stdio" && o.responder != "http" && o.responder != "free-port")
      usage("--responder must be stdio or http");
    return o;
  }
  static const std::vector<std::string> kWorkloads = {"startup", "seq",  "pipelined", "echo_bytes",
                                                      "image",   "list", "http_conc", "rss"};
  if (std::find(kWorkloads.begin(), kWorkloads.end(), o.workload) == kWorkloads.end())
    usage("--workload is missing or unknown");
  if (o.url.empty() == o.server.empty()) usage("give either a server command after -- or --url");
  if (!o.url.empty() && (o.workload == "startup" || o.workload == "pipelined"))
    usage(o.workload + " is a stdio workload (an HTTP server is started by the script)");
  if (o.url.empty() && o.workload == "http_conc") usage("http_conc needs --url");
  if (o.inflight < 1 || o.connections < 1 || o.repeat < 1) usage("counts must be at least 1");
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// Clients: one request, one checked answer

/// A client that has done its era's opening (initialize + initialized, or server/discover).
class client {
 public:
  virtual ~client() = default;
  /// Sends `request` (JSON text, no newline) and returns the text of the response with id `id`.
  virtual std::string roundtrip(std::string request, std::uint64_t id, std::string_view method,
                                std::string_view name) = 0;
  virtual pid_t server_pid() const = 0;
  /// The Content-Type of the last HTTP answer ("" over stdio).
  virtual std::string content_type() const { return {}; }
  std::uint64_t next_id() { return next_id_++; }
  /// The next id will be at least `id` (after ids were used outside next_id()).
  void skip_ids_below(std::uint64_t id) { next_id_ = std::max(next_id_, id); }

  /// The era's opening exchange; throws when the server does not answer it properly.
  void open(era e) {
    const std::uint64_t id = next_id();
    json::value storage;
    if (e == era::legacy) {
      const auto result = checked_result(roundtrip(initialize_text(id), id, "initialize", ""), id, storage);
      if (!result.contains("protocolVersion"))
        throw wire_error("initialize answered without protocolVersion");
      notify(initialized_notification_text());
    } else {
      const auto result = checked_result(
          roundtrip(request_text(e, id, "server/discover", ""), id, "server/discover", ""), id, storage);
      const auto* versions = result.if_contains("supportedVersions");
      if (versions == nullptr || !versions->is_array() ||
          std::find(versions->get_array().begin(), versions->get_array().end(),
                    json::value(kModernVersion)) == versions->get_array().end())
        throw wire_error("server/discover does not list " + std::string(kModernVersion));
    }
  }

 protected:
  virtual void notify(std::string notification) = 0;

 private:
  std::uint64_t next_id_ = 1;
};

class stdio_client final : public client {
 public:
  explicit stdio_client(const std::vector<std::string>& argv) : child_(argv) {}
  std::string roundtrip(std::string request, std::uint64_t /*id*/, std::string_view,
                        std::string_view) override {
    request += '\n';
    write_all(child_.stdin_fd(), request);
    for (;;) {
      auto line = child_.out().read_line();
      if (!line) throw wire_error("the server closed its stdout (exited?)");
      // Skip notifications and server requests (a top-level "method"); the payloads never hold that key.
      if (line->find("\"method\"") == std::string::npos || !json::parse(*line).as_object().contains("method"))
        return std::move(*line);
    }
  }
  pid_t server_pid() const override { return child_.pid(); }
  child_process& child() { return child_; }

 protected:
  void notify(std::string notification) override {
    notification += '\n';
    write_all(child_.stdin_fd(), notification);
  }

 private:
  child_process child_;
};

class http_client final : public client {
 public:
  http_client(const options& o)
      : connection_(o.url), era_(o.e), pid_(o.pid), expect_session_(o.expect_session) {}

  std::string roundtrip(std::string request, std::uint64_t id, std::string_view method,
                        std::string_view name) override {
    std::vector<std::string> headers;
    if (era_ == era::modern) {
      headers.push_back("MCP-Protocol-Version: " + std::string(kModernVersion));
      headers.push_back("Mcp-Method: " + std::string(method));
      if (!name.empty()) headers.push_back("Mcp-Name: " + std::string(name));
    } else if (method != "initialize") {
      headers.push_back("MCP-Protocol-Version: " + std::string(kLegacyVersion));
      if (!session_.empty()) headers.push_back("Mcp-Session-Id: " + session_);
    }
    const auto answer = connection_.post(headers, request);
    content_type_ = answer.content_type;
    if (answer.status != 200)
      throw wire_error(std::string(method) + " (id " + std::to_string(id) + ") answered HTTP " +
                       std::to_string(answer.status) + ": " + answer.body.substr(0, 300));
    if (method == "initialize") {
      session_ = answer.session_id;
      if (expect_session_ == "yes" && session_.empty())
        throw wire_error("initialize returned no Mcp-Session-Id, but a sessionful server was expected");
      if (expect_session_ == "no" && !session_.empty())
        throw wire_error("initialize returned an Mcp-Session-Id, but a stateless server was expected");
    }
    return response_in_http_body(answer);
  }
  pid_t server_pid() const override { return pid_; }
  std::string content_type() const override { return content_type_; }

 protected:
  void notify(std::string notification) override {
    std::vector<std::string> headers{"MCP-Protocol-Version: " + std::string(kLegacyVersion)};
    if (!session_.empty()) headers.push_back("Mcp-Session-Id: " + session_);
    const auto answer = connection_.post(headers, notification);
    if (answer.status != 202 && answer.status != 200 && answer.status != 204)
      throw wire_error("notifications/initialized answered HTTP " + std::to_string(answer.status));
  }

 private:
  http_connection connection_;
  era era_;
  pid_t pid_;
  std::string expect_session_;
  std::string session_;
  std::string content_type_;
};

std::unique_ptr<client> connect(const options& o) {
  std::unique_ptr<client> c;
  if (o.url.empty())
    c = std::make_unique<stdio_client>(o.server);
  else
    c = std::make_unique<http_client>(o);
  c->open(o.e);
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Checks of results

/// Counts answers that arrived but are wrong (the first few are described on stderr).
struct error_count {
  std::atomic<std::uint64_t> count{0};
  void add(const std::string& why) {
    if (count.fetch_add(1) < 5) std::cerr << "mcp_load_driver: wrong answer: " << why << "\n";
  }
};

const json::object* first_content(const json::object& result, std::string& why) {
  const auto* content = result.if_contains("content");
  if (content == nullptr || !content->is_array() || content->get_array().size() != 1 ||
      !content->get_array()[0].is_object()) {
    why = "not exactly one content block in " + json::serialize(result).substr(0, 200);
    return nullptr;
  }
  if (const auto* type = result.if_contains("resultType"); type != nullptr && *type != "complete") {
    why = "resultType is not \"complete\": " + json::serialize(*type);
    return nullptr;
  }
  if (const auto* is_error = result.if_contains("isError");
      is_error && is_error->is_bool() && is_error->get_bool()) {
    why = "isError result: " + json::serialize(result).substr(0, 300);
    return nullptr;
  }
  return &content->get_array()[0].get_object();
}

/// Checks one tools/call result; returns an empty string when it is right.
using result_check = std::function<std::string(const json::object& result)>;

result_check echo_check(std::string expected) {
  return [expected = std::move(expected)](const json::object& result) -> std::string {
    std::string why;
    const auto* block = first_content(result, why);
    if (block == nullptr) return why;
    const auto* type = block->if_contains("type");
    const auto* text = block->if_contains("text");
    if (type == nullptr || *type != "text" || text == nullptr || !text->is_string())
      return "not a text block";
    if (text->get_string() != expected)
      return "echoed text differs (" + std::to_string(text->get_string().size()) + " bytes instead of " +
             std::to_string(expected.size()) + ")";
    return {};
  };
}

result_check image_check(std::string expected_base64) {
  return [expected = std::move(expected_base64)](const json::object& result) -> std::string {
    std::string why;
    const auto* block = first_content(result, why);
    if (block == nullptr) return why;
    const auto* type = block->if_contains("type");
    const auto* mime = block->if_contains("mimeType");
    const auto* data = block->if_contains("data");
    if (type == nullptr || *type != "image" || mime == nullptr || *mime != "image/png" || data == nullptr ||
        !data->is_string())
      return "not an image/png block";
    if (data->get_string() != expected)
      return "image data differs (" + std::to_string(data->get_string().size()) +
             " base64 characters instead of " + std::to_string(expected.size()) + ")";
    return {};
  };
}

// ---------------------------------------------------------------------------------------------------------
// Measurements

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

/// Samples a process's VmRSS while it lives, keeping the largest value.
class rss_sampler {
 public:
  explicit rss_sampler(pid_t pid) : pid_(pid) {
    if (pid_ > 0)
      thread_ = std::thread([this] {
        while (!stop_.load()) {
          const auto kib = rss_kib(pid_);
          auto seen = peak_.load();
          while (kib > seen && !peak_.compare_exchange_weak(seen, kib)) {
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      });
  }
  ~rss_sampler() { finish(); }
  std::uint64_t finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (pid_ > 0) peak_ = std::max<std::uint64_t>(peak_, rss_kib(pid_));
    return peak_;
  }

 private:
  pid_t pid_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> peak_{0};
  std::thread thread_;
};

/// One measurement, printed as one JSON line.
struct report {
  json::object fields;
  report(const options& o, std::string_view workload) {
    fields["label"] = o.label;
    fields["workload"] = workload;
    fields["transport"] = o.url.empty() ? "stdio" : "http";
    fields["era"] = o.e == era::modern ? "modern" : "legacy";
  }
  void print() const { std::cout << json::serialize(fields) << std::endl; }
};

void add_latencies(report& r, const std::vector<double>& micros, double seconds) {
  r.fields["calls"] = micros.size();
  r.fields["seconds"] = seconds;
  r.fields["calls_per_s"] = seconds > 0 ? static_cast<double>(micros.size()) / seconds : 0.0;
  r.fields["p50_us"] = percentile(micros, 0.50);
  r.fields["p99_us"] = percentile(micros, 0.99);
  r.fields["p50_ms"] = percentile(micros, 0.50) / 1000.0;
}

/// Makes request `id` and returns the method and the name its HTTP headers carry.
struct call_maker {
  std::function<std::string(std::uint64_t id)> text;
  std::string method = "tools/call";
  std::string name;
  result_check check;
};

/// Sequential calls for `duration` seconds (and at least `min_calls` calls); latencies in µs.
std::vector<double> run_sequential(client& c, const call_maker& make, double duration, int min_calls,
                                   error_count& errors) {
  std::vector<double> micros;
  const auto start = clock_type::now();
  while (seconds_since(start) < duration || static_cast<int>(micros.size()) < min_calls) {
    const std::uint64_t id = c.next_id();
    std::string request = make.text(id);
    const auto t0 = clock_type::now();
    const std::string answer = c.roundtrip(std::move(request), id, make.method, make.name);
    const auto t1 = clock_type::now();
    json::value storage;
    const auto result = checked_result(answer, id, storage);
    if (auto why = make.check(result); !why.empty()) errors.add(why);
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  return micros;
}

/// `inflight` calls outstanding at all times over one stdio pipe for `duration` seconds; answers checked
/// by id (each id answered once). Returns the number of answers and the seconds they took (the last ones
/// included).
std::pair<std::uint64_t, double> run_pipelined(stdio_client& c, const call_maker& make, int inflight,
                                               double duration, error_count& errors) {
  std::counting_semaphore<1 << 20> slots(inflight);
  std::atomic<bool> stop{false}, writer_done{false};
  std::mutex pending_mutex;
  std::unordered_map<std::uint64_t, bool> pending;
  std::atomic<std::uint64_t> sent{0};
  std::exception_ptr writer_error;
  const std::uint64_t first_id = c.next_id();
  std::thread writer([&] {
    try {
      for (std::uint64_t id = first_id; !stop.load(); ++id) {
        slots.acquire();
        if (stop.load()) break;
        std::string request = make.text(id);
        request += '\n';
        {
          std::lock_guard lock(pending_mutex);
          pending.emplace(id, true);
          sent.fetch_add(1);  // before the write: the reader never waits for an answer not yet counted
        }
        write_all(c.child().stdin_fd(), request);
      }
    } catch (...) {
      writer_error = std::current_exception();
      stop = true;
    }
    writer_done = true;
  });
  std::uint64_t answered = 0;
  const auto start = clock_type::now();
  try {
    for (;;) {
      if (!stop.load() && seconds_since(start) >= duration) {
        stop = true;
        slots.release(inflight);  // wake the writer so that it sees `stop`
      }
      if (stop.load() && answered == sent.load()) {
        if (writer_done.load() && answered == sent.load()) break;
        std::this_thread::yield();
        continue;
      }
      auto line = c.child().out().read_line();
      if (!line) throw wire_error("the server closed its stdout (exited?)");
      json::value message = json::parse(*line);
      const auto id = response_id(message);
      if (!id) continue;  // a notification
      {
        std::lock_guard lock(pending_mutex);
        if (pending.erase(*id) != 1)
          throw wire_error("an answer to id " + std::to_string(*id) + " that is not pending");
      }
      const auto& object = message.get_object();
      if (const auto* result = object.if_contains("result"); result != nullptr && result->is_object()) {
        if (auto why = make.check(result->get_object()); !why.empty()) errors.add(why);
      } else {
        errors.add("id " + std::to_string(*id) + " answered without a result: " + line->substr(0, 200));
      }
      ++answered;
      slots.release();
    }
  } catch (...) {
    stop = true;
    slots.release(inflight);
    c.child().stop(std::chrono::milliseconds(0));  // a blocked write fails once the server is gone
    writer.join();
    throw;
  }
  const double elapsed = seconds_since(start);
  writer.join();
  if (writer_error) std::rethrow_exception(writer_error);
  c.skip_ids_below(first_id + sent.load());
  return {answered, elapsed};
}

struct concurrent_result {
  std::vector<double> micros;
  double seconds = 0;
};

/// Calls in a loop on every client, one thread each, for `duration` seconds.
concurrent_result run_concurrent(std::vector<std::unique_ptr<client>>& clients, const call_maker& make,
                                 double duration, error_count& errors) {
  std::vector<std::vector<double>> per_thread(clients.size());
  std::vector<std::exception_ptr> failures(clients.size());
  std::vector<std::thread> threads;
  const auto start = clock_type::now();
  for (std::size_t i = 0; i < clients.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        per_thread[i] = run_sequential(*clients[i], make, duration, 1, errors);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  concurrent_result out;
  out.seconds = seconds_since(start);
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
  for (auto& v : per_thread) out.micros.insert(out.micros.end(), v.begin(), v.end());
  return out;
}

call_maker echo_call(const options& o, era e, std::size_t size) {
  auto payload = std::make_shared<std::string>(text_payload(size));
  auto arguments = std::make_shared<std::string>("{\"text\":" + quoted(*payload) + "}");
  call_maker m;
  m.name = o.echo_tool;
  m.text = [e, tool = o.echo_tool, arguments](std::uint64_t id) {
    return tools_call_text(e, id, tool, *arguments);
  };
  m.check = echo_check(*payload);
  return m;
}

call_maker image_call(const options& o, era e, std::size_t size) {
  call_maker m;
  m.name = o.image_tool;
  const std::string arguments = "{\"bytes\":" + std::to_string(size) + "}";
  m.text = [e, tool = o.image_tool, arguments](std::uint64_t id) {
    return tools_call_text(e, id, tool, arguments);
  };
  m.check = image_check(base64(image_payload(size)));
  return m;
}

/// tools/list, following nextCursor to the end; checks the number of tools.
std::vector<double> run_list(client& c, const options& o, double duration, int min_calls,
                             error_count& errors) {
  std::vector<double> micros;
  const auto start = clock_type::now();
  while (seconds_since(start) < duration || static_cast<int>(micros.size()) < min_calls) {
    const auto t0 = clock_type::now();
    std::size_t tools = 0;
    std::string cursor;
    do {
      const std::uint64_t id = c.next_id();
      const std::string members = cursor.empty() ? "" : "\"cursor\":" + quoted(cursor);
      json::value storage;
      const auto result = checked_result(
          c.roundtrip(request_text(o.e, id, "tools/list", members), id, "tools/list", ""), id, storage);
      const auto* list = result.if_contains("tools");
      if (list == nullptr || !list->is_array()) throw wire_error("tools/list answered without tools");
      tools += list->get_array().size();
      const auto* next = result.if_contains("nextCursor");
      cursor = next != nullptr && next->is_string() ? std::string(next->get_string()) : "";
    } while (!cursor.empty());
    micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
    if (tools != o.expect_tools)
      errors.add("tools/list listed " + std::to_string(tools) + " tools, expected " +
                 std::to_string(o.expect_tools));
  }
  return micros;
}

int run_workload(const options& o) {
  error_count errors;
  report r(o, o.workload);
  if (o.workload == "startup") {
    std::vector<double> millis;
    for (int i = 0; i < o.repeat; ++i) {
      const auto t0 = clock_type::now();
      stdio_client c(o.server);
      c.open(o.e);
      millis.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
      c.child().stop(std::chrono::milliseconds(300));
    }
    r.fields["runs"] = millis.size();
    r.fields["p50_ms"] = percentile(millis, 0.5);
    r.fields["min_ms"] = *std::min_element(millis.begin(), millis.end());
    r.fields["max_ms"] = *std::max_element(millis.begin(), millis.end());
  } else if (o.workload == "http_conc" || (o.workload == "rss" && !o.url.empty())) {
    const std::uint64_t idle = o.pid > 0 ? rss_kib(o.pid) : 0;
    const auto make = echo_call(o, o.e, 16);
    if (o.workload == "http_conc" || o.duration > 0) {
      // Each connection opens its own session (legacy) or none (modern), as N separate clients would.
      std::vector<std::unique_ptr<client>> clients;
      for (int i = 0; i < o.connections; ++i) clients.push_back(connect(o));
      run_concurrent(clients, make, o.warmup, errors);
      rss_sampler sampler(o.pid);
      const auto result = run_concurrent(clients, make, o.duration, errors);
      r.fields["rss_load_kib"] = sampler.finish();
      add_latencies(r, result.micros, result.seconds);
      r.fields["connections"] = o.connections;
      r.fields["content_type"] = clients.front()->content_type();
    }
    if (o.pid > 0) r.fields["rss_idle_kib"] = idle;
  } else {
    auto c = connect(o);
    std::this_thread::sleep_for(std::chrono::milliseconds(o.workload == "rss" ? 200 : 0));
    const pid_t pid = c->server_pid();
    if (pid > 0) r.fields["rss_idle_kib"] = rss_kib(pid);
    if (o.workload == "pipelined" || o.workload == "rss") {
      auto& stdio = dynamic_cast<stdio_client&>(*c);
      const int inflight = o.workload == "rss" ? 64 : o.inflight;
      const auto make = echo_call(o, o.e, 16);
      if (o.duration > 0) {
        run_pipelined(stdio, make, inflight, o.warmup, errors);
        rss_sampler sampler(pid);
        const auto [answered, seconds] = run_pipelined(stdio, make, inflight, o.duration, errors);
        r.fields["rss_load_kib"] = sampler.finish();
        r.fields["calls"] = answered;
        r.fields["seconds"] = seconds;
        r.fields["calls_per_s"] = static_cast<double>(answered) / seconds;
        r.fields["inflight"] = inflight;
      }
    } else {
      std::vector<double> micros;
      std::optional<rss_sampler> sampler;
      const auto measure = [&](const auto& run) {
        run(o.warmup, 1);
        sampler.emplace(pid);
        const auto start = clock_type::now();
        micros = run(o.duration, o.min_calls);
        const double seconds = seconds_since(start);
        r.fields["rss_load_kib"] = sampler->finish();
        add_latencies(r, micros, seconds);
      };
      if (o.workload == "list") {
        measure([&](double d, int m) { return run_list(*c, o, d, m, errors); });
      } else {
        const auto make = o.workload == "image"        ? image_call(o, o.e, o.size)
                          : o.workload == "echo_bytes" ? echo_call(o, o.e, o.size)
                                                       : echo_call(o, o.e, 16);
        measure([&](double d, int m) { return run_sequential(*c, make, d, m, errors); });
      }
      if (o.workload == "echo_bytes" || o.workload == "image") r.fields["size"] = o.size;
      if (!o.url.empty()) r.fields["content_type"] = c->content_type();
    }
    if (auto* stdio = dynamic_cast<stdio_client*>(c.get())) stdio->child().stop(std::chrono::seconds(2));
  }
  r.fields["errors"] = errors.count.load();
  r.print();
  if (errors.count.load() > 0) {
    std::cerr << "mcp_load_driver: " << errors.count.load() << " wrong answers (" << o.label << " "
              << o.workload << ")\n";
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------------
// Responders: canned, correct answers with as little work as possible (the driver's ceiling)

/// The text after `key` up to the next unescaped '"' (the driver's strings need no unescaping).
std::string_view string_after(std::string_view message, std::string_view key, std::size_t from = 0) {
  const auto at = message.find(key, from);
  if (at == std::string_view::npos) return {};
  const std::size_t begin = at + key.size();
  std::size_t end = begin;
  while (end < message.size() && message[end] != '"') end += message[end] == '\\' ? 2 : 1;
  return message.substr(begin, std::min(end, message.size()) - begin);
}

std::string_view number_after(std::string_view message, std::string_view key) {
  const auto at = message.find(key);
  if (at == std::string_view::npos) return {};
  std::size_t end = at + key.size();
  while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
  return message.substr(at + key.size(), end - at - key.size());
}

class canned_answers {
 public:
  canned_answers() {
    tools_list_ = "{\"tools\":[";
    for (int i = 0; i < 1000; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "bench_many_t%04d", i);
      if (i > 0) tools_list_ += ',';
      tools_list_ +=
          "{\"name\":\"" + std::string(name) +
          "\",\"description\":\"Looks up records.\",\"inputSchema\":{\"type\":\"object\",\"properties\":"
          "{\"query\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"query\"]}}";
    }
    tools_list_ += "]}";
  }

  /// The response line (no newline) to one request; empty for a notification.
  std::string answer(std::string_view request) {
    const auto id = number_after(request, "\"id\":");
    if (id.empty()) return {};
    const auto method = string_after(request, "\"method\":\"");
    std::string out = "{\"jsonrpc\":\"2.0\",\"id\":";
    out += id;
    out += ",\"result\":";
    if (method == "initialize") {
      out +=
          R"({"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"responder","version":"1"}})";
    } else if (method == "server/discover") {
      out +=
          R"({"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{}},"ttlMs":0,"cacheScope":"public"})";
    } else if (method == "tools/list") {
      out += tools_list_;
    } else if (method == "tools/call") {
      const auto name = string_after(request, "\"name\":\"");
      if (name.ends_with("image")) {
        out += "{\"content\":[{\"type\":\"image\",\"mimeType\":\"image/png\",\"data\":\"";
        out += image(std::stoull(std::string(number_after(request, "\"bytes\":"))));
        out += "\"}]}";
      } else {
        out += "{\"content\":[{\"type\":\"text\",\"text\":\"";
        out += string_after(request, "\"text\":\"", request.find("\"arguments\""));
        out += "\"}]}";
      }
    } else {
      out += "{}";
    }
    out += '}';
    return out;
  }

 private:
  const std::string& image(std::size_t size) {
    std::lock_guard lock(mutex_);
    auto& slot = images_[size];
    if (slot.empty() && size > 0) slot = base64(image_payload(size));
    return slot;
  }
  std::string tools_list_;
  std::mutex mutex_;
  std::map<std::size_t, std::string> images_;
};

int respond_stdio() {
  canned_answers answers;
  fd_reader in(0, std::chrono::hours(24));
  // Answers to requests that arrived together leave together, as a good server's do.
  std::string out;
  while (auto line = in.read_line()) {
    const std::string answer = answers.answer(*line);
    if (!answer.empty()) out.append(answer).push_back('\n');
    if (!out.empty() && !in.line_buffered()) {
      write_all(1, out);
      out.clear();
    }
  }
  if (!out.empty()) write_all(1, out);
  return 0;
}

void serve_http_connection(int fd, canned_answers& answers) {
  fd_reader in(fd, std::chrono::hours(24));
  try {
    while (auto request_line = in.read_line()) {
      std::size_t length = 0;
      while (auto header = in.read_line()) {
        if (header->empty()) break;
        if (header->size() > 15 && strncasecmp(header->c_str(), "content-length:", 15) == 0)
          length = std::strtoull(header->c_str() + 15, nullptr, 10);
      }
      std::string body;
      in.read_exact(length, body);
      const std::string answer = answers.answer(body);
      std::string head;
      if (answer.empty()) {
        head = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
      } else {
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(answer.size()) + "\r\n";
        if (string_after(body, "\"method\":\"") == "initialize")
          head += "Mcp-Session-Id: responder-session\r\n";
        head += "\r\n";
      }
      iovec parts[2] = {{head.data(), head.size()}, {const_cast<char*>(answer.data()), answer.size()}};
      if (answer.size() + head.size() < 64 * 1024) {
        if (::writev(fd, parts, 2) != static_cast<ssize_t>(head.size() + answer.size())) break;
      } else {
        write_all(fd, head);
        write_all(fd, answer);
      }
    }
  } catch (const std::exception&) {
  }
  ::close(fd);
}

/// A loopback port nobody listens on right now (for servers started on a port chosen by the script).
int print_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    std::perror("mcp_load_driver: bind");
    return 1;
  }
  std::cout << ntohs(address.sin_port) << std::endl;
  ::close(fd);
  return 0;
}

int respond_http(int port) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 256) != 0) {
    std::perror("mcp_load_driver: bind");
    return 1;
  }
  socklen_t size = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size);
  std::cerr << "listening " << ntohs(address.sin_port) << std::endl;
  canned_answers answers;
  for (;;) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      std::perror("mcp_load_driver: accept");
      return 1;
    }
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(serve_http_connection, fd, std::ref(answers)).detach();
  }
}

}  // namespace
}  // namespace mcp_load

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  // The driver builds and parses megabyte messages: without this each one is a fresh mmap faulted in page
  // by page, and the driver's own cost would hide the servers' (the same setting mcpd uses).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  const auto o = mcp_load::parse_options(argc, argv);
  try {
    if (o.responder == "stdio") return mcp_load::respond_stdio();
    if (o.responder == "http") return mcp_load::respond_http(o.port);
    if (o.responder == "free-port") return mcp_load::print_free_port();
    return mcp_load::run_workload(o);
  } catch (const std::exception& e) {
    std::cerr << "mcp_load_driver: " << (o.label.empty() ? "" : o.label + " ") << o.workload << ": "
              << e.what() << "\n";
    return 1;
  }
}
