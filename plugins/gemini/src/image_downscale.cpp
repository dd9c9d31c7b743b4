#include "image_downscale.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <lodepng.h>
#include <mcpd/sdk/keep_loaded.hpp>

namespace mcpd::gemini {
namespace {

struct codec_context_deleter {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct frame_deleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct packet_deleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct scaler_deleter {
  void operator()(SwsContext* scaler) const { sws_freeContext(scaler); }
};

AVCodecID codec_of(image_format format) {
  switch (format) {
    case image_format::png:
      return AV_CODEC_ID_PNG;
    case image_format::jpeg:
      return AV_CODEC_ID_MJPEG;
    case image_format::webp:
      return AV_CODEC_ID_WEBP;
  }
  return AV_CODEC_ID_PNG;
}

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

// The "J" formats are the full-range twins of the YUV ones; swscale wants the plain format and the range
// said separately (and warns on stderr otherwise).
AVPixelFormat without_jpeg_range(AVPixelFormat format, bool& full_range) {
  full_range = true;
  switch (format) {
    case AV_PIX_FMT_YUVJ420P:
      return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
      return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
      return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
      return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P:
      return AV_PIX_FMT_YUV411P;
    default:
      full_range = false;
      return format;
  }
}

std::unique_ptr<AVFrame, frame_deleter> decode(std::span<const std::uint8_t> bytes, image_format format) {
  const AVCodec* codec = avcodec_find_decoder(codec_of(format));
  if (codec == nullptr) throw std::runtime_error("this FFmpeg build has no decoder for the image format");
  std::unique_ptr<AVCodecContext, codec_context_deleter> context(avcodec_alloc_context3(codec));
  if (!context) throw std::runtime_error("out of memory");
  context->thread_count = 1;
  if (int rc = avcodec_open2(context.get(), codec, nullptr); rc < 0)
    throw std::runtime_error("the decoder did not open (" + av_error_text(rc) + ")");

  std::unique_ptr<AVPacket, packet_deleter> packet(av_packet_alloc());
  if (!packet || av_new_packet(packet.get(), static_cast<int>(bytes.size())) < 0)
    throw std::runtime_error("out of memory");
  std::copy(bytes.begin(), bytes.end(), packet->data);  // av_new_packet adds the zeroed padding decoders need

  std::unique_ptr<AVFrame, frame_deleter> frame(av_frame_alloc());
  if (!frame) throw std::runtime_error("out of memory");
  if (int rc = avcodec_send_packet(context.get(), packet.get()); rc < 0)
    throw std::runtime_error("the image does not decode (" + av_error_text(rc) + ")");
  avcodec_send_packet(context.get(), nullptr);  // flush: single-image decoders may hold the frame
  if (int rc = avcodec_receive_frame(context.get(), frame.get()); rc < 0)
    throw std::runtime_error("the image does not decode (" + av_error_text(rc) + ")");
  if (frame->width <= 0 || frame->height <= 0) throw std::runtime_error("the image decodes to no pixels");
  return frame;
}

}  // namespace

void fit_long_edge(int width, int height, int max_long_edge, int& out_width, int& out_height) {
  const int long_edge = std::max(width, height);
  if (long_edge <= max_long_edge || long_edge <= 0) {
    out_width = width;
    out_height = height;
    return;
  }
  const double scale = static_cast<double>(max_long_edge) / long_edge;
  out_width = std::max(1, static_cast<int>(std::lround(width * scale)));
  out_height = std::max(1, static_cast<int>(std::lround(height * scale)));
  if (width >= height) out_width = max_long_edge;
  if (height >= width) out_height = max_long_edge;
}

void keep_libav_loaded() noexcept {
  sdk::keep_loaded(reinterpret_cast<const void*>(&avcodec_send_packet));
  sdk::keep_loaded(reinterpret_cast<const void*>(&sws_scale));
  sdk::keep_loaded(reinterpret_cast<const void*>(&av_frame_alloc));
}

encoded_image downscale_to_png(std::span<const std::uint8_t> bytes, image_format format, int max_long_edge) {
  const auto frame = decode(bytes, format);
  encoded_image result;
  fit_long_edge(frame->width, frame->height, max_long_edge, result.width, result.height);

  const auto* descriptor = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
  const bool alpha = descriptor != nullptr && (descriptor->flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
  const AVPixelFormat target = alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24;
  const int channels = alpha ? 4 : 3;

  bool full_range = false;
  const AVPixelFormat source = without_jpeg_range(static_cast<AVPixelFormat>(frame->format), full_range);
  std::unique_ptr<SwsContext, scaler_deleter> scaler(sws_getContext(frame->width, frame->height, source,
                                                                    result.width, result.height, target,
                                                                    SWS_AREA, nullptr, nullptr, nullptr));
  if (!scaler) throw std::runtime_error("the image's pixel format cannot be scaled");
  if (full_range) {
    const int* coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(scaler.get(), coefficients, 1, coefficients, 1, 0, 1 << 16, 1 << 16);
  }

  // swscale's SIMD writers store whole vectors: rows get an aligned stride and the buffer slack at its
  // end; the rows are packed tight for lodepng afterwards.
  constexpr std::size_t alignment = 64;
  const std::size_t row = static_cast<std::size_t>(result.width) * channels;
  const std::size_t stride = (row + alignment - 1) / alignment * alignment;
  std::vector<std::uint8_t> pixels(stride * static_cast<std::size_t>(result.height) + 2 * alignment);
  std::uint8_t* destination[4] = {pixels.data(), nullptr, nullptr, nullptr};
  int destination_stride[4] = {static_cast<int>(stride), 0, 0, 0};
  sws_scale(scaler.get(), frame->data, frame->linesize, 0, frame->height, destination, destination_stride);
  if (stride != row) {
    for (int y = 1; y < result.height; ++y)
      std::memmove(pixels.data() + static_cast<std::size_t>(y) * row,
                   pixels.data() + static_cast<std::size_t>(y) * stride, row);
  }

  const unsigned rc = lodepng::encode(result.png, pixels.data(), static_cast<unsigned>(result.width),
                                      static_cast<unsigned>(result.height), alpha ? LCT_RGBA : LCT_RGB, 8);
  if (rc != 0) throw std::runtime_error(std::string("PNG encoding failed (") + lodepng_error_text(rc) + ")");
  return result;
}

}  // namespace mcpd::gemini
