#pragma once
// Where a call that became a task sends what it would send its client: the
// client is not listening to the call any more but polling the task, so
// progress becomes the task's statusMessage, logs are dropped (the extension
// has no place for them), and a client request (the blocking
// callback_client_request) makes the task input_required until tasks/update
// answers it.
#include <atomic>

#include "bridge/client_channel.hpp"
#include "protocol/request_context.hpp"
#include "tasks/task_runner.hpp"

namespace mcpd::protocol {

class TaskChannel : public bridge::ClientChannel {
 public:
  TaskChannel(tasks::TaskRunner& runner, std::string task_id, std::shared_ptr<const RequestContext> context)
      : runner_(runner), task_id_(std::move(task_id)), context_(std::move(context)) {}

  void notify(std::string_view method, boost::json::object params) override;
  bool wants_log(log::Level) const override { return false; }
  bridge::ClientReply request(std::string_view method, boost::json::object params,
                              std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled) override;
  bool modern() const override { return true; }
  std::string_view protocol_version() const override { return context_->version; }
  const boost::json::object& client_capabilities() const override { return context_->client_capabilities; }

 private:
  tasks::TaskRunner& runner_;
  std::string task_id_;
  std::shared_ptr<const RequestContext> context_;
  std::atomic<int> requests_{0};
};

}  // namespace mcpd::protocol
