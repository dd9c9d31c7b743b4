#pragma once
// A handler blocked in the ABI's callback_client_request while serving an
// MCP 2026-07-28 client, which is never sent requests. The host answers the
// request with an input_required result whose requestState names this
// suspension, and the handler's thread waits here; the client's retry (a new
// request, with the answer) resumes it and takes over as the request the
// handler's next question or final result answers. A suspension lives in this
// process only: a retry that reaches another instance is refused (clearly),
// which is why re-entrant handlers (sdk::input_required) are the better way.
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "protocol/running_call.hpp"

namespace mcpd::protocol {

class Session;

class SuspendedCall {
 public:
  // Who gets the next answer: the original request, then each retry in turn.
  struct Target {
    std::shared_ptr<Session> session;
    std::shared_ptr<RunningCall> call;
  };

  SuspendedCall(std::string id, Target first) : id_(std::move(id)), target_(std::move(first)) {}

  const std::string& id() const { return id_; }

  // The handler's side: `question` ({key: {method, params}}) goes out as `answer_with` builds it, then
  // the handler waits for the client's answer to `key`. nullopt on timeout or cancellation.
  Target ask(const std::string& key, boost::json::object question);
  std::optional<boost::json::value> wait(std::chrono::milliseconds timeout,
                                         const std::atomic<bool>& cancelled);

  // The retry's side. The question still waiting for an answer (to ask again when the retry lacks it).
  std::optional<std::pair<std::string, boost::json::object>> pending() const;
  // Hands the answer to the handler; `retry` answers from now on.
  void resume(Target retry, boost::json::value answer);

  // The request answering now (the handler's final result goes there).
  Target target() const;
  void wake();  // cancellation

 private:
  const std::string id_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Target target_;
  std::string pending_key_;
  boost::json::object pending_question_;
  std::optional<boost::json::value> answer_;
};

// The suspensions of this process, by the id their requestState carries.
class SuspendedCalls {
 public:
  void add(const std::shared_ptr<SuspendedCall>& call);
  std::shared_ptr<SuspendedCall> find(const std::string& id);
  void remove(const std::string& id);
  // Shutdown: every waiting handler is cancelled (its client cannot retry any more).
  void cancel_all();

 private:
  std::mutex mutex_;
  std::map<std::string, std::weak_ptr<SuspendedCall>> calls_;
};

}  // namespace mcpd::protocol
