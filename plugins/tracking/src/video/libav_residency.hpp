// FFmpeg's libraries stay in the process once the tracking plugin has loaded them (sdk::keep_loaded): they
// bring libgomp, libgcrypt and pixman, none of which is safe to unload, and a swapped-in version of the
// plugin reuses them instead of loading about 140 libraries again.
#pragma once

namespace mcpd::tracking::video {

void keep_libav_loaded() noexcept;

}  // namespace mcpd::tracking::video
