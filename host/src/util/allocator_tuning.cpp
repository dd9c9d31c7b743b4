#include "util/allocator_tuning.hpp"

#include <malloc.h>

#include <cstdlib>
#include <string_view>

namespace mcpd {

void tune_allocator_for_large_messages() {
  if (const char* tunables = std::getenv("GLIBC_TUNABLES");
      tunables != nullptr && std::string_view(tunables).find("glibc.malloc.") != std::string_view::npos)
    return;
  // Under a sanitizer's allocator these calls do nothing, harmlessly.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed value on 64-bit
  ::mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

}  // namespace mcpd
