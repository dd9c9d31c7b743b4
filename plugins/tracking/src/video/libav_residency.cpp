#include "libav_residency.hpp"

#include <mcpd/sdk/keep_loaded.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswscale/swscale.h>
}

namespace mcpd::tracking::video {

void keep_libav_loaded() noexcept {
  sdk::keep_loaded(reinterpret_cast<const void*>(&avformat_open_input));
  sdk::keep_loaded(reinterpret_cast<const void*>(&avcodec_send_packet));
  sdk::keep_loaded(reinterpret_cast<const void*>(&sws_scale));
  sdk::keep_loaded(reinterpret_cast<const void*>(&av_frame_alloc));
}

}  // namespace mcpd::tracking::video
