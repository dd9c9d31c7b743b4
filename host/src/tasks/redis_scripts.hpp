#pragma once
// The Lua scripts of the Redis task store. Each runs atomically in Redis, so
// two instances writing the same task cannot interleave.
//
// Why compare-and-set rather than editing the JSON in Lua: Redis's cjson
// re-encodes what it decodes lossily (an empty array comes back as {},
// numbers keep 14 significant digits, key order is lost), and a record holds
// a plugin's CallToolResult verbatim. So the instance builds the new record
// with Boost.JSON from the text it read, and the script writes it only if the
// stored text is still exactly that text; otherwise the instance reads again
// and re-decides (a task that became terminal meanwhile is then left alone).
// That is what makes "refused once terminal" hold across instances.
//
// Keys: mcpd:task:<id> (the record, JSON text, PX = its TTL),
// mcpd:task:<id>:answers (hash: input key -> response JSON, the record's TTL),
// mcpd:instance:<name>:tasks (set of the instance's unfinished task ids; it
// lives as long as the longest-lived of them, so a vanished instance leaves
// nothing behind for good). Needs Redis 6.0 or later (SET ... KEEPTTL).
#include <string_view>

namespace mcpd::tasks::redis_scripts {

// Prepended to the scripts that keep a task in its instance's set: the set
// lives at least `px` more (forever when px is ''), without shortening a
// longer life that another task of the instance gave it.
#define MCPD_KEEP_SET_ALIVE                                                           \
  "local function keep_set_alive(set, px)\n"                                          \
  "  if px == '' then redis.call('PERSIST', set) return end\n"                        \
  "  local left = redis.call('PTTL', set)\n"                                          \
  "  if left ~= -1 and left < tonumber(px) then redis.call('PEXPIRE', set, px) end\n" \
  "end\n"

// KEYS: record, answers, instance set. ARGV: text, px ('' = no TTL), id, terminal ('1'/'0').
// A new record replaces any under the same id, answers included.
inline constexpr std::string_view kCreate = MCPD_KEEP_SET_ALIVE R"lua(
redis.call('DEL', KEYS[2])
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
if ARGV[4] == '1' then
  redis.call('SREM', KEYS[3], ARGV[3])
else
  redis.call('SADD', KEYS[3], ARGV[3])
  keep_set_alive(KEYS[3], ARGV[2])
end
return 1
)lua";

// change_status and cancel. KEYS: record, answers, instance set.
// ARGV: expected text, new text, px ('' = no TTL), id, terminal ('1'/'0').
// Returns 0 when the record is no longer the expected text (or is gone).
// A write restarts the TTL of the record and of its answers; a terminal one
// takes the task out of its instance's set and drops answers nobody will take.
inline constexpr std::string_view kReplace = MCPD_KEEP_SET_ALIVE R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('PERSIST', KEYS[2])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
if ARGV[5] == '1' then
  redis.call('SREM', KEYS[3], ARGV[4])
  redis.call('DEL', KEYS[2])
else
  keep_set_alive(KEYS[3], ARGV[3])
end
return 1
)lua";

// add_input_responses. KEYS: record, answers. ARGV: expected text, then
// key, response pairs (already filtered to outstanding keys). The first
// answer to a key wins (HSETNX). The answers live as long as the record.
// Returns -1 when the record changed, else how many answers were kept.
inline constexpr std::string_view kAddAnswers = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local kept = 0
for i = 2, #ARGV, 2 do
  kept = kept + redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
end
local left = redis.call('PTTL', KEYS[1])
if left > 0 then redis.call('PEXPIRE', KEYS[2], left) end
return kept
)lua";

// take_input_responses. KEYS: record, answers. ARGV: expected text, new text
// (the answered keys out of input_requests), then key, response pairs as read.
// Deletes exactly the answers that were read, together with the record
// update, or nothing (returns 0) when either changed meanwhile.
inline constexpr std::string_view kTakeAnswers = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 2 do
  if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 1] then return 0 end
end
for i = 3, #ARGV, 2 do
  redis.call('HDEL', KEYS[2], ARGV[i])
end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
)lua";

#undef MCPD_KEEP_SET_ALIVE

}  // namespace mcpd::tasks::redis_scripts
