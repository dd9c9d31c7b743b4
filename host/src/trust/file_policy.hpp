#pragma once
// Who may have put a plugin where mcpd loads it from. A plugin runs with all
// of the host's privileges, so a file (or a directory it sits in) that someone
// other than the service user or root can write is as good as code injection:
// such files and directories are refused.
#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::trust {

// Why an object with this stat may not be trusted (`what` names it in the
// sentence), or nullopt. Owner must be `service_uid` or root; no group or
// world write bit. `sticky_ok`: a world-writable directory with the sticky bit
// owned by root (/tmp) is acceptable as an ancestor, since nobody can replace
// another user's entries in it.
std::optional<std::string> ownership_problem(const struct stat& st, uid_t service_uid, std::string_view what,
                                             bool sticky_ok = false);

// Checks `directory` itself strictly and every ancestor up to "/" (with the
// sticky exception). The path is made absolute and symbolic links resolved first.
std::optional<std::string> directory_chain_problem(const std::filesystem::path& directory, uid_t service_uid);

}  // namespace mcpd::trust
