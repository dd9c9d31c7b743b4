// mcpd plugin keygen | sign | verify: Ed25519 keys and detached signatures
// for plugins (see trust/plugin_signature.hpp for what is signed).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "hotswap/plugin_file.hpp"
#include "hotswap/staging_area.hpp"
#include "loader/load_probe.hpp"
#include "trust/plugin_signature.hpp"

namespace mcpd::cli {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct TrustOptions {
  std::vector<std::string> positional;
  std::optional<std::string> key, out, sig, config;
  std::vector<std::string> trusted_keys;
};

TrustOptions parse_trust_options(const std::vector<std::string>& args, std::string_view command,
                                 const std::vector<std::string_view>& allowed) {
  TrustOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!a.starts_with("--")) {
      o.positional.push_back(a);
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), a) == allowed.end())
      throw UsageError("plugin " + std::string(command) + ": unknown option \"" + a + "\" (see mcpd --help)");
    if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
    const std::string& value = args[++i];
    if (a == "--key") o.key = value;
    if (a == "--out") o.out = value;
    if (a == "--sig") o.sig = value;
    if (a == "--config") o.config = value;
    if (a == "--trusted-key") o.trusted_keys.push_back(value);
  }
  return o;
}

std::string read_text(const fs::path& file, std::string_view what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError("cannot read the " + std::string(what) + " \"" + file.string() + "\"");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Creates `file` with `mode` and writes `text`; refuses to replace an existing file.
void write_new_file(const fs::path& file, std::string_view text, mode_t mode) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw UsageError(errno == EEXIST ? "\"" + file.string() + "\" exists already; choose another --out"
                                     : "cannot create \"" + file.string() + "\": " + std::strerror(errno));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw UsageError("cannot write \"" + file.string() + "\"");
}

// Reads the plugin once and learns its namespace and version by negotiating
// with a private copy of exactly those bytes (no on_init runs).
struct PluginIdentity {
  std::string bytes;
  trust::SignedManifest manifest;
};

// The default of plugins.probe_timeout_ms: these commands read no configuration for it.
constexpr std::chrono::milliseconds kProbeTimeout{10000};

PluginIdentity identify(const fs::path& plugin) {
  const std::string bytes = read_text(plugin, "plugin");
  auto staging = hotswap::StagingArea::create(hotswap::StagingArea::default_root(::geteuid()), ::geteuid());
  const auto staged = staging->stage(plugin.stem().string(), bytes, trust::sha256(bytes));
  const auto digest = staging->digest_of(staged);
  // Test-loaded in a child first: a corrupt file must not crash this command.
  const auto probe = loader::probe_plugin_loads({staged}, kProbeTimeout)[0];
  if (!probe.safe) throw UsageError(plugin.string() + ": " + probe.problem);
  std::string error;
  auto library = loader::NegotiatedLibrary::open(staged, error, plugin);
  if (!library) throw UsageError(plugin.string() + ": " + error);
  return {bytes, {library->info().plugin_namespace, library->info().version, digest}};
}

void print_json(const json::object& doc) {
  std::printf("%s\n", json::serialize(doc).c_str());
}

}  // namespace

int command_plugin_keygen(const std::vector<std::string>& args) {
  auto o = parse_trust_options(args, "keygen", {"--out"});
  if (!o.positional.empty()) throw UsageError("plugin keygen takes no arguments (use --out PREFIX)");
  const std::string prefix = o.out.value_or("mcpd-plugin-key");
  auto key = trust::PrivateKey::generate();
  const auto pub = key.public_key();
  const fs::path private_file = prefix + ".pem", public_file = prefix + ".pub";
  write_new_file(private_file, key.to_pem(), 0600);
  write_new_file(public_file, pub.to_text() + "\n", 0644);
  print_json({{"private_key_file", private_file.string()},
              {"public_key_file", public_file.string()},
              {"key_id", pub.key_id()},
              {"public_key", pub.to_text()}});
  std::fprintf(stderr,
               "Keep %s secret. Trust the key by adding its public key to plugins.trusted_keys:\n  \"%s\"\n",
               private_file.c_str(), pub.to_text().c_str());
  return 0;
}

int command_plugin_sign(const std::vector<std::string>& args) {
  auto o = parse_trust_options(args, "sign", {"--key", "--out"});
  if (o.positional.size() != 1) throw UsageError("plugin sign needs exactly one FILE.so");
  if (!o.key) throw UsageError("plugin sign needs --key KEY.pem (make one with `mcpd plugin keygen`)");
  const fs::path plugin = o.positional[0];
  auto key = trust::PrivateKey::load_pem(*o.key);
  auto identity = identify(plugin);
  auto signature = trust::sign_manifest(identity.manifest, key);
  const fs::path out = o.out ? fs::path(*o.out) : trust::signature_path_for(plugin);
  // Replacing an old signature is the normal case after a rebuild: write and rename.
  const fs::path temp = out.string() + ".tmp";
  fs::remove(temp);
  write_new_file(temp, trust::to_json_text(signature), 0644);
  fs::rename(temp, out);
  print_json({{"file", plugin.string()},
              {"signature_file", out.string()},
              {"namespace", identity.manifest.plugin_namespace},
              {"version", identity.manifest.version},
              {"sha256", trust::to_hex(identity.manifest.sha256)},
              {"key_id", signature.key_id}});
  return 0;
}

int command_plugin_verify(const std::vector<std::string>& args) {
  auto o = parse_trust_options(args, "verify", {"--sig", "--config", "--trusted-key"});
  if (o.positional.size() != 1) throw UsageError("plugin verify needs exactly one FILE.so");
  const fs::path plugin = o.positional[0];
  std::vector<std::string> key_texts = o.trusted_keys;
  if (key_texts.empty()) {
    CommonOptions common;
    if (o.config) common.config_file = *o.config;
    common.log_level = "error";
    key_texts = effective_config(common, "error").plugin_policy.trusted_keys;
  }
  std::vector<trust::PublicKey> trusted;
  for (const auto& text : key_texts) {
    std::string error;
    auto key = trust::PublicKey::from_text(text, error);
    if (!key) throw UsageError("trusted key \"" + text + "\" is " + error);
    trusted.push_back(*key);
  }
  if (trusted.empty())
    throw UsageError("no trusted keys: pass --trusted-key KEY or set plugins.trusted_keys in --config FILE");

  const fs::path sig_file = o.sig ? fs::path(*o.sig) : trust::signature_path_for(plugin);
  json::object result{{"file", plugin.string()}, {"signature_file", sig_file.string()}};
  json::array problems;
  auto finish = [&](bool ok) {
    result["valid"] = ok;
    result["problems"] = std::move(problems);
    print_json(result);
    return ok ? 0 : 1;
  };
  std::error_code ec;
  if (!fs::exists(sig_file, ec)) {
    problems.emplace_back("unsigned: there is no " + sig_file.string() +
                          " (create one with `mcpd plugin sign`)");
    return finish(false);
  }
  std::string error;
  auto signature = trust::parse_signature_file(read_text(sig_file, "signature file"), error);
  if (!signature) {
    problems.emplace_back("bad signature file: " + error);
    return finish(false);
  }
  result["namespace"] = signature->manifest.plugin_namespace;
  result["version"] = signature->manifest.version;
  result["key_id"] = signature->key_id;
  // The same check the host makes: digest of a private copy, trusted key,
  // signature, then the identity the plugin claims when it negotiates.
  const std::string bytes = read_text(plugin, "plugin");
  auto staging = hotswap::StagingArea::create(hotswap::StagingArea::default_root(::geteuid()), ::geteuid());
  const auto staged = staging->stage(plugin.stem().string(), bytes, trust::sha256(bytes));
  const auto digest = staging->digest_of(staged);
  result["sha256"] = trust::to_hex(digest);
  auto verdict = trust::verify_signature(*signature, digest, trusted);
  if (!verdict.ok) {
    problems.emplace_back(verdict.reason);
    return finish(false);
  }
  if (const auto probe = loader::probe_plugin_loads({staged}, kProbeTimeout)[0]; !probe.safe) {
    problems.emplace_back("the signature is valid, but the plugin cannot be loaded: " + probe.problem);
    return finish(false);
  }
  auto library = loader::NegotiatedLibrary::open(staged, error, plugin);
  if (!library) {
    problems.emplace_back("the signature is valid, but the plugin cannot be loaded: " + error);
    return finish(false);
  }
  if (library->info().plugin_namespace != signature->manifest.plugin_namespace ||
      library->info().version != signature->manifest.version) {
    problems.emplace_back("the signature was made for " + signature->manifest.plugin_namespace + " " +
                          signature->manifest.version + ", but the plugin says it is " +
                          library->info().plugin_namespace + " " + library->info().version);
    return finish(false);
  }
  return finish(true);
}

}  // namespace mcpd::cli
