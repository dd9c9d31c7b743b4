// The Tasks extension (io.modelcontextprotocol/tasks) in a session: a call
// becoming a task, its end stored as the task's result, tasks/get,
// tasks/update and tasks/cancel, and notifications/tasks on listen streams.
// Only 2026-07-28 requests that declare the extension see any of it.
#include <mcpd/sdk/json_serialize.hpp>

#include "protocol/input_exchange.hpp"
#include "protocol/session.hpp"
#include "protocol/task_channel.hpp"

namespace mcpd::protocol {
namespace json = boost::json;
using bridge::RpcError;

bool declares_tasks(const RequestContext& context) {
  const auto* extensions = context.client_capabilities.if_contains("extensions");
  return extensions != nullptr && extensions->is_object() &&
         extensions->get_object().contains(kTasksExtension);
}

void require_tasks_extension(const RequestContext& context) {
  if (!declares_tasks(context))
    throw_missing_capabilities(json::object{{"extensions", json::object{{kTasksExtension, json::object{}}}}});
}

namespace {

RpcError store_unreachable(const tasks::StoreUnavailable& e) {
  return RpcError(
      jsonrpc::kInternalError,
      std::string("The task store cannot be reached, so tasks cannot be read or changed now (calls "
                  "that are not tasks still work): ") +
          e.what());
}

RpcError unknown_task(std::string_view id) {
  return RpcError(jsonrpc::kInvalidParams,
                  "Invalid params: no task \"" + std::string(id.substr(0, 64)) +
                      "\": it never existed, expired (tasks are kept for their ttlMs), or belongs to another "
                      "caller");
}

}  // namespace

void Session::set_principal(std::string principal) {
  std::lock_guard lock(mutex_);
  principal_ = std::move(principal);
}

void Session::on_tasks(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  // The capability gate comes before anything else about the request (the extension's rule).
  require_tasks_extension(*context);
  const auto* id_value = request.params.if_contains("taskId");
  if (id_value == nullptr || !id_value->is_string())
    throw RpcError(jsonrpc::kInvalidParams,
                   "Invalid params: " + request.method + " needs a string \"taskId\"");
  const std::string id(id_value->get_string());
  auto& runner = *context_.tasks;
  try {
    if (request.method == "tasks/get") {
      auto task = runner.get(id, context->principal);
      if (!task) throw unknown_task(id);
      return reply(jsonrpc::make_result(request.id, std::move(*task)));
    }
    if (request.method == "tasks/update") {
      const auto* responses = request.params.if_contains("inputResponses");
      if (responses == nullptr || !responses->is_object())
        throw RpcError(jsonrpc::kInvalidParams,
                       "Invalid params: tasks/update needs an \"inputResponses\" object, keyed like the "
                       "task's inputRequests");
      if (!runner.update(id, context->principal, responses->get_object())) throw unknown_task(id);
      return reply(jsonrpc::make_result(request.id, json::object{}));
    }
    if (!runner.cancel(id, context->principal)) throw unknown_task(id);
    reply(jsonrpc::make_result(request.id, json::object{}));
  } catch (const tasks::StoreUnavailable& e) {
    throw store_unreachable(e);
  }
}

void Session::become_task(RunningCall& call, const RequestContext& context, std::string_view tool,
                          bridge::CallScope* scope) {
  auto record = context_.tasks->start(tool, context.principal, call.cancelled);
  auto shared_context = std::make_shared<const RequestContext>(context);
  auto link = std::make_shared<RunningCall::TaskLink>(RunningCall::TaskLink{
      record.id, std::make_shared<TaskChannel>(*context_.tasks, record.id, std::move(shared_context))});
  call.set_task(link);
  if (scope != nullptr) {
    scope->set_runs_as_task();
    scope->use_channel(link->channel.get());
  }
  log::info("call runs as a task", {{"request", call.what}, {"task", record.id}});
  finish(call, jsonrpc::make_result(call.id, tasks::TaskRunner::created(record)));
}

void Session::settle_task(RunningCall& call, const json::object& response) {
  auto link = call.task();
  if (!link) return;
  // Cancelled: the store already says so, and whatever the handler returned is discarded.
  if (call.cancelled->load()) return context_.tasks->release(link->id);
  if (const auto* error = response.if_contains("error"); error != nullptr && error->is_object()) {
    const auto& e = error->get_object();
    const auto* code = e.if_contains("code");
    const auto* message = e.if_contains("message");
    context_.tasks->fail(
        link->id, code != nullptr && code->is_int64() ? static_cast<int>(code->get_int64()) : -32603,
        message != nullptr && message->is_string() ? std::string(message->get_string()) : "the task failed");
    return;
  }
  json::object result;
  if (const auto* r = response.if_contains("result"); r != nullptr && r->is_object())
    result = r->get_object();
  result["resultType"] = "complete";
  context_.tasks->complete(link->id, std::move(result));
}

void Session::notify_task(const json::object& detailed) {
  const auto* id = detailed.if_contains("taskId");
  if (id == nullptr || !id->is_string()) return;
  std::lock_guard listening(listen_mutex_);
  for (const auto& [key, listen] : listens_) {
    if (!listen.task_ids.contains(std::string_view(id->get_string()))) continue;
    json::object params = detailed;
    params["_meta"] = json::object{{kMetaSubscriptionId, listen.id}};
    send_notification("notifications/tasks", std::move(params), key);
  }
}

}  // namespace mcpd::protocol
