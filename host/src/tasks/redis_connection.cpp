#include "tasks/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <cerrno>
#include <ctime>
#include <utility>

#include "tasks/task_store.hpp"

namespace mcpd::tasks {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

RedisValue copy_reply(const redisReply& reply) {
  RedisValue value;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      value.kind = RedisValue::Kind::string;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      value.kind = RedisValue::Kind::status;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      value.kind = RedisValue::Kind::integer;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      value.kind = RedisValue::Kind::array;
      for (std::size_t i = 0; i < reply.elements; ++i)
        value.elements.push_back(copy_reply(*reply.element[i]));
      break;
    default:
      break;  // nil
  }
  return value;
}

// hiredis writes with write(2): a write to a connection Redis has closed
// raises SIGPIPE, which kills a process that did not ignore it (mcpd serve
// does; tests and `mcpd call` need not). The signal is blocked in this thread
// for the command and, if the command raised it, consumed before unblocking.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec no_wait{0, 0};
      sigtimedwait(&pipe_, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool was_pending_ = false;
};

bool is_timeout(int error_number) {
  return error_number == EAGAIN || error_number == EWOULDBLOCK || error_number == ETIMEDOUT;
}

}  // namespace

void RedisConnectionPool::ContextDeleter::operator()(redisContext* context) const {
  redisFree(context);
}

RedisConnectionPool::RedisConnectionPool(RedisEndpoint endpoint, RedisTimeouts timeouts, std::size_t max_idle)
    : endpoint_(std::move(endpoint)), timeouts_(timeouts), max_idle_(max_idle) {}

RedisConnectionPool::~RedisConnectionPool() = default;

void RedisConnectionPool::fail(std::string_view what) const {
  throw StoreUnavailable("task store " + endpoint_.describe() + ": Redis at " + endpoint_.address() + " " +
                         scrubbed(std::string(what)));
}

std::string RedisConnectionPool::scrubbed(std::string text) const {
  if (!endpoint_.password || endpoint_.password->empty()) return text;
  const std::string& secret = *endpoint_.password;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

RedisConnectionPool::Context RedisConnectionPool::connect() {
  errno = 0;
  Context context(
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(timeouts_.connect)));
  const int error_number = errno;
  if (!context) fail("could not be reached: out of memory for a connection");
  if (context->err != 0) {
    const std::string detail = context->errstr;
    if (error_number == ECONNREFUSED || detail.find("refused") != std::string::npos) {
      fail("refused the connection (is redis-server running and listening there?): " + detail);
    }
    if (is_timeout(error_number) || detail.find("timed out") != std::string::npos) {
      fail("did not accept a connection within " + std::to_string(timeouts_.connect.count()) +
           " ms: " + detail);
    }
    fail("could not be reached: " + detail);
  }
  redisSetTimeout(context.get(), to_timeval(timeouts_.command));
  redisEnableKeepAlive(context.get());

  // AUTH and SELECT on every new connection: a pooled connection keeps both.
  const auto setup = [&](std::vector<std::string_view> args, std::string_view refused) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (auto arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!reply) fail("dropped a new connection before it was ready: " + std::string(context->errstr));
    if (reply->type == REDIS_REPLY_ERROR)
      fail(std::string(refused) + ": " + std::string(reply->str, reply->len));
  };
  SigpipeBlock no_sigpipe;
  if (endpoint_.password) {
    if (endpoint_.username.empty()) {
      setup({"AUTH", *endpoint_.password}, "refused the password");
    } else {
      setup({"AUTH", endpoint_.username, *endpoint_.password}, "refused the user name or password");
    }
  }
  if (endpoint_.db != 0) {
    const std::string db = std::to_string(endpoint_.db);
    setup({"SELECT", db}, "refused database " + db);
  }
  return context;
}

RedisConnectionPool::Context RedisConnectionPool::take_idle() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return nullptr;
  Context context = std::move(idle_.back());
  idle_.pop_back();
  return context;
}

void RedisConnectionPool::give_back(Context context) {
  if (!context || context->err != 0) return;  // a broken connection is closed, never reused
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(context));
}

RedisValue RedisConnectionPool::command(const std::vector<std::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (auto arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  const std::string name = args.empty() ? std::string("?") : std::string(args.front());

  Context context = take_idle();
  bool reused = context != nullptr;
  for (;;) {
    if (!context) context = connect();
    SigpipeBlock no_sigpipe;
    errno = 0;
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    const int error_number = errno;
    if (!reply) {
      const bool closed =
          context->err == REDIS_ERR_EOF || error_number == ECONNRESET || error_number == EPIPE;
      const std::string detail = context->errstr;
      context.reset();
      // A pooled connection Redis closed while it sat idle: the command most
      // likely never ran, so it goes once more on a fresh connection.
      if (closed && reused) {
        reused = false;
        continue;
      }
      if (closed) fail("closed the connection during " + name + ": " + detail);
      if (is_timeout(error_number)) {
        fail("did not answer " + name + " within " + std::to_string(timeouts_.command.count()) + " ms");
      }
      fail("failed during " + name + ": " + detail);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      give_back(std::move(context));  // the connection itself is fine
      const std::string error(reply->str, reply->len);
      if (error.starts_with("NOAUTH")) {
        fail("requires a password, and tasks.store gives none (redis://:password@host...): " + error);
      }
      fail("answered " + name + " with an error: " + error);
    }
    RedisValue value = copy_reply(*reply);
    give_back(std::move(context));
    return value;
  }
}

}  // namespace mcpd::tasks
