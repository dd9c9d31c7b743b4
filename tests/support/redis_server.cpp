#include "redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mcpd_test {
namespace {

using namespace std::chrono_literals;

std::string find_redis_server() {
  std::vector<std::string> candidates;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (!dir.empty()) candidates.push_back(dir + "/redis-server");
    }
  }
  candidates.insert(candidates.end(), {"/usr/bin/redis-server", "/usr/sbin/redis-server"});
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error(
      "redis-server is not installed, and the Redis task store tests need it: run scripts/install-deps.sh "
      "(it installs Debian's redis-server; the tests start their own on a free loopback port)");
}

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// True once the server answers PING on `port`.
bool answers_ping(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    constexpr char kPing[] = "PING\r\n";
    char reply[64] = {};
    // "+PONG", or "-NOAUTH ..." from a server with a password: either way it serves.
    ok = ::send(fd, kPing, sizeof(kPing) - 1, MSG_NOSIGNAL) > 0 &&
         ::recv(fd, reply, sizeof(reply) - 1, 0) > 0 &&
         (reply[0] == '+' || std::string(reply).starts_with("-NOAUTH"));
  }
  ::close(fd);
  return ok;
}

}  // namespace

RedisServer::RedisServer(std::vector<std::string> extra_args)
    : executable_(find_redis_server()), extra_args_(std::move(extra_args)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "mcpd-redis-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  dir_ = pattern;
  // A port found free can be taken before redis-server binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    if (try_start()) return;
  }
  const std::string logged = log();
  std::filesystem::remove_all(dir_);
  throw std::runtime_error("redis-server did not start: " + logged);
}

RedisServer::~RedisServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool RedisServer::try_start() {
  std::vector<std::string> args = {
      executable_, "--port", std::to_string(port_), "--bind",    "127.0.0.1",
      "--save",    "",       "--appendonly",        "no",        "--daemonize",
      "no",        "--dir",  dir_.string(),         "--logfile", (dir_ / "redis.log").string()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Dies with the test process, so a crashed test leaves no server behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::close_range(3, ~0U, 0);  // no test connection of ours lives on in the server
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (answers_ping(port_)) return true;
    std::this_thread::sleep_for(20ms);
  }
  stop();
  throw std::runtime_error("redis-server did not answer PING within 10 s: " + log());
}

void RedisServer::start() {
  if (pid_ > 0) return;
  if (!try_start())
    throw std::runtime_error("redis-server did not start again on port " + address() + ": " + log());
}

void RedisServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);  // in case a test paused it
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  pid_ = -1;
}

std::string RedisServer::log() const {
  std::ifstream file(dir_ / "redis.log");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace mcpd_test
