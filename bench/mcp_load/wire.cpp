#include "wire.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mcp_load {

namespace {

[[noreturn]] void fail_errno(const std::string& what) {
  throw wire_error(what + ": " + std::strerror(errno));
}

constexpr std::size_t kReadChunk = 256 * 1024;  // the first buffer, and the growth step
constexpr std::size_t kMinRead = 64 * 1024;     // room kept free for one read

}  // namespace

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("write");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// ---------------------------------------------------------------------------------------------------------
// fd_reader

bool fd_reader::fill() {
  if (begin_ == end_) begin_ = end_ = 0;
  if (buffer_.size() - end_ < kMinRead) {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() - end_ < kMinRead) buffer_.resize(std::max(buffer_.size() * 2, end_ + kReadChunk));
  }
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout_.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      fail_errno("poll");
    }
    if (ready == 0) throw wire_error("no answer within " + std::to_string(timeout_.count() / 1000) + " s");
    const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail_errno("read");
    }
    end_ += static_cast<std::size_t>(n);
    return n > 0;
  }
}

std::optional<std::string> fd_reader::read_line() {
  std::size_t scanned = 0;  // bytes after begin_ known to hold no '\n'
  for (;;) {
    const char* from = buffer_.data() + begin_;
    if (const void* nl = std::memchr(from + scanned, '\n', end_ - begin_ - scanned)) {
      std::size_t length = static_cast<const char*>(nl) - from;
      begin_ += length + 1;
      if (length > 0 && from[length - 1] == '\r') --length;
      return std::string(from, length);
    }
    scanned = end_ - begin_;
    if (!fill()) {
      if (begin_ == end_) return std::nullopt;
      std::string rest(buffer_.data() + begin_, end_ - begin_);
      begin_ = end_;
      return rest;
    }
  }
}

void fd_reader::read_exact(std::size_t n, std::string& out) {
  out.reserve(out.size() + n);
  while (n > 0) {
    if (begin_ == end_ && !fill()) throw wire_error("connection closed in the middle of a message");
    const std::size_t take = std::min(n, end_ - begin_);
    out.append(buffer_.data() + begin_, take);
    begin_ += take;
    n -= take;
  }
}

void fd_reader::read_to_end(std::string& out) {
  for (;;) {
    out.append(buffer_.data() + begin_, end_ - begin_);
    begin_ = end_;
    if (!fill()) return;
  }
}

// ---------------------------------------------------------------------------------------------------------
// child_process

child_process::child_process(const std::vector<std::string>& argv) {
  if (argv.empty()) throw wire_error("no server command given (after --)");
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) fail_errno("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  if (rc != 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    throw wire_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  in_ = to_child[1];
  out_ = from_child[0];
  reader_.reset(out_);
}

child_process::~child_process() {
  try {
    stop(std::chrono::milliseconds(500));
  } catch (...) {
  }
}

int child_process::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return 0;
  if (in_ >= 0) ::close(in_);
  in_ = -1;
  int status = 0;
  const auto wait_until = [&](clock_type::time_point deadline) {
    while (clock_type::now() < deadline) {
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || r < 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  };
  if (!wait_until(clock_type::now() + grace)) {
    ::kill(pid_, SIGTERM);
    if (!wait_until(clock_type::now() + std::chrono::seconds(2))) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  if (out_ >= 0) ::close(out_);
  out_ = -1;
  pid_ = -1;
  return status;
}

std::uint64_t rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------------
// http_connection

http_connection::http_connection(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme) throw wire_error("only http:// URLs are supported");
  url.remove_prefix(scheme.size());
  const auto slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  path_ = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) throw wire_error("the URL needs a port");
  host_ = std::string(authority.substr(0, colon));
  port_ = std::string(authority.substr(colon + 1));
  open();
}

http_connection::~http_connection() {
  if (fd_ >= 0) ::close(fd_);
}

void http_connection::open() {
  if (fd_ >= 0) ::close(fd_);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found); rc != 0)
    throw wire_error("cannot resolve " + host_ + ": " + ::gai_strerror(rc));
  fd_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::connect(fd_, found->ai_addr, found->ai_addrlen) != 0) {
    ::freeaddrinfo(found);
    fail_errno("cannot connect to " + host_ + ":" + port_);
  }
  ::freeaddrinfo(found);
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  reader_.reset(fd_);
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

}  // namespace

http_connection::response http_connection::post(const std::vector<std::string>& headers,
                                                std::string_view body) {
  std::string head = "POST " + path_ + " HTTP/1.1\r\nHost: " + host_ + ":" + port_ +
                     "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                     "Content-Length: " +
                     std::to_string(body.size()) + "\r\n";
  for (const auto& h : headers) head += h + "\r\n";
  head += "\r\n";
  // One writev: no delay between headers and body with TCP_NODELAY.
  const auto send = [&] {
    iovec parts[2] = {{head.data(), head.size()}, {const_cast<char*>(body.data()), body.size()}};
    std::size_t total = head.size() + body.size(), sent = 0;
    while (sent < total) {
      iovec now[2];
      int count = 0;
      std::size_t skip = sent;
      for (auto& p : parts) {
        if (skip >= p.iov_len) {
          skip -= p.iov_len;
          continue;
        }
        now[count++] = {static_cast<char*>(p.iov_base) + skip, p.iov_len - skip};
        skip = 0;
      }
      const ssize_t n = ::writev(fd_, now, count);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      sent += static_cast<std::size_t>(n);
    }
    return true;
  };
  if (!send()) {
    open();  // the server closed the idle connection: one retry on a fresh one
    if (!send()) fail_errno("send");
  }

  response r;
  auto status_line = reader_.read_line();
  if (!status_line) {
    open();
    if (!send()) fail_errno("send");
    status_line = reader_.read_line();
    if (!status_line) throw wire_error("the server closed the connection without answering");
  }
  if (status_line->size() < 12 || status_line->rfind("HTTP/1.", 0) != 0)
    throw wire_error("not an HTTP status line: " + status_line->substr(0, 80));
  r.status = std::atoi(status_line->c_str() + 9);
  std::optional<std::size_t> length;
  bool chunked = false, close = false;
  for (;;) {
    auto line = reader_.read_line();
    if (!line) throw wire_error("connection closed inside the response headers");
    if (line->empty()) break;
    const auto colon = line->find(':');
    if (colon == std::string::npos) continue;
    const std::string name = lower(std::string_view(*line).substr(0, colon));
    const std::string_view value = trim(std::string_view(*line).substr(colon + 1));
    if (name == "content-length")
      length = std::strtoull(std::string(value).c_str(), nullptr, 10);
    else if (name == "transfer-encoding")
      chunked = lower(value).find("chunked") != std::string::npos;
    else if (name == "connection")
      close = lower(value) == "close";
    else if (name == "content-type")
      r.content_type = lower(value);
    else if (name == "mcp-session-id")
      r.session_id = std::string(value);
  }
  if (chunked) {
    for (;;) {
      auto size_line = reader_.read_line();
      if (!size_line) throw wire_error("connection closed inside a chunked body");
      const std::size_t size = std::strtoull(size_line->c_str(), nullptr, 16);
      if (size == 0) {
        while (auto trailer = reader_.read_line()) {
          if (trailer->empty()) break;
        }
        break;
      }
      reader_.read_exact(size, r.body);
      std::string crlf;
      reader_.read_exact(2, crlf);
    }
  } else if (length) {
    reader_.read_exact(*length, r.body);
  } else if (r.status != 204 && r.status != 202 && r.status != 304) {
    reader_.read_to_end(r.body);
    close = true;
  }
  if (close) {
    ::close(fd_);
    fd_ = -1;
    open();
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// MCP messages

std::string quoted(std::string_view text) {
  return json::serialize(json::string_view(text.data(), text.size()));
}

std::string modern_meta() {
  return "{\"io.modelcontextprotocol/protocolVersion\":\"" + std::string(kModernVersion) +
         "\",\"io.modelcontextprotocol/clientCapabilities\":{},"
         "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"mcp_load\",\"version\":\"1\"}}";
}

std::string request_text(era e, std::uint64_t id, std::string_view method, std::string_view params_members) {
  std::string out = "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":\"";
  out += method;
  out += "\",\"params\":{";
  out += params_members;
  if (e == era::modern) {
    if (!params_members.empty()) out += ',';
    out += "\"_meta\":" + modern_meta();
  }
  out += "}}";
  return out;
}

std::string initialize_text(std::uint64_t id) {
  return request_text(era::legacy, id, "initialize",
                      "\"protocolVersion\":\"" + std::string(kLegacyVersion) +
                          "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp_load\",\"version\":\"1\"}");
}

std::string initialized_notification_text() {
  return R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
}

std::string tools_call_text(era e, std::uint64_t id, std::string_view tool, std::string_view arguments_json) {
  std::string members = "\"name\":" + quoted(tool) + ",\"arguments\":";
  members += arguments_json;
  return request_text(e, id, "tools/call", members);
}

std::string response_in_http_body(const http_connection::response& r) {
  if (r.content_type.rfind("text/event-stream", 0) != 0) return r.body;
  // SSE: events end with a blank line; an event's data lines join with '\n'. The response is the event
  // whose JSON has an "id" and a "result" or "error" (notifications come first).
  std::string data;
  std::size_t pos = 0;
  const auto flush = [&]() -> std::optional<std::string> {
    if (data.empty()) return std::nullopt;
    std::string event = std::move(data);
    data.clear();
    if (event.find("\"result\"") == std::string::npos && event.find("\"error\"") == std::string::npos)
      return std::nullopt;
    return event;
  };
  while (pos < r.body.size()) {
    std::size_t end = r.body.find('\n', pos);
    if (end == std::string::npos) end = r.body.size();
    std::string_view line(r.body.data() + pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (line.empty()) {
      if (auto event = flush()) return *event;
    } else if (line.rfind("data:", 0) == 0) {
      line.remove_prefix(5);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (!data.empty()) data += '\n';
      data += line;
    }
  }
  if (auto event = flush()) return *event;
  throw wire_error("the event stream (HTTP " + std::to_string(r.status) + ") held no response");
}

std::optional<std::uint64_t> response_id(const json::value& message) {
  const auto* object = message.if_object();
  if (object == nullptr || object->contains("method")) return std::nullopt;
  const auto* id = object->if_contains("id");
  if (id == nullptr) return std::nullopt;
  if (id->is_uint64()) return id->get_uint64();
  if (id->is_int64() && id->get_int64() >= 0) return static_cast<std::uint64_t>(id->get_int64());
  throw wire_error("a response with an id the driver never sends: " + json::serialize(*id));
}

json::object checked_result(std::string_view response_text, std::uint64_t id, json::value& storage) {
  boost::system::error_code ec;
  storage = json::parse(response_text, ec);
  if (ec) throw wire_error("an answer that is not JSON: " + std::string(response_text.substr(0, 200)));
  const auto got = response_id(storage);
  if (!got || *got != id)
    throw wire_error("expected the response to id " + std::to_string(id) +
                     ", got: " + std::string(response_text.substr(0, 200)));
  const auto& object = storage.get_object();
  if (const auto* error = object.if_contains("error"))
    throw wire_error("error response to id " + std::to_string(id) + ": " + json::serialize(*error));
  const auto* result = object.if_contains("result");
  if (result == nullptr || !result->is_object())
    throw wire_error("response to id " + std::to_string(id) + " without a result object");
  return result->get_object();
}

// ---------------------------------------------------------------------------------------------------------
// Payloads

std::string image_payload(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + 17) % 251);
  return bytes;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const std::uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string text_payload(std::size_t size) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,";
  std::string out(size, ' ');
  for (std::size_t i = 0; i < size; ++i) out[i] = kAlphabet[(i * 7 + i / 64) % kAlphabet.size()];
  return out;
}

}  // namespace mcp_load
