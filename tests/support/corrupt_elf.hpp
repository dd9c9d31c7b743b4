// A plugin file that crashes the dynamic loader, made from a real one: every
// relative relocation is pointed far outside the library's mapping, so
// dlopen() writes there and dies of SIGSEGV inside _dl_relocate_object, before
// any plugin code runs. The file stays a complete, well-formed ELF (its
// headers are untouched), so only loading it reveals the damage.
#pragma once

#include <dlfcn.h>
#include <elf.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mcpd_test {

// The bytes of `elf` with every R_*_RELATIVE relocation of its SHT_RELA
// sections aimed at an address nothing maps. Throws if there is none to aim.
inline std::string with_relocations_out_of_range(std::string elf) {
  if (elf.size() < sizeof(Elf64_Ehdr) || std::memcmp(elf.data(), ELFMAG, SELFMAG) != 0)
    throw std::runtime_error("not an ELF file");
  Elf64_Ehdr header;
  std::memcpy(&header, elf.data(), sizeof header);
  std::size_t aimed = 0;
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    std::memcpy(&section, elf.data() + header.e_shoff + i * sizeof section, sizeof section);
    if (section.sh_type != SHT_RELA || section.sh_entsize != sizeof(Elf64_Rela)) continue;
    for (std::uint64_t at = section.sh_offset; at + sizeof(Elf64_Rela) <= section.sh_offset + section.sh_size;
         at += sizeof(Elf64_Rela)) {
      Elf64_Rela rela;
      std::memcpy(&rela, elf.data() + at, sizeof rela);
      const auto type = ELF64_R_TYPE(rela.r_info);
      if (type != R_X86_64_RELATIVE && type != R_AARCH64_RELATIVE) continue;
      rela.r_offset = 0x3f0000000000ULL;  // 63 TiB past the load address: unmapped
      std::memcpy(elf.data() + at, &rela, sizeof rela);
      ++aimed;
    }
  }
  if (aimed == 0) throw std::runtime_error("no relative relocation to corrupt");
  return elf;
}

inline std::string read_file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Writes a crashing copy of `good_plugin` to `target` (mode 0644).
inline void write_crashing_plugin(const std::filesystem::path& good_plugin,
                                  const std::filesystem::path& target) {
  const std::string bytes = with_relocations_out_of_range(read_file_bytes(good_plugin));
  std::ofstream(target, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::filesystem::permissions(target, std::filesystem::perms(0644));
}

// The signal that ended a child which only dlopen()ed `file` (RTLD_NOW |
// RTLD_LOCAL, as mcpd does), or 0 when it survived. Call it before the test
// starts threads: the child is forked. In a sanitizer build, signal() goes
// through the sanitizer's interceptor to the real sigaction (its own SIGSEGV
// handler is not exclusive), so the kernel kills the child and no sanitizer
// report is written; scripts/sanitize.sh, which fails on any report, runs the
// tests that call this.
inline int signal_of_plain_dlopen(const std::filesystem::path& file) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGSEGV, SIG_DFL);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    ::_exit(handle != nullptr ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace mcpd_test
