#pragma once
// Is this the whole of an ELF shared object, or the first part of one that is
// still being copied? A deployer who writes a plugin in place (instead of
// writing elsewhere and renaming it in) exposes a partial file for a while;
// the headers say how long the file must be, so a truncated one is recognised
// without running anything from it.
#include <string>
#include <string_view>

namespace mcpd::hotswap {

struct ElfVerdict {
  enum Kind { complete, truncated, not_elf } kind = complete;
  std::string reason;  // empty when complete
};

// `complete` when every header table and every loadable segment of a 64-bit
// ELF file lies inside `bytes`; `truncated` when the file ends early (likely
// still being written); `not_elf` when it is not a 64-bit ELF file at all.
ElfVerdict check_elf_complete(std::string_view bytes);

}  // namespace mcpd::hotswap
