#include "hotswap/plugin_manager.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>

#include "loader/plugin_loader.hpp"
#include "log/logger.hpp"
#include "registry/listing_changes.hpp"
#include "trust/file_policy.hpp"
#include "trust/plugin_signature.hpp"

namespace mcpd::hotswap {
namespace fs = std::filesystem;
namespace json = boost::json;

// A file that is new or changed since its version was loaded, on its way in.
struct PluginManager::Candidate {
  fs::path file;
  FileIdentity identity;
  std::optional<FileIdentity> signature_identity;
  fs::path staged;  // what is dlopen()ed: the staged copy (or the file itself without staging)
  trust::Sha256 sha256{};
  std::string signature;
  std::optional<trust::SignedManifest> signed_manifest;
  bool named_explicitly = false;  // plugins.files or --plugin, not found in a directory
  std::unique_ptr<loader::NegotiatedLibrary> library;
  std::shared_ptr<loader::LoadedPlugin> plugin;
  std::string plugin_namespace, version;  // from negotiation
  bool refused = false;
  bool started() const { return !refused && plugin != nullptr; }
};

// Everything one reload learns before it decides what to publish.
struct PluginManager::Scan {
  std::vector<fs::path> files;           // discovered now, in load order
  std::set<fs::path> present;            // the same, for lookups
  std::vector<fs::path> kept_unchecked;  // serving files whose directory failed its check: left alone
  std::set<fs::path> problem_paths;      // directories and files refused this time
  std::vector<Candidate> candidates;
  std::map<fs::path, Rejection> rejected;  // becomes rejected_
  std::map<fs::path, WaitingFile> waiting;
  std::map<fs::path, std::pair<FileIdentity, std::optional<FileIdentity>>> same_bytes;  // re-stat'ed slots
  std::vector<std::string> skipped;  // "file: why", directory entries that cannot be followed
};

namespace {

std::string describe(const loader::PluginInfo& info) {
  return info.plugin_namespace + " " + info.version;
}

}  // namespace

PluginManager::PluginManager(protocol::ServerContext& context, const config::Config& config,
                             loader::HostHooks hooks)
    : context_(context),
      directories_(config.plugins.directories),
      files_(config.plugins.files),
      plugin_config_(config.plugin_config),
      separator_(config.server.tool_name_separator),
      schema_formats_(config.server.format_assertion ? schema::FormatMode::kAssertion
                                                     : schema::FormatMode::kAnnotation),
      policy_(config.plugin_policy),
      service_uid_(::geteuid()),
      hooks_(std::move(hooks)) {
  for (std::size_t i = 0; i < policy_.trusted_keys.size(); ++i) {
    std::string error;
    auto key = trust::PublicKey::from_text(policy_.trusted_keys[i], error);
    if (!key) throw config::ConfigError("plugins.trusted_keys[" + std::to_string(i) + "] is " + error);
    trusted_keys_.push_back(*key);
  }
  if (policy_.require_signed && trusted_keys_.empty())
    log::warn(
        "plugins.require_signed is true but plugins.trusted_keys is empty: every plugin will be refused");
  reaper_ = Reaper::start([this](const UnloadOutcome& outcome) { on_unloaded(outcome); });
  hooks_.dispose = reaper_->dispose_function();
  const fs::path root =
      policy_.staging_dir.empty() ? StagingArea::default_root(service_uid_) : policy_.staging_dir;
  try {
    staging_ = StagingArea::create(root, service_uid_);
  } catch (const StagingError& e) {
    staging_problem_ = e.what();
    log::error("plugin staging is unavailable: plugins load in place and cannot be replaced while serving",
               {{"reason", staging_problem_}});
  }
  probe_verdicts_ = std::make_unique<ProbeVerdicts>(
      staging_ ? staging_->directory().parent_path() / "load-probe-ok" : fs::path());
}

PluginManager::~PluginManager() {
  // Versions still queued are destroyed now; later ones (held by the last
  // snapshot) on the thread that drops them, without reports to this object.
  reaper_->stop();
}

void PluginManager::set_write_tracker(std::function<std::set<fs::path>()> tracker) {
  std::lock_guard lock(reload_mutex_);
  write_tracker_ = std::move(tracker);
}

std::uint64_t PluginManager::generation() const {
  std::lock_guard lock(state_mutex_);
  return generation_;
}

std::vector<WatchTarget> PluginManager::watch_targets() const {
  std::map<fs::path, WatchTarget> by_directory;
  for (const auto& dir : directories_) {
    auto& target = by_directory[dir];
    target.directory = dir;
    target.every_plugin = true;
  }
  for (const auto& file : files_) {
    fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    auto& target = by_directory[dir];
    target.directory = dir;
    target.file_names.insert(file.filename().string());
  }
  std::vector<WatchTarget> out;
  for (auto& [dir, target] : by_directory) out.push_back(std::move(target));
  return out;
}

// ---------------------------------------------------------------------------
// One reload

void PluginManager::refuse(const fs::path& file, std::string reason, const Trigger& trigger, Scan& scan,
                           ReloadReport& report, std::optional<FileIdentity> identity,
                           std::optional<FileIdentity> signature_identity, bool logged) {
  Refusal refusal{file, std::move(reason), {}, std::chrono::system_clock::now()};
  if (auto slot = slots_.find(file); slot != slots_.end())
    refusal.kept = describe(slot->second.plugin->info()) + " keeps serving";
  // Said once per problem: a directory that stays broken is not reported at every file event.
  auto previous = rejected_.find(file);
  const bool repeated = previous != rejected_.end() && previous->second.refusal.reason == refusal.reason &&
                        previous->second.identity == identity && !trigger.full && trigger.name != "startup";
  if (!repeated && logged) {
    if (refusal.kept.empty())
      log::error("plugin refused", {{"file", file.string()}, {"reason", refusal.reason}});
    else
      log::error("plugin refused",
                 {{"file", file.string()}, {"reason", refusal.reason}, {"kept", refusal.kept}});
  }
  scan.problem_paths.insert(file);
  report.refused.push_back(refusal);
  scan.rejected[file] = Rejection{std::move(refusal), identity, signature_identity};
}

void PluginManager::discard(Candidate& c) {
  c.refused = true;
  const bool started = c.plugin != nullptr;
  c.library.reset();
  c.plugin.reset();  // a started plugin goes through the reaper, which removes its copy
  if (staging_ && !started) staging_->remove(c.staged);
}

PluginManager::Scan PluginManager::scan_sources(const Trigger& trigger, ReloadReport& report) {
  Scan scan;
  scan.rejected = rejected_;
  std::vector<fs::path> checked_dirs, checked_files;
  auto keep_unchecked = [&](auto&& belongs) {
    for (const auto& [file, slot] : slots_)
      if (belongs(file)) scan.kept_unchecked.push_back(file);
  };
  for (const auto& dir : directories_) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      refuse(dir, "plugins directory does not exist or is not a directory", trigger, scan, report);
      continue;
    }
    if (auto problem = trust::directory_chain_problem(dir, service_uid_)) {
      refuse(dir, *problem + "; its plugins are not loaded", trigger, scan, report);
      keep_unchecked([&](const fs::path& f) { return f.parent_path() == dir; });
      continue;
    }
    checked_dirs.push_back(dir);
  }
  for (const auto& file : files_) {
    std::error_code ec;
    fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    if (fs::is_directory(dir, ec)) {
      if (auto problem = trust::directory_chain_problem(dir, service_uid_)) {
        refuse(file, *problem, trigger, scan, report);
        keep_unchecked([&](const fs::path& f) { return f == file; });
        continue;
      }
    }
    checked_files.push_back(file);
  }
  std::vector<registry::RefusedPlugin> problems, skipped;
  scan.files = loader::discover_plugin_files(checked_dirs, checked_files, problems, skipped);
  for (auto& p : problems) refuse(p.path, p.reason, trigger, scan, report);
  for (auto& p : skipped) scan.skipped.push_back(p.path.string() + ": skipped, " + p.reason);
  scan.present.insert(scan.files.begin(), scan.files.end());
  return scan;
}

void PluginManager::examine(const fs::path& file, const Trigger& trigger, Scan& scan, ReloadReport& report) {
  const auto identity = identity_of(file);
  const auto signature_identity = identity_of(trust::signature_path_for(file));
  const auto slot = slots_.find(file);
  if (!trigger.full && identity) {
    if (slot != slots_.end() && slot->second.identity == *identity &&
        slot->second.signature_identity == signature_identity) {
      ++report.unchanged;
      return;
    }
    if (auto r = scan.rejected.find(file); r != scan.rejected.end() && r->second.identity == identity &&
                                           r->second.signature_identity == signature_identity) {
      report.refused.push_back(r->second.refusal);  // still refused, for the same reason
      scan.problem_paths.insert(file);
      return;
    }
  }
  PluginFile read = read_plugin_file(file, service_uid_, staging_.get());
  if (read.status == PluginFile::incomplete)
    return hold_incomplete(file, read.problem, trigger, scan, report);
  if (read.status == PluginFile::refused)
    return refuse(file, read.problem, trigger, scan, report, identity, signature_identity);

  if (slot != slots_.end() && slot->second.sha256 == read.sha256) {
    // Touched or rewritten with the same bytes: nothing to swap.
    if (staging_) staging_->remove(read.staged);
    scan.same_bytes[file] = {read.identity, signature_identity};
    scan.rejected.erase(file);
    ++report.unchanged;
    return;
  }

  Candidate c;
  c.file = file;
  c.named_explicitly = std::find(files_.begin(), files_.end(), file) != files_.end();
  c.identity = read.identity;
  c.signature_identity = signature_identity;
  c.sha256 = read.sha256;
  if (staging_) {
    c.staged = read.staged;
  } else if (slot != slots_.end()) {
    return refuse(file,
                  "cannot replace a plugin while serving without a staging directory: " + staging_problem_,
                  trigger, scan, report, identity, signature_identity);
  } else if (policy_.require_signed) {
    return refuse(file,
                  "signatures are required, and the bytes to verify can only be pinned in a staging "
                  "directory: " +
                      staging_problem_,
                  trigger, scan, report, identity, signature_identity);
  } else {
    c.staged = file;
  }
  if (after_staging) after_staging(file, c.staged);

  if (!policy_.require_signed) {
    c.signature = "not required";
  } else {
    auto reject = [&](std::string why) {
      if (staging_) staging_->remove(c.staged);
      refuse(file, std::move(why), trigger, scan, report, identity, signature_identity);
    };
    if (!read.signature_text)
      return reject("unsigned: signatures are required and there is no " +
                    trust::signature_path_for(file).filename().string() +
                    " beside it (create one with `mcpd plugin sign`)");
    std::string error;
    auto signature = trust::parse_signature_file(*read.signature_text, error);
    if (!signature) return reject("bad signature file: " + error);
    // c.sha256 is the digest of the staged copy as mapped from disk: what dlopen() maps.
    auto verdict = trust::verify_signature(*signature, c.sha256, trusted_keys_);
    if (!verdict.ok) return reject(verdict.reason);
    c.signature = "verified (key " + verdict.key_id + ")";
    c.signed_manifest = signature->manifest;
  }
  scan.candidates.push_back(std::move(c));
}

void PluginManager::negotiate(Candidate& c, const Trigger& trigger, Scan& scan, ReloadReport& report) {
  std::string error;
  c.library = loader::NegotiatedLibrary::open(c.staged, error, c.file);
  if (!c.library) {
    refuse(c.file, error, trigger, scan, report, c.identity, c.signature_identity);
    return discard(c);
  }
  const auto& info = c.library->info();
  c.plugin_namespace = info.plugin_namespace;
  c.version = info.version;
  if (c.signed_manifest && (c.signed_manifest->plugin_namespace != info.plugin_namespace ||
                            c.signed_manifest->version != info.version)) {
    refuse(c.file,
           "the signature was made for " + c.signed_manifest->plugin_namespace + " " +
               c.signed_manifest->version + ", but the plugin says it is " + describe(info),
           trigger, scan, report, c.identity, c.signature_identity);
    return discard(c);
  }
}

void PluginManager::start(Candidate& c, const Trigger& trigger, Scan& scan, ReloadReport& report) {
  const std::string ns = c.library->info().plugin_namespace;
  json::object section;
  if (auto it = plugin_config_.find(ns); it != plugin_config_.end() && it->value().is_object())
    section = it->value().get_object();
  std::vector<std::string> problems;
  if (!c.library->info().config_schema.is_null()) {
    auto check = config::check_plugin_section(ns, section, c.library->info().config_schema, schema_formats_);
    for (const auto& w : check.unknown_keys) log::warn(w, {{"plugin", ns}});
    // Invalid settings do not stop the plugin: on_init is told (host_api.config_problems_json) and decides.
    for (const auto& e : check.errors) log::warn(e, {{"plugin", ns}});
    problems = std::move(check.errors);
  }
  std::string error;
  c.plugin = loader::LoadedPlugin::start(std::move(c.library), section, problems, separator_, hooks_,
                                         schema_formats_, error);
  if (!c.plugin) {
    refuse(c.file, error, trigger, scan, report, c.identity, c.signature_identity);
    c.refused = true;  // its library was released inside start(); the reaper removes the copy
  }
}

void PluginManager::hold_incomplete(const fs::path& file, std::string reason, const Trigger& trigger,
                                    Scan& scan, ReloadReport& report) {
  const auto identity = identity_of(file);
  const auto signature_identity = identity_of(trust::signature_path_for(file));
  // Refused for staying incomplete, and still the same: stays refused.
  if (auto r = scan.rejected.find(file); r != scan.rejected.end() && r->second.identity == identity) {
    report.refused.push_back(r->second.refusal);
    scan.problem_paths.insert(file);
    return;
  }
  const std::chrono::milliseconds timeout(policy_.incomplete_file_timeout_ms);
  const auto previous = waiting_.find(file);
  WaitingFile waiting = WaitingFile::seen(previous == waiting_.end() ? nullptr : &previous->second,
                                          std::move(reason), identity, Clock::now());
  if (waiting.overdue(Clock::now(), timeout))
    return refuse(file, waiting.refusal(timeout), trigger, scan, report, identity, signature_identity);
  if (previous == waiting_.end() || previous->second.reason != waiting.reason)
    log::warn("plugin file not complete yet; waiting for it",
              {{"file", file.string()},
               {"reason", waiting.reason},
               {"refused_after_ms", std::to_string(timeout.count())}});
  report.waiting.push_back(file.string() + ": " + waiting.reason);
  scan.waiting[file] = std::move(waiting);
}

std::optional<PluginManager::Clock::time_point> PluginManager::next_waiting_deadline() const {
  std::lock_guard lock(state_mutex_);
  std::optional<Clock::time_point> earliest;
  for (const auto& [file, waiting] : waiting_) {
    const auto due = waiting.deadline(std::chrono::milliseconds(policy_.incomplete_file_timeout_ms));
    if (!earliest || due < *earliest) earliest = due;
  }
  return earliest;
}

void PluginManager::probe(Scan& scan, const Trigger& trigger, ReloadReport& report) {
  std::vector<Candidate*> unknown;
  std::vector<fs::path> files;
  auto verdict_for = [&](Candidate& c, const loader::LoadProbeVerdict& verdict) {
    if (verdict.safe) return;
    refuse(c.file, verdict.problem, trigger, scan, report, c.identity, c.signature_identity);
    discard(c);
  };
  for (auto& c : scan.candidates) {
    if (c.refused) continue;
    if (auto known = probe_verdicts_->find(c.sha256)) {
      verdict_for(c, *known);
      continue;
    }
    unknown.push_back(&c);
    files.push_back(c.staged);
  }
  if (files.empty()) return;
  const auto started = Clock::now();
  const auto verdicts =
      loader::probe_plugin_loads(files, std::chrono::milliseconds(policy_.probe_timeout_ms));
  log::debug(
      "plugin files test-loaded in child processes",
      {{"files", std::to_string(files.size())},
       {"ms", std::to_string(
                  std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count())}});
  for (std::size_t i = 0; i < unknown.size(); ++i) {
    probe_verdicts_->remember(unknown[i]->sha256, verdicts[i]);
    verdict_for(*unknown[i], verdicts[i]);
  }
}

ReloadPlan PluginManager::plan_and_start(const Trigger& trigger, Scan& scan, ReloadReport& report) {
  auto candidate_for = [&](const fs::path& file) -> Candidate* {
    for (auto& c : scan.candidates)
      if (c.file == file && !c.refused) return &c;
    return nullptr;
  };
  const std::set<fs::path> kept_unchecked(scan.kept_unchecked.begin(), scan.kept_unchecked.end());
  ReloadPlanInput input;
  input.load_order = scan.files;
  for (const auto& f : scan.kept_unchecked)
    if (scan.present.count(f) == 0) input.load_order.push_back(f);
  for (const auto& [file, slot] : slots_) {
    const auto& info = slot.plugin->info();
    input.serving.push_back({file, info.plugin_namespace, info.version, slot.sha256,
                             std::find(files_.begin(), files_.end(), file) != files_.end(),
                             scan.present.count(file) != 0 || kept_unchecked.count(file) != 0});
  }
  for (const auto& c : scan.candidates)
    if (!c.refused)
      input.candidates.push_back(
          {c.file, c.plugin_namespace, c.version, c.sha256, c.named_explicitly, false});

  for (;;) {
    for (auto& n : input.candidates) n.failed = candidate_for(n.file) == nullptr;
    ReloadPlan plan = plan_reload(input);
    bool again = false;
    for (const auto& s : plan.start) {
      Candidate* c = candidate_for(s.file);
      if (c->plugin) continue;
      start(*c, trigger, scan, report);
      if (c->refused) again = true;
    }
    if (again) continue;
    // Names may collide across plugins; built with the versions that stay
    // first, so a collision refuses the newcomer.
    std::vector<std::shared_ptr<loader::LoadedPlugin>> kept_first;
    for (const auto& f : plan.keep) kept_first.push_back(slots_.at(f).plugin);
    for (const auto& s : plan.start) kept_first.push_back(candidate_for(s.file)->plugin);
    auto built = registry::RegistrySnapshot::build(kept_first, separator_);
    for (const auto& r : built.refused) {
      if (auto* c = candidate_for(r.path)) {
        refuse(c->file, r.reason, trigger, scan, report);  // depends on other plugins, like a namespace
        c->refused = true;
        c->plugin.reset();
        again = true;
      } else {
        log::error("plugin refused", {{"file", r.path.string()}, {"reason", r.reason}});
      }
    }
    if (again) continue;

    // Final: the losers of a namespace are refused (not remembered by
    // identity: they depend on other files and are tried again when those
    // change), and the duplicate itself is the one line logged about them.
    for (const auto& r : plan.refused) {
      refuse(r.file, r.reason, trigger, scan, report, {}, {}, false);
      if (std::find(plan.retire.begin(), plan.retire.end(), r.file) != plan.retire.end()) {
        // Its version is retired by this plan: nothing keeps serving from it.
        report.refused.back().kept.clear();
        scan.rejected[r.file].refusal.kept.clear();
      }
      if (auto* c = candidate_for(r.file)) discard(*c);
    }
    return plan;
  }
}

void PluginManager::warn_once(const std::vector<std::string>& warnings, const Trigger& trigger,
                              std::string_view message) {
  for (const auto& w : warnings)
    if (trigger.name == "startup" || trigger.full ||
        std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end())
      log::warn(message, {{"detail", w}});
}

ReloadReport PluginManager::reload(const Trigger& trigger) {
  std::lock_guard serial(reload_mutex_);
  const auto work_started = Clock::now();
  ReloadReport report;
  report.trigger = trigger.name;
  const std::set<fs::path> being_written = write_tracker_ ? write_tracker_() : std::set<fs::path>{};

  Scan scan = scan_sources(trigger, report);
  for (const auto& file : scan.files) {
    if (being_written.count(file) != 0) {
      hold_incomplete(file, "it is open for writing (modified and not closed yet)", trigger, scan, report);
      continue;
    }
    examine(file, trigger, scan, report);
  }
  probe(scan, trigger, report);
  for (auto& c : scan.candidates)
    if (!c.refused) negotiate(c, trigger, scan, report);
  const ReloadPlan plan = plan_and_start(trigger, scan, report);
  warn_once(scan.skipped, trigger, "plugin file skipped");
  warn_once(plan.duplicates, trigger, "plugin namespace claimed by several files");
  report.warnings = scan.skipped;
  report.warnings.insert(report.warnings.end(), plan.duplicates.begin(), plan.duplicates.end());

  auto started = [&](const fs::path& file) -> Candidate* {
    for (auto& c : scan.candidates)
      if (c.file == file && c.started()) return &c;
    return nullptr;
  };
  const bool changed = generation() == 0 || plan.changes_serving();
  std::shared_ptr<const registry::RegistrySnapshot> before;
  if (changed) {
    std::vector<std::shared_ptr<loader::LoadedPlugin>> serving_now;
    for (const auto& f : plan.serving_order)
      serving_now.push_back(started(f) ? started(f)->plugin : slots_.at(f).plugin);
    auto built = registry::RegistrySnapshot::build(serving_now, separator_);
    for (const auto& r : built.refused)  // cannot happen after plan_and_start; said loudly if it does
      log::error("plugin refused", {{"file", r.path.string()}, {"reason", r.reason}});
    {
      // The generation moves with the snapshot: whoever reads generation N
      // finds snapshot N (or a later one) published.
      std::lock_guard lock(state_mutex_);
      before = context_.snapshot();
      context_.publish(built.snapshot);
      ++generation_;
    }
    const auto published_at = Clock::now();
    report.published = true;
    report.latency = std::chrono::duration_cast<std::chrono::microseconds>(published_at - trigger.at);
    report.work = std::chrono::duration_cast<std::chrono::microseconds>(published_at - work_started);
    if (before) {
      report.notified = registry::compare_listings(before.get(), *built.snapshot);
      if (report.notified.tools) context_.hub.notify_list_changed("tools");
      if (report.notified.prompts) context_.hub.notify_list_changed("prompts");
      if (report.notified.resources) context_.hub.notify_list_changed("resources");
    }
  }

  // What changed, for the report and the log.
  std::vector<std::shared_ptr<loader::LoadedPlugin>> released;
  std::vector<RetiredEntry> newly_retired;
  for (const auto& s : plan.start) {
    const auto& info = started(s.file)->plugin->info();
    if (s.swap)
      report.replaced.push_back(info.plugin_namespace + " " + slots_.at(s.file).plugin->info().version +
                                " -> " + info.version + " (" + s.file.string() + ")");
    else
      report.added.push_back(describe(info) + " (" + s.file.string() + ")");
  }
  for (const auto& file : plan.retire) {
    const auto& info = slots_.at(file).plugin->info();
    if (!started(file)) report.removed.push_back(describe(info) + " (" + file.string() + ")");
    newly_retired.push_back({slots_.at(file).plugin, info.plugin_namespace, info.version, info.path,
                             info.loaded_from, std::chrono::system_clock::now(), true});
  }
  {
    std::lock_guard lock(state_mutex_);
    for (const auto& file : plan.retire) {
      released.push_back(std::move(slots_.at(file).plugin));
      slots_.erase(file);
    }
    for (const auto& s : plan.start) {
      Candidate& c = *started(s.file);
      slots_[c.file] = Slot{std::move(c.plugin), c.identity, c.signature_identity, c.sha256, c.signature};
    }
    for (auto& r : newly_retired) retired_.push_back(std::move(r));
    for (const auto& [file, ids] : scan.same_bytes) {
      if (auto slot = slots_.find(file); slot != slots_.end()) {
        slot->second.identity = ids.first;
        slot->second.signature_identity = ids.second;
      }
    }
    // Only what was refused this time stays refused: a file that loaded, or
    // is gone, has nothing left to report.
    std::erase_if(scan.rejected,
                  [&](const auto& entry) { return scan.problem_paths.count(entry.first) == 0; });
    rejected_ = std::move(scan.rejected);
    waiting_ = std::move(scan.waiting);
    warnings_ = report.warnings;
    report.generation = generation_;
    ++reloads_total_[{report.trigger, report.published ? "published" : "unchanged"}];
    refusals_total_ += report.refused.size();
    last_reload_ = report;
    check_retired_limit_locked();
  }

  if (trigger.name == "startup") {
    for (const auto& p : context_.snapshot()->plugins()) {
      const auto& info = p->info();
      log::info("plugin loaded", {{"namespace", info.plugin_namespace},
                                  {"version", info.version},
                                  {"file", info.path.string()},
                                  {"tools", std::to_string(p->registrations().tools.size())}});
    }
  } else if (report.published || !report.refused.empty() || !report.waiting.empty()) {
    std::string lists;
    for (auto [on, name] :
         {std::pair{report.notified.tools, "tools"}, std::pair{report.notified.prompts, "prompts"},
          std::pair{report.notified.resources, "resources"}})
      if (on) lists += (lists.empty() ? "" : ",") + std::string(name);
    log::info("plugins reloaded", {{"trigger", report.trigger},
                                   {"generation", std::to_string(report.generation)},
                                   {"published", report.published ? "true" : "false"},
                                   {"changes", report.summary()},
                                   {"list_changed", lists.empty() ? "none" : lists},
                                   {"latency_us", std::to_string(report.latency.count())},
                                   {"work_us", std::to_string(report.work.count())}});
  } else {
    log::debug("plugins rescanned: nothing changed", {{"trigger", report.trigger}});
  }
  // Dropped last, outside every lock: an old version without calls in
  // flight goes to the reaper from here.
  released.clear();
  before.reset();
  // A reload reads whole plugin files into memory; give those pages back
  // rather than let every swap grow the heap's high-water mark.
  if (!scan.candidates.empty()) ::malloc_trim(0);
  return report;
}

// ---------------------------------------------------------------------------
// Retired versions

void PluginManager::on_unloaded(const UnloadOutcome& outcome) {
  {
    std::lock_guard lock(state_mutex_);
    auto it = std::find_if(retired_.begin(), retired_.end(),
                           [&](const RetiredEntry& r) { return r.loaded_from == outcome.loaded_from; });
    if (outcome.unloaded) {
      ++unloads_total_;
      if (it != retired_.end()) retired_.erase(it);
    } else {
      ++unload_failures_total_;
      if (it != retired_.end()) it->unloadable = false;
    }
    check_retired_limit_locked();
  }
  // Unlinking a copy that is still mapped is harmless: the mapping stays.
  if (staging_) staging_->remove(outcome.loaded_from);
}

void PluginManager::check_retired_limit_locked() {
  if (retired_.size() <= policy_.max_retired_resident) {
    over_limit_reported_ = false;
    return;
  }
  if (over_limit_reported_) return;
  over_limit_reported_ = true;
  std::string versions;
  for (const auto& r : retired_)
    versions += (versions.empty() ? "" : ", ") + r.plugin_namespace + " " + r.version +
                (r.unloadable ? "" : " (cannot be unloaded)");
  log::warn(
      "more replaced plugin versions are still in memory than plugins.max_retired_resident allows; "
      "long calls keep old versions alive, and versions that cannot be unloaded stay until a restart",
      {{"resident", std::to_string(retired_.size())},
       {"limit", std::to_string(policy_.max_retired_resident)},
       {"versions", versions}});
}

bool PluginManager::wait_for_unloads(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    bool pending = false;
    {
      std::lock_guard lock(state_mutex_);
      for (const auto& r : retired_)
        if (r.unloadable && r.plugin.expired()) pending = true;
    }
    if (!pending && reaper_->wait_idle(std::chrono::milliseconds(0))) return true;
    if (Clock::now() >= deadline) return false;
    reaper_->wait_idle(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// ---------------------------------------------------------------------------
// State for operators

std::vector<PluginManager::Serving> PluginManager::serving() const {
  std::lock_guard lock(state_mutex_);
  std::vector<Serving> out;
  for (const auto& [file, slot] : slots_) {
    const auto& info = slot.plugin->info();
    out.push_back({info.plugin_namespace, info.version, info.path, info.loaded_from,
                   trust::to_hex(slot.sha256), slot.signature, slot.plugin->loaded_at(),
                   slot.plugin->calls_in_flight(), slot.plugin->health().stuck_calls(),
                   slot.plugin->health().overdue_total()});
  }
  return out;
}

std::vector<PluginManager::Retired> PluginManager::retired() const {
  std::vector<Retired> out;
  std::vector<std::shared_ptr<loader::LoadedPlugin>> pinned;  // released after the lock
  {
    std::lock_guard lock(state_mutex_);
    for (const auto& r : retired_) {
      auto plugin = r.plugin.lock();
      out.push_back({r.plugin_namespace, r.version, r.file, r.loaded_from, r.retired_at,
                     plugin ? plugin->calls_in_flight() : 0, r.unloadable,
                     plugin ? plugin->health().stuck_calls() : 0});
      pinned.push_back(std::move(plugin));
    }
  }
  return out;
}

std::vector<Refusal> PluginManager::refusals() const {
  std::lock_guard lock(state_mutex_);
  std::vector<Refusal> out;
  for (const auto& [path, r] : rejected_) out.push_back(r.refusal);
  return out;
}

PluginAdminView PluginManager::admin_view() const {
  PluginAdminView view;
  view.serving = serving();
  view.retired = retired();
  view.refused = refusals();
  std::lock_guard lock(state_mutex_);
  view.generation = generation_;
  view.hot_swap = staging_ != nullptr;
  view.staging_dir = staging_ ? staging_->directory().string() : std::string();
  view.staging_problem = staging_problem_;
  view.require_signed = policy_.require_signed;
  for (const auto& k : trusted_keys_) view.trusted_key_ids.push_back(k.key_id());
  for (const auto& [file, waiting] : waiting_) view.waiting.emplace_back(file, waiting.reason);
  view.warnings = warnings_;
  view.max_retired_resident = policy_.max_retired_resident;
  view.unloads_total = unloads_total_;
  view.unload_failures_total = unload_failures_total_;
  view.refusals_total = refusals_total_;
  view.reloads_total = reloads_total_;
  view.last_reload = last_reload_;
  return view;
}

json::object PluginManager::plugin_state() const {
  return plugin_state_json(admin_view());
}

json::object PluginManager::reload_plugins(std::string_view trigger) {
  Trigger t;
  t.name = std::string(trigger);
  t.full = true;
  return reload(t).to_json();
}

std::string PluginManager::plugin_metrics() const {
  return plugin_metrics_text(admin_view());
}

}  // namespace mcpd::hotswap
