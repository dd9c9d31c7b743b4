#include "hotswap/reload_report.hpp"

#include <ctime>

namespace mcpd::hotswap {
namespace json = boost::json;

std::string iso_time(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

namespace {

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

json::object ReloadReport::to_json() const {
  json::array refusals;
  for (const auto& r : refused) {
    json::object o{{"file", r.file.string()}, {"reason", r.reason}, {"at", iso_time(r.at)}};
    if (!r.kept.empty()) o["kept"] = r.kept;
    refusals.push_back(std::move(o));
  }
  json::array lists;
  if (notified.tools) lists.emplace_back("tools");
  if (notified.prompts) lists.emplace_back("prompts");
  if (notified.resources) lists.emplace_back("resources");
  return {{"trigger", trigger},
          {"published", published},
          {"generation", generation},
          {"added", strings(added)},
          {"replaced", strings(replaced)},
          {"removed", strings(removed)},
          {"refused", std::move(refusals)},
          {"waiting", strings(waiting)},
          {"warnings", strings(warnings)},
          {"unchanged", unchanged},
          {"list_changed", std::move(lists)},
          {"latency_us", latency.count()},
          {"work_us", work.count()}};
}

std::string ReloadReport::summary() const {
  std::string out;
  auto part = [&](std::string_view label, const std::vector<std::string>& items) {
    if (items.empty()) return;
    if (!out.empty()) out += "; ";
    out += std::string(label) + ": ";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  };
  part("added", added);
  part("replaced", replaced);
  part("removed", removed);
  std::vector<std::string> refused_files;
  for (const auto& r : refused) refused_files.push_back(r.file.filename().string());
  part("refused", refused_files);
  part("waiting", waiting);
  return out.empty() ? "no change" : out;
}

}  // namespace mcpd::hotswap
