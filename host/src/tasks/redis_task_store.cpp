#include "tasks/redis_task_store.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "tasks/record_changes.hpp"
#include "tasks/redis_scripts.hpp"
#include "tasks/task_record_json.hpp"

namespace mcpd::tasks {
namespace json = boost::json;
namespace {

// Compare-and-set rounds before giving up. Only instances racing on the same
// task (its runner and a tasks/cancel or tasks/update) make a round fail, so a
// few suffice; the bound turns a pathological storm into an error, not a hang.
constexpr int kMaxAttempts = 100;
// Records fetched per MGET by unfinished_of.
constexpr std::size_t kBatch = 100;

std::string task_key(std::string_view id) {
  return "mcpd:task:" + std::string(id);
}
std::string answers_key(std::string_view id) {
  return task_key(id) + ":answers";
}
std::string instance_key(std::string_view name) {
  return "mcpd:instance:" + std::string(name);
}
std::string instance_tasks_key(std::string_view name) {
  return instance_key(name) + ":tasks";
}

std::string px_of(const TaskRecord& record) {
  const auto retention = retention_ms(record);
  return retention ? std::to_string(*retention) : std::string();
}

std::string_view flag(bool value) {
  return value ? "1" : "0";
}

}  // namespace

RedisTaskStore::RedisTaskStore(RedisEndpoint endpoint, RedisTimeouts timeouts)
    : pool_(std::move(endpoint), timeouts) {}

void RedisTaskStore::fail(std::string_view what) const {
  throw StoreUnavailable("task store " + describe() + ": " + std::string(what));
}

void RedisTaskStore::create(const TaskRecord& record) {
  check_record_names(record);
  const std::string key = task_key(record.id), answers = answers_key(record.id);
  const std::string set = instance_tasks_key(record.instance);
  const std::string text = task_record_to_json(record), px = px_of(record);
  pool_.command({"EVAL", redis_scripts::kCreate, "3", key, answers, set, text, px, record.id,
                 flag(is_terminal(record.status))});
}

std::optional<RedisTaskStore::Snapshot> RedisTaskStore::read(std::string_view id) {
  if (!is_valid_store_name(id)) return std::nullopt;
  const std::string key = task_key(id);
  RedisValue reply = pool_.command({"GET", key});
  if (reply.is_nil()) return std::nullopt;
  if (reply.kind != RedisValue::Kind::string) fail("the value of " + key + " is not a task record");
  try {
    TaskRecord record = task_record_from_json(reply.text);
    return Snapshot{std::move(reply.text), std::move(record)};
  } catch (const std::runtime_error& error) {
    fail(key + " holds " + error.what());
  }
}

std::optional<TaskRecord> RedisTaskStore::get(std::string_view id) {
  auto seen = read(id);
  if (!seen) return std::nullopt;
  return std::move(seen->record);
}

bool RedisTaskStore::replace(const Snapshot& seen, const TaskRecord& next) {
  const std::string key = task_key(next.id), answers = answers_key(next.id);
  const std::string set = instance_tasks_key(next.instance);
  const std::string text = task_record_to_json(next), px = px_of(next);
  const RedisValue reply = pool_.command({"EVAL", redis_scripts::kReplace, "3", key, answers, set, seen.text,
                                          text, px, next.id, flag(is_terminal(next.status))});
  return reply.integer == 1;
}

template <typename Apply>
std::optional<TaskRecord> RedisTaskStore::update_unless_terminal(std::string_view id, Apply apply) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto seen = read(id);
    if (!seen) return std::nullopt;
    if (is_terminal(seen->record.status)) return std::move(seen->record);
    TaskRecord next = seen->record;
    apply(next);
    if (replace(*seen, next)) return next;
    // Another instance wrote the task between our read and our write: decide again on what it wrote.
  }
  fail("task " + std::string(id) + " changed under each of " + std::to_string(kMaxAttempts) +
       " attempts to update it");
}

std::optional<TaskRecord> RedisTaskStore::change_status(std::string_view id, const StatusChange& change,
                                                        std::int64_t now_ms) {
  return update_unless_terminal(id, [&](TaskRecord& record) { apply_status_change(record, change, now_ms); });
}

std::optional<TaskRecord> RedisTaskStore::cancel(std::string_view id, std::string_view message,
                                                 std::int64_t now_ms) {
  return update_unless_terminal(id, [&](TaskRecord& record) { apply_cancel(record, message, now_ms); });
}

bool RedisTaskStore::add_input_responses(std::string_view id, const json::object& responses) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const auto seen = read(id);
    if (!seen) return false;
    // Answers already waiting are filtered by the script (HSETNX), not here.
    const json::object kept = acceptable_answers(seen->record, responses, {});
    if (kept.empty()) return true;
    const std::string key = task_key(id), answers = answers_key(id);
    std::vector<std::string> texts;
    for (const auto& answer : kept) texts.push_back(json::serialize(answer.value()));
    std::vector<std::string_view> args{"EVAL", redis_scripts::kAddAnswers, "2", key, answers, seen->text};
    std::size_t i = 0;
    for (const auto& answer : kept) {
      args.push_back(answer.key());
      args.push_back(texts[i++]);
    }
    if (pool_.command(args).integer >= 0) return true;
  }
  fail("task " + std::string(id) + " changed under each of " + std::to_string(kMaxAttempts) +
       " attempts to add answers");
}

json::object RedisTaskStore::take_input_responses(std::string_view id) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const auto seen = read(id);
    if (!seen) return {};
    const std::string key = task_key(id), answers = answers_key(id);
    const RedisValue waiting = pool_.command({"HGETALL", answers});
    if (waiting.elements.empty()) return {};

    json::object taken;
    for (std::size_t i = 0; i + 1 < waiting.elements.size(); i += 2) {
      boost::system::error_code error;
      json::value parsed = json::parse(waiting.elements[i + 1].text, error);
      if (error) fail(answers + " holds an answer to \"" + waiting.elements[i].text + "\" that is not JSON");
      taken[waiting.elements[i].text] = std::move(parsed);
    }
    TaskRecord next = seen->record;
    remove_answered(next, taken);
    const std::string next_text = task_record_to_json(next);
    // The script deletes exactly the answers read here (field and text), or nothing.
    std::vector<std::string_view> args{"EVAL",   redis_scripts::kTakeAnswers, "2", key, answers, seen->text,
                                       next_text};
    for (const auto& element : waiting.elements) args.push_back(element.text);
    if (pool_.command(args).integer == 1) return taken;
  }
  fail("task " + std::string(id) + " changed under each of " + std::to_string(kMaxAttempts) +
       " attempts to take its answers");
}

void RedisTaskStore::heartbeat(std::string_view instance, std::int64_t lifetime_ms) {
  if (!is_valid_store_name(instance)) {
    throw std::invalid_argument("instance name \"" + std::string(instance) +
                                "\" is not 1-128 characters of [A-Za-z0-9._-]");
  }
  const std::string key = instance_key(instance);
  const std::string px = std::to_string(std::max<std::int64_t>(lifetime_ms, 1));
  pool_.command({"SET", key, "alive", "PX", px});
}

bool RedisTaskStore::instance_alive(std::string_view instance) {
  if (!is_valid_store_name(instance)) return false;
  const std::string key = instance_key(instance);
  return pool_.command({"EXISTS", key}).integer == 1;
}

std::vector<std::string> RedisTaskStore::unfinished_of(std::string_view instance) {
  if (!is_valid_store_name(instance)) return {};
  const std::string set = instance_tasks_key(instance);
  const RedisValue members = pool_.command({"SMEMBERS", set});

  std::vector<std::string> unfinished;
  std::vector<std::string> gone;  // expired (or ended) tasks the set still names
  for (std::size_t start = 0; start < members.elements.size(); start += kBatch) {
    const std::size_t end = std::min(members.elements.size(), start + kBatch);
    std::vector<std::string> keys;
    for (std::size_t i = start; i < end; ++i) keys.push_back(task_key(members.elements[i].text));
    std::vector<std::string_view> args{"MGET"};
    args.insert(args.end(), keys.begin(), keys.end());
    const RedisValue records = pool_.command(args);
    for (std::size_t i = start; i < end && i - start < records.elements.size(); ++i) {
      const std::string& id = members.elements[i].text;
      const RedisValue& text = records.elements[i - start];
      if (text.is_nil()) {
        gone.push_back(id);
        continue;
      }
      TaskRecord record;
      try {
        record = task_record_from_json(text.text);
      } catch (const std::runtime_error& error) {
        fail(task_key(id) + " holds " + error.what());
      }
      if (is_terminal(record.status) || record.instance != instance) {
        gone.push_back(id);
      } else {
        unfinished.push_back(id);
      }
    }
  }
  if (!gone.empty()) {
    std::vector<std::string_view> args{"SREM", set};
    args.insert(args.end(), gone.begin(), gone.end());
    pool_.command(args);
  }
  return unfinished;
}

}  // namespace mcpd::tasks
