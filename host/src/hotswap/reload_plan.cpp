#include "hotswap/reload_plan.hpp"

#include <algorithm>
#include <map>

#include "hotswap/plugin_version.hpp"

namespace mcpd::hotswap {
namespace fs = std::filesystem;

namespace {

// One file that wants a namespace: a version that would keep serving, or a new one.
struct Contender {
  fs::path file;
  std::string plugin_namespace, version;
  trust::Sha256 sha256{};
  bool named_explicitly = false;
  bool is_new = false;
  bool serves_namespace_now = false;  // its file serves this namespace now (kept, or swapped in place)
  std::size_t position = 0;           // in load order
};

std::string describe(const Contender& c) {
  return c.file.string() + " (" + c.version + ")";
}

// Ranks by rules 1 and 2: <0 when a ranks above b.
int rank(const Contender& a, const Contender& b) {
  if (a.named_explicitly != b.named_explicitly) return a.named_explicitly ? -1 : 1;
  return -compare_plugin_versions(a.version, b.version);
}

struct Verdict {
  const Contender* winner = nullptr;  // nullptr: nobody serves (rule 5)
  std::string rule;
};

// `group` is sorted best first by rank().
Verdict decide(const std::vector<const Contender*>& group) {
  std::vector<const Contender*> tied;
  for (const auto* c : group)
    if (rank(*c, *group.front()) == 0) tied.push_back(c);
  const Contender& best = *group.front();
  if (tied.size() == 1) {
    if (best.named_explicitly && !group[1]->named_explicitly)
      return {&best, "a file named in plugins.files (or --plugin) wins over a plugins directory"};
    return {&best, "the highest version wins"};
  }
  for (const auto* c : tied)
    if (c->serves_namespace_now) return {c, "equal versions: the file serving it now keeps it"};
  const bool identical =
      std::all_of(tied.begin(), tied.end(), [&](const Contender* c) { return c->sha256 == best.sha256; });
  if (identical) {
    const auto* first = *std::min_element(
        tied.begin(), tied.end(), [](const auto* a, const auto* b) { return a->position < b->position; });
    return {first, "identical copies of one version: the first in load order serves"};
  }
  return {nullptr, "different files claim the same version " + best.version +
                       ", so which one is meant cannot be told; none is loaded. Remove all but one"};
}

}  // namespace

namespace {

// One round of planning. `lost` holds new versions that lost their namespace
// in an earlier round although a version serves from their file: they are
// left out (their file's version keeps serving) and refused with that reason.
ReloadPlan plan_once(const ReloadPlanInput& input, const std::map<fs::path, std::string>& lost) {
  ReloadPlan plan;
  auto position_of = [&](const fs::path& file) {
    auto it = std::find(input.load_order.begin(), input.load_order.end(), file);
    return static_cast<std::size_t>(it - input.load_order.begin());
  };
  auto replaced = [&](const fs::path& file) {
    return std::any_of(input.candidates.begin(), input.candidates.end(),
                       [&](const NewVersion& c) { return c.file == file && !c.failed && !lost.count(file); });
  };
  auto serving_from = [&](const fs::path& file) -> const ServingVersion* {
    for (const auto& s : input.serving)
      if (s.file == file) return &s;
    return nullptr;
  };

  std::vector<Contender> contenders;
  for (const auto& s : input.serving) {
    if (!s.present || replaced(s.file)) {
      plan.retire.push_back(s.file);
      continue;
    }
    contenders.push_back({s.file, s.plugin_namespace, s.version, s.sha256, s.named_explicitly, false, true,
                          position_of(s.file)});
  }
  for (const auto& c : input.candidates) {
    if (c.failed) continue;
    if (auto it = lost.find(c.file); it != lost.end()) {
      plan.refused.push_back({c.file, it->second});
      continue;
    }
    const auto* old = serving_from(c.file);
    contenders.push_back({c.file, c.plugin_namespace, c.version, c.sha256, c.named_explicitly, true,
                          old != nullptr && old->plugin_namespace == c.plugin_namespace,
                          position_of(c.file)});
  }

  std::map<std::string, std::vector<const Contender*>> by_namespace;
  for (const auto& c : contenders) by_namespace[c.plugin_namespace].push_back(&c);
  std::vector<const Contender*> winners;
  for (auto& [ns, group] : by_namespace) {
    std::stable_sort(group.begin(), group.end(), [](const auto* a, const auto* b) {
      if (const int r = rank(*a, *b); r != 0) return r < 0;
      return a->position < b->position;
    });
    if (group.size() == 1) {
      winners.push_back(group.front());
      continue;
    }
    Verdict verdict = decide(group);
    if (verdict.winner == nullptr) {
      // Nothing new is loaded; a version serving the namespace now stays rather than leave it empty.
      for (const auto* c : group)
        if (!c->is_new) verdict = {c, verdict.rule + " (the version serving now stays)"};
    }
    std::string files;
    for (const auto* c : group) files += (files.empty() ? "" : ", ") + describe(*c);
    plan.duplicates.push_back(
        "namespace \"" + ns + "\" is claimed by " + std::to_string(group.size()) + " files: " + files + "; " +
        (verdict.winner ? verdict.winner->file.string() + " serves it (" + verdict.rule + ")"
                        : verdict.rule));
    for (const auto* c : group) {
      if (c == verdict.winner) {
        winners.push_back(c);
        continue;
      }
      // A version serving now that loses is retired, and its file refused
      // like any loser: the same files give the same refusals on every reload.
      if (!c->is_new) plan.retire.push_back(c->file);
      plan.refused.push_back(
          {c->file, verdict.winner
                        ? "namespace \"" + ns + "\" is also provided by " + describe(*verdict.winner) +
                              ", which serves it: " + verdict.rule
                        : "namespace \"" + ns + "\" is claimed by " + files + ": " + verdict.rule});
    }
  }

  std::sort(winners.begin(), winners.end(),
            [](const auto* a, const auto* b) { return a->position < b->position; });
  for (const auto* w : winners) {
    if (w->is_new)
      plan.start.push_back({w->file, serving_from(w->file) != nullptr});
    else
      plan.keep.push_back(w->file);
    plan.serving_order.push_back(w->file);
  }
  std::stable_sort(plan.refused.begin(), plan.refused.end(),
                   [&](const auto& a, const auto& b) { return position_of(a.file) < position_of(b.file); });
  // One refusal per file (its new version may lose, and then its old one).
  plan.refused.erase(std::unique(plan.refused.begin(), plan.refused.end(),
                                 [](const auto& a, const auto& b) { return a.file == b.file; }),
                     plan.refused.end());
  return plan;
}

}  // namespace

ReloadPlan plan_reload(const ReloadPlanInput& input) {
  std::map<fs::path, std::string> lost;
  for (;;) {
    ReloadPlan plan = plan_once(input, lost);
    // A changed file that lost its namespace must not take the version
    // serving from it down with it: plan again with that version staying.
    bool again = false;
    for (const auto& r : plan.refused) {
      const bool is_new = std::any_of(input.candidates.begin(), input.candidates.end(),
                                      [&](const NewVersion& c) { return c.file == r.file && !c.failed; });
      const bool serves = std::any_of(input.serving.begin(), input.serving.end(),
                                      [&](const ServingVersion& v) { return v.file == r.file && v.present; });
      if (is_new && serves && lost.emplace(r.file, r.reason).second) again = true;
    }
    if (!again) return plan;
  }
}

}  // namespace mcpd::hotswap
