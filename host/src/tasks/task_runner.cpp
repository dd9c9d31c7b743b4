#include "tasks/task_runner.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <ctime>

#include "log/logger.hpp"

namespace mcpd::tasks {
namespace json = boost::json;
using Clock = std::chrono::system_clock;

std::string random_task_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("the random number generator failed");
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

std::string iso8601_utc(std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(epoch_ms % 1000));
  return text;
}

TaskRunner::TaskRunner(std::unique_ptr<TaskStore> store, TaskSettings settings, std::string instance)
    : store_(std::move(store)), settings_(settings), instance_(std::move(instance)) {
  watcher_ = std::thread([this] { watch(); });
}

TaskRunner::~TaskRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

std::int64_t TaskRunner::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

void TaskRunner::set_listener(std::function<void(const json::object&)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void TaskRunner::changed(const std::optional<TaskRecord>& record) {
  if (!record) return;
  std::function<void(const json::object&)> listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(detailed(*record));
}

json::object TaskRunner::created(const TaskRecord& record) {
  json::object task{{"resultType", "task"}, {"taskId", record.id}, {"status", status_name(record.status)}};
  task["createdAt"] = iso8601_utc(record.created_at_ms);
  task["lastUpdatedAt"] = iso8601_utc(record.last_updated_at_ms);
  task["ttlMs"] = record.ttl_ms ? json::value(*record.ttl_ms) : json::value(nullptr);
  if (record.poll_interval_ms > 0) task["pollIntervalMs"] = record.poll_interval_ms;
  if (!record.status_message.empty()) task["statusMessage"] = record.status_message;
  return task;
}

json::object TaskRunner::detailed(const TaskRecord& record) {
  json::object task = created(record);
  task.erase("resultType");  // tasks/get is a complete result; the outbound edge says so
  if (record.status == Status::input_required && !record.input_requests.empty())
    task["inputRequests"] = record.input_requests;
  if (record.status == Status::completed && record.result) task["result"] = *record.result;
  if (record.status == Status::failed && record.error) task["error"] = *record.error;
  return task;
}

TaskRecord TaskRunner::start(std::string_view tool, std::string_view owner,
                             std::shared_ptr<std::atomic<bool>> cancelled) {
  TaskRecord record;
  record.id = random_task_id();
  record.owner = owner;
  record.instance = instance_;
  record.tool = tool;
  record.created_at_ms = record.last_updated_at_ms = now_ms();
  record.ttl_ms = settings_.ttl.count();
  record.poll_interval_ms = settings_.poll_interval.count();
  // Beat first: another instance asked about this task must find this one alive from the start.
  store_->heartbeat(instance_, settings_.heartbeat_lifetime.count());
  store_->create(record);  // durable before anyone hears of the id
  {
    std::lock_guard lock(mutex_);
    local_[record.id] = Local{std::move(cancelled), {}, {}};
  }
  changed(record);
  return record;
}

void TaskRunner::report_status(const std::string& id, std::string message) {
  StatusChange change;
  change.status = Status::working;
  change.status_message = std::move(message);
  try {
    changed(store_->change_status(id, change, now_ms()));
  } catch (const StoreUnavailable& e) {
    log::warn("a task's status message was not stored", {{"task", id}, {"error", e.what()}});
  }
}

std::optional<json::object> TaskRunner::wait_for_input(const std::string& id, const json::object& requests,
                                                       std::chrono::milliseconds timeout) {
  // Keys are never reused within a task: a key asked for before travels under a new name, and its
  // answer comes back under the old one.
  auto before = store_->get(id);
  if (!before || is_terminal(before->status)) return std::nullopt;
  std::map<std::string, std::string> plugin_key_of;  // wire key -> the handler's key
  json::object wire;
  for (const auto& [key, request] : requests) {
    std::string name(key);
    for (int n = 2; std::find(before->used_input_keys.begin(), before->used_input_keys.end(), name) !=
                    before->used_input_keys.end();
         ++n)
      name = std::string(key) + "." + std::to_string(n);
    plugin_key_of[name] = std::string(key);
    wire[name] = request;
  }
  StatusChange change;
  change.status = Status::input_required;
  change.input_requests = wire;
  auto record = store_->change_status(id, change, now_ms());
  changed(record);
  if (!record || is_terminal(record->status)) return std::nullopt;

  const auto until = std::chrono::steady_clock::now() + timeout;
  json::object answers;
  std::unique_lock lock(mutex_);
  auto local = local_.find(id);
  if (local == local_.end()) return std::nullopt;
  auto cancelled = local->second.cancelled;
  for (;;) {
    lock.unlock();
    for (auto& [key, answer] : store_->take_input_responses(id))
      if (plugin_key_of.contains(std::string(key))) answers[key] = std::move(answer);
    lock.lock();
    bool all = true;
    for (const auto& [name, plugin_key] : plugin_key_of) all = all && answers.contains(name);
    if (all) break;
    if (stopping_ || cancelled->load() || std::chrono::steady_clock::now() >= until) return std::nullopt;
    wake_.wait_for(lock, settings_.watch_interval);
  }
  lock.unlock();
  StatusChange resumed;
  resumed.status = Status::working;
  resumed.input_requests = json::object{};
  changed(store_->change_status(id, resumed, now_ms()));
  json::object mapped;
  for (auto& [name, answer] : answers) mapped[plugin_key_of.at(std::string(name))] = std::move(answer);
  return mapped;
}

void TaskRunner::complete(const std::string& id, json::object result) {
  StatusChange change;
  change.status = Status::completed;
  change.result = std::move(result);
  try {
    changed(store_->change_status(id, change, now_ms()));
  } catch (const StoreUnavailable& e) {
    log::error("a task's result could not be stored", {{"task", id}, {"error", e.what()}});
  }
  std::lock_guard lock(mutex_);
  local_.erase(id);
}

void TaskRunner::fail(const std::string& id, int code, std::string message) {
  StatusChange change;
  change.status = Status::failed;
  change.error = json::object{{"code", code}, {"message", std::move(message)}};
  try {
    changed(store_->change_status(id, change, now_ms()));
  } catch (const StoreUnavailable& e) {
    log::error("a task's failure could not be stored", {{"task", id}, {"error", e.what()}});
  }
  std::lock_guard lock(mutex_);
  local_.erase(id);
}

void TaskRunner::release(const std::string& id) {
  std::lock_guard lock(mutex_);
  local_.erase(id);
}

void TaskRunner::fail_all_running(const std::string& why) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, local] : local_) {
      ids.push_back(id);
      local.cancelled->store(true);
    }
  }
  for (const auto& id : ids) fail(id, -32603, why);
  wake_.notify_all();
}

std::optional<json::object> TaskRunner::get(std::string_view id, std::string_view owner) {
  auto record = store_->get(id);
  if (!record || record->owner != owner) return std::nullopt;
  if (!is_terminal(record->status) && record->instance != instance_ &&
      !store_->instance_alive(record->instance)) {
    StatusChange change;
    change.status = Status::failed;
    change.error = json::object{{"code", -32603},
                                {"message",
                                 "The mcpd instance that ran this task stopped before it finished; call the "
                                 "tool again to start over"}};
    if (auto failed = store_->change_status(id, change, now_ms())) record = std::move(failed);
  }
  return detailed(*record);
}

bool TaskRunner::update(std::string_view id, std::string_view owner, const json::object& responses) {
  auto record = store_->get(id);
  if (!record || record->owner != owner) return false;
  store_->add_input_responses(id, responses);
  wake_.notify_all();
  return true;
}

bool TaskRunner::cancel(std::string_view id, std::string_view owner) {
  auto record = store_->get(id);
  if (!record || record->owner != owner) return false;
  auto after = store_->cancel(id, "Cancelled by the client", now_ms());
  {
    std::lock_guard lock(mutex_);
    if (auto local = local_.find(id); local != local_.end()) local->second.cancelled->store(true);
  }
  wake_.notify_all();
  if (after && !is_terminal(record->status)) changed(after);
  return true;
}

void TaskRunner::watch() {
  auto last_beat = std::chrono::steady_clock::time_point{};
  bool reported_outage = false;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, settings_.watch_interval);
    if (stopping_) break;
    std::vector<std::pair<std::string, std::shared_ptr<std::atomic<bool>>>> running;
    for (auto& [id, local] : local_) running.emplace_back(id, local.cancelled);
    lock.unlock();
    try {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_beat >= settings_.heartbeat_lifetime / 3) {
        store_->heartbeat(instance_, settings_.heartbeat_lifetime.count());
        last_beat = now;
      }
      // A cancel may have come through another instance.
      for (auto& [id, cancelled] : running) {
        auto record = store_->get(id);
        if (!record || record->cancel_requested || is_terminal(record->status)) cancelled->store(true);
      }
      if (reported_outage) log::info("the task store answers again", {{"store", store_->describe()}});
      reported_outage = false;
    } catch (const StoreUnavailable& e) {
      if (!reported_outage) log::warn("the task store cannot be reached", {{"error", e.what()}});
      reported_outage = true;
    }
    lock.lock();
  }
}

}  // namespace mcpd::tasks
