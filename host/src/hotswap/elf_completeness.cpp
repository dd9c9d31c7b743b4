#include "hotswap/elf_completeness.hpp"

#include <elf.h>

#include <algorithm>
#include <cstring>

namespace mcpd::hotswap {
namespace {

bool inside(std::uint64_t offset, std::uint64_t length, std::size_t size) {
  return offset <= size && length <= size - offset;
}

}  // namespace

ElfVerdict check_elf_complete(std::string_view bytes) {
  const std::size_t size = bytes.size();
  const ElfVerdict truncated{ElfVerdict::truncated,
                             "the file is truncated: its ELF headers describe more than the " +
                                 std::to_string(size) + " bytes present (still being written?)"};
  if (size < sizeof(Elf64_Ehdr)) {
    // A prefix of a valid header is a file being written; anything else is not ELF.
    const std::size_t common = std::min<std::size_t>(size, SELFMAG);
    if (std::memcmp(bytes.data(), ELFMAG, common) == 0) return truncated;
    return {ElfVerdict::not_elf, "not an ELF shared object"};
  }
  if (std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
    return {ElfVerdict::not_elf, "not an ELF shared object"};
  if (static_cast<unsigned char>(bytes[EI_CLASS]) != ELFCLASS64)
    return {ElfVerdict::not_elf, "not a 64-bit ELF shared object"};
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  if (header.e_phentsize != 0 &&
      !inside(header.e_phoff, std::uint64_t{header.e_phnum} * header.e_phentsize, size))
    return truncated;
  if (header.e_shentsize != 0 &&
      !inside(header.e_shoff, std::uint64_t{header.e_shnum} * header.e_shentsize, size))
    return truncated;
  if (header.e_phentsize == sizeof(Elf64_Phdr)) {
    for (unsigned i = 0; i < header.e_phnum; ++i) {
      Elf64_Phdr segment;
      std::memcpy(&segment, bytes.data() + header.e_phoff + i * sizeof segment, sizeof segment);
      if (segment.p_type == PT_LOAD && !inside(segment.p_offset, segment.p_filesz, size)) return truncated;
    }
  }
  return {};
}

}  // namespace mcpd::hotswap
