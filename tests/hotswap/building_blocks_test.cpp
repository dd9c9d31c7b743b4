// The parts hot swap is built from, one by one: recognising a partly written
// plugin, the private staging area, the configuration keys, the list
// comparison behind list_changed, and the directory watcher.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "config/config.hpp"
#include "hotswap/directory_watcher.hpp"
#include "hotswap/elf_completeness.hpp"
#include "hotswap/plugin_file.hpp"
#include "hotswap/staging_area.hpp"
#include "support/in_process_client.hpp"

using namespace hotswap_test;
namespace hs = mcpd::hotswap;
namespace fs = std::filesystem;

TEST_CASE("ELF completeness: every prefix of a plugin is recognised as still being written", "[elf]") {
  const std::string whole = read_bytes(swap_plugin("v1"));
  CHECK(hs::check_elf_complete(whole).kind == hs::ElfVerdict::complete);
  for (std::size_t size : {std::size_t{0}, std::size_t{3}, std::size_t{40}, std::size_t{64}, whole.size() / 4,
                           whole.size() / 2, whole.size() - 1}) {
    INFO("prefix of " << size << " bytes");
    auto verdict = hs::check_elf_complete(std::string_view(whole).substr(0, size));
    CHECK(verdict.kind == hs::ElfVerdict::truncated);
    CHECK_THAT(verdict.reason, Catch::Contains("still being written"));
  }
  CHECK(hs::check_elf_complete("#!/bin/sh\necho not a plugin\n").kind == hs::ElfVerdict::not_elf);
}

TEST_CASE("reading a plugin file: complete, truncated, or not ELF", "[elf]") {
  ScratchDir dir;
  const std::string whole = read_bytes(swap_plugin("v1"));
  // In memory (no staging area) ...
  auto ok = hs::read_plugin_file(deploy_bytes(dir.path(), "a.so", whole), ::geteuid(), nullptr);
  CHECK(ok.status == hs::PluginFile::ok);
  CHECK(ok.sha256 == mcpd::trust::sha256(whole));
  CHECK(ok.staged.empty());
  CHECK_FALSE(ok.signature_text);
  // ... and through a staging area: a settled copy with the same bytes.
  auto area = hs::StagingArea::create(dir / "staging", ::geteuid());
  auto staged = hs::read_plugin_file(dir / "a.so", ::geteuid(), area.get());
  REQUIRE(staged.status == hs::PluginFile::ok);
  CHECK(staged.sha256 == ok.sha256);
  CHECK(read_bytes(staged.staged) == whole);
  CHECK(staged.staged.parent_path() == area->directory());
  auto half = hs::read_plugin_file(deploy_bytes(dir.path(), "b.so", whole.substr(0, whole.size() / 2)),
                                   ::geteuid(), nullptr);
  CHECK(half.status == hs::PluginFile::incomplete);
  auto text = hs::read_plugin_file(deploy_bytes(dir.path(), "c.so", "hello"), ::geteuid(), nullptr);
  CHECK(text.status == hs::PluginFile::refused);
  CHECK(text.problem == "not an ELF shared object");
}

TEST_CASE("staging area: private, content-addressed, one name per load, cleaned up", "[staging]") {
  ScratchDir scratch;
  const fs::path root = scratch / "staging";
  fs::path process_dir;
  {
    auto area = hs::StagingArea::create(root, ::geteuid());
    process_dir = area->directory();
    struct stat st {};
    REQUIRE(::stat(root.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    REQUIRE(::stat(process_dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);

    const auto digest = mcpd::trust::sha256("same bytes");
    auto a = area->stage("swap", "same bytes", digest);
    auto b = area->stage("swap", "same bytes", digest);
    CHECK(a != b);  // never the same path twice: glibc would reuse the loaded object
    CHECK(a.filename().string().starts_with("swap-" + mcpd::trust::to_hex(digest).substr(0, 16) + "-"));
    CHECK(read_bytes(a) == "same bytes");
    CHECK(area->digest_of(a) == digest);
    REQUIRE(::stat(a.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0500);
    area->remove(a);
    CHECK_FALSE(fs::exists(a));
    area->remove(swap_plugin("v1"));  // outside the area: left alone
    CHECK(fs::exists(swap_plugin("v1")));
  }
  CHECK_FALSE(fs::exists(process_dir));  // removed with the area
}

TEST_CASE("staging area: refuses a directory others can read or write", "[staging]") {
  ScratchDir scratch;
  const fs::path root = scratch / "open";
  fs::create_directory(root);
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  CHECK_THROWS_WITH(hs::StagingArea::create(root, ::geteuid()),
                    Catch::Contains("must be private (chmod 700)"));
  CHECK_THROWS_WITH(hs::StagingArea::create(root, ::geteuid() + 1), Catch::Contains("belongs to uid"));
}

TEST_CASE("staging area: leftovers of dead processes are removed, live ones kept", "[staging]") {
  ScratchDir scratch;
  const fs::path root = scratch / "staging";
  fs::create_directory(root);
  fs::permissions(root, fs::perms::owner_all);
  // pid 2^22+1 is above the kernel's limit, so no such process can exist.
  fs::create_directory(root / "pid-4194305-AAAAAA");
  fs::create_directory(root / ("pid-" + std::to_string(::getpid()) + "-BBBBBB"));
  auto area = hs::StagingArea::create(root, ::geteuid());
  CHECK_FALSE(fs::exists(root / "pid-4194305-AAAAAA"));
  CHECK(fs::exists(root / ("pid-" + std::to_string(::getpid()) + "-BBBBBB")));
}

TEST_CASE("config: the plugins section's hot-swap keys and their environment variables", "[config]") {
  auto no_env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  auto config = mcpd::config::parse(R"({"plugins": {"directories": ["/p"], "watch": false, "debounce_ms": 50,
      "require_signed": true, "trusted_keys": ["a2V5"], "staging_dir": "/run/mcpd", "max_retired_resident": 2}})",
                                    no_env, "config.json");
  CHECK(config.warnings.empty());
  CHECK_FALSE(config.plugin_policy.watch);
  CHECK(config.plugin_policy.debounce_ms == 50);
  CHECK(config.plugin_policy.require_signed);
  CHECK(config.plugin_policy.trusted_keys == std::vector<std::string>{"a2V5"});
  CHECK(config.plugin_policy.staging_dir == "/run/mcpd");
  CHECK(config.plugin_policy.max_retired_resident == 2);

  auto defaults = mcpd::config::parse("{}", no_env, "config.json");
  CHECK(defaults.plugin_policy.watch);
  CHECK(defaults.plugin_policy.debounce_ms == 200);
  CHECK_FALSE(defaults.plugin_policy.require_signed);
  CHECK(defaults.plugin_policy.max_retired_resident == 4);

  CHECK_THROWS_WITH(mcpd::config::parse(R"({"plugins": {"watch": "yes"}})", no_env, "config.json"),
                    "config.json: plugins.watch must be true or false, got \"yes\"");
  CHECK_THROWS_WITH(mcpd::config::parse(R"({"plugins": {"debounce_ms": 100000}})", no_env, "config.json"),
                    Catch::Contains("plugins.debounce_ms must be between 0 and 60000"));
  CHECK_THROWS_WITH(mcpd::config::parse(R"({"plugins": {"trusted_keys": "k"}})", no_env, "config.json"),
                    Catch::Contains("plugins.trusted_keys must be an array"));

  auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "MCPD_PLUGINS_WATCH") return "off";
    if (name == "MCPD_REQUIRE_SIGNED_PLUGINS") return "TRUE";
    if (name == "MCPD_TRUSTED_KEYS") return "a2V5:b3RoZXI=";
    if (name == "MCPD_STAGING_DIR") return "/srv/stage";
    return std::nullopt;
  };
  auto from_env = mcpd::config::parse("{}", env, "config.json");
  CHECK_FALSE(from_env.plugin_policy.watch);
  CHECK(from_env.plugin_policy.require_signed);
  CHECK(from_env.plugin_policy.trusted_keys == std::vector<std::string>{"a2V5", "b3RoZXI="});
  CHECK(from_env.plugin_policy.staging_dir == "/srv/stage");
  auto bad_env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "MCPD_PLUGINS_WATCH") return "maybe";
    return std::nullopt;
  };
  CHECK_THROWS_WITH(mcpd::config::parse("{}", bad_env, "config.json"),
                    Catch::Contains("environment variable MCPD_PLUGINS_WATCH must be true or false"));
}

TEST_CASE("a malformed trusted key stops the server with the key's position", "[config][trust]") {
  CHECK_THROWS_WITH(InProcessServer([](mcpd::config::Config& c) { c.plugin_policy.trusted_keys = {"nope"}; }),
                    Catch::Contains("plugins.trusted_keys[0] is not an Ed25519 public key"));
}

TEST_CASE("directory watcher: a file being written is held back until it is closed", "[watch]") {
  ScratchDir dir;
  hs::DirectoryWatcher watcher;
  hs::WatchTarget target;
  target.directory = dir.path();
  target.every_plugin = true;
  watcher.watch({target});
  const std::string whole = read_bytes(swap_plugin("v1"));

  const fs::path file = dir / "swap.so";
  std::FILE* out = std::fopen(file.c_str(), "wb");
  REQUIRE(out != nullptr);
  std::fwrite(whole.data(), 1, whole.size() / 2, out);
  std::fflush(out);
  watcher.read_events();
  CHECK(watcher.being_written().count(file) == 1);
  std::fwrite(whole.data() + whole.size() / 2, 1, whole.size() - whole.size() / 2, out);
  std::fclose(out);
  CHECK(watcher.read_events());  // closed after writing: a reload is due
  CHECK(watcher.being_written().empty());

  // Temporary names and other files do not concern plugins; a rename onto a .so does.
  std::ofstream(dir / ".swap.so.tmp") << "x";
  std::ofstream(dir / "notes.txt") << "x";
  CHECK_FALSE(watcher.read_events());
  fs::rename(dir / ".swap.so.tmp", dir / "other.so");
  CHECK(watcher.read_events());
}
