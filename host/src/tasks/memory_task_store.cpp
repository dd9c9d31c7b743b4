#include "tasks/memory_task_store.hpp"

#include <algorithm>

#include "tasks/record_changes.hpp"

namespace mcpd::tasks {
namespace {

// Records looked at per write: enough to keep up with any creation rate
// (each write retires up to this many), small enough to stay O(1).
constexpr std::size_t kSweepBatch = 16;

}  // namespace

MemoryTaskStore::Entry* MemoryTaskStore::find_live(std::string_view id, Clock::time_point now) {
  if (!is_valid_store_name(id)) return nullptr;  // as the Redis store, which must refuse them
  const auto found = entries_.find(id);
  if (found == entries_.end()) return nullptr;
  if (found->second.expires_at && *found->second.expires_at <= now) {
    entries_.erase(found);
    return nullptr;
  }
  return &found->second;
}

void MemoryTaskStore::restart_ttl(Entry& entry, Clock::time_point now) {
  const auto retention = retention_ms(entry.record);
  entry.expires_at.reset();
  if (retention) entry.expires_at = now + std::chrono::milliseconds(*retention);
}

void MemoryTaskStore::sweep(Clock::time_point now) {
  auto it = entries_.upper_bound(sweep_cursor_);
  const std::size_t batch = std::min(kSweepBatch, entries_.size());  // never the same record twice
  for (std::size_t seen = 0; seen < batch && !entries_.empty(); ++seen) {
    if (it == entries_.end()) it = entries_.begin();  // wrap around: the next pass starts over
    sweep_cursor_ = it->first;
    if (it->second.expires_at && *it->second.expires_at <= now) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void MemoryTaskStore::create(const TaskRecord& record) {
  check_record_names(record);
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  sweep(now);
  Entry entry{record, std::nullopt, {}};
  restart_ttl(entry, now);
  entries_.insert_or_assign(record.id, std::move(entry));
}

std::optional<TaskRecord> MemoryTaskStore::get(std::string_view id) {
  std::lock_guard lock(mutex_);
  const Entry* entry = find_live(id, Clock::now());
  if (entry == nullptr) return std::nullopt;
  return entry->record;
}

std::optional<TaskRecord> MemoryTaskStore::change_status(std::string_view id, const StatusChange& change,
                                                         std::int64_t now_ms) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  sweep(now);
  Entry* entry = find_live(id, now);
  if (entry == nullptr) return std::nullopt;
  if (is_terminal(entry->record.status)) return entry->record;
  apply_status_change(entry->record, change, now_ms);
  // Answers nobody will take again are dropped with the task's end.
  if (is_terminal(entry->record.status)) entry->answers.clear();
  restart_ttl(*entry, now);
  return entry->record;
}

std::optional<TaskRecord> MemoryTaskStore::cancel(std::string_view id, std::string_view message,
                                                  std::int64_t now_ms) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  Entry* entry = find_live(id, now);
  if (entry == nullptr) return std::nullopt;
  if (is_terminal(entry->record.status)) return entry->record;
  apply_cancel(entry->record, message, now_ms);
  entry->answers.clear();
  restart_ttl(*entry, now);
  return entry->record;
}

bool MemoryTaskStore::add_input_responses(std::string_view id, const boost::json::object& responses) {
  std::lock_guard lock(mutex_);
  Entry* entry = find_live(id, Clock::now());
  if (entry == nullptr) return false;
  for (auto& answer : acceptable_answers(entry->record, responses, entry->answers)) {
    entry->answers[answer.key()] = std::move(answer.value());
  }
  return true;
}

boost::json::object MemoryTaskStore::take_input_responses(std::string_view id) {
  std::lock_guard lock(mutex_);
  Entry* entry = find_live(id, Clock::now());
  if (entry == nullptr) return {};
  boost::json::object taken = std::move(entry->answers);
  entry->answers = {};
  remove_answered(entry->record, taken);
  return taken;
}

void MemoryTaskStore::heartbeat(std::string_view, std::int64_t) {}

bool MemoryTaskStore::instance_alive(std::string_view) {
  return true;
}

std::vector<std::string> MemoryTaskStore::unfinished_of(std::string_view instance) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, entry] : entries_) {
    const bool live = !entry.expires_at || *entry.expires_at > now;
    if (live && entry.record.instance == instance && !is_terminal(entry.record.status)) ids.push_back(id);
  }
  return ids;
}

std::size_t MemoryTaskStore::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace mcpd::tasks
