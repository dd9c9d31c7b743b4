#include "libav_images.hpp"

#include <memory>
#include <stdexcept>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
}

namespace gemini_test {
namespace {

struct context_deleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct frame_deleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct packet_deleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

// Fills a planar YUV 4:2:0 frame or a packed BGRA frame with a gradient.
void fill(AVFrame* frame) {
  if (frame->format == AV_PIX_FMT_BGRA) {
    for (int y = 0; y < frame->height; ++y) {
      auto* row = frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0];
      for (int x = 0; x < frame->width; ++x) {
        row[x * 4 + 0] = static_cast<std::uint8_t>(x & 0xFF);
        row[x * 4 + 1] = static_cast<std::uint8_t>(y & 0xFF);
        row[x * 4 + 2] = 128;
        row[x * 4 + 3] = 255;
      }
    }
    return;
  }
  for (int y = 0; y < frame->height; ++y) {
    for (int x = 0; x < frame->width; ++x)
      frame->data[0][y * frame->linesize[0] + x] = static_cast<std::uint8_t>((x + y) & 0xFF);
  }
  for (int y = 0; y < (frame->height + 1) / 2; ++y) {
    for (int x = 0; x < (frame->width + 1) / 2; ++x) {
      frame->data[1][y * frame->linesize[1] + x] = 100;
      frame->data[2][y * frame->linesize[2] + x] = 160;
    }
  }
}

std::vector<std::uint8_t> encode(const char* encoder_name, AVPixelFormat format, int width, int height,
                                 bool lossless) {
  const AVCodec* codec = avcodec_find_encoder_by_name(encoder_name);
  if (codec == nullptr) return {};
  std::unique_ptr<AVCodecContext, context_deleter> context(avcodec_alloc_context3(codec));
  context->width = width;
  context->height = height;
  context->pix_fmt = format;
  context->time_base = AVRational{1, 25};
  if (lossless) av_opt_set(context->priv_data, "lossless", "1", 0);
  if (avcodec_open2(context.get(), codec, nullptr) < 0)
    throw std::runtime_error(std::string("cannot open encoder ") + encoder_name);

  std::unique_ptr<AVFrame, frame_deleter> frame(av_frame_alloc());
  frame->format = format;
  frame->width = width;
  frame->height = height;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw std::runtime_error("av_frame_get_buffer failed");
  fill(frame.get());
  frame->pts = 0;

  std::unique_ptr<AVPacket, packet_deleter> packet(av_packet_alloc());
  std::vector<std::uint8_t> bytes;
  if (avcodec_send_frame(context.get(), frame.get()) < 0)
    throw std::runtime_error("avcodec_send_frame failed");
  avcodec_send_frame(context.get(), nullptr);
  while (avcodec_receive_packet(context.get(), packet.get()) == 0) {
    bytes.insert(bytes.end(), packet->data, packet->data + packet->size);
    av_packet_unref(packet.get());
  }
  if (bytes.empty()) throw std::runtime_error(std::string("encoder ") + encoder_name + " produced nothing");
  return bytes;
}

}  // namespace

std::vector<std::uint8_t> make_jpeg(int width, int height) {
  return encode("mjpeg", AV_PIX_FMT_YUVJ420P, width, height, false);
}

std::vector<std::uint8_t> make_webp(int width, int height, bool lossless) {
  return encode("libwebp", lossless ? AV_PIX_FMT_BGRA : AV_PIX_FMT_YUV420P, width, height, lossless);
}

}  // namespace gemini_test
