#include "clip_encoder.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "../video/video_error.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace mcpd::tracking::frames {
namespace {

constexpr AVRational milliseconds{1, 1000};
constexpr int io_buffer_size = 64 * 1024;

[[noreturn]] void fail(const std::string& what, int rc) {
  throw video::video_error("cannot encode the video clip: " + what + " (" + video::av_error_text(rc) + ")");
}

// The MP4 muxer writes forward and then seeks back to finish its index: a growable buffer it can do both
// in, so nothing touches the disk.
struct memory_file {
  std::string bytes;
  std::size_t position = 0;

  static int write(void* opaque, std::uint8_t* data, int size) {
    auto& file = *static_cast<memory_file*>(opaque);
    const auto count = static_cast<std::size_t>(size);
    if (file.bytes.size() < file.position + count) file.bytes.resize(file.position + count);
    std::memcpy(file.bytes.data() + file.position, data, count);
    file.position += count;
    return size;
  }

  static std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
    auto& file = *static_cast<memory_file*>(opaque);
    if ((whence & AVSEEK_SIZE) != 0) return static_cast<std::int64_t>(file.bytes.size());
    std::int64_t base = 0;
    switch (whence & ~AVSEEK_FORCE) {
      case SEEK_SET:
        base = 0;
        break;
      case SEEK_CUR:
        base = static_cast<std::int64_t>(file.position);
        break;
      case SEEK_END:
        base = static_cast<std::int64_t>(file.bytes.size());
        break;
      default:
        return AVERROR(EINVAL);
    }
    if (base + offset < 0) return AVERROR(EINVAL);
    file.position = static_cast<std::size_t>(base + offset);
    return base + offset;
  }
};

// libx264 when this libavcodec has it, else the built-in MPEG-4 Part 2 encoder.
const AVCodec* choose_encoder() {
  if (const AVCodec* x264 = avcodec_find_encoder_by_name("libx264")) return x264;
  return avcodec_find_encoder(AV_CODEC_ID_MPEG4);
}

}  // namespace

struct clip_encoder::state {
  std::int64_t interval_ms = 1000;
  memory_file file;
  AVFormatContext* format = nullptr;
  AVIOContext* io = nullptr;
  AVCodecContext* encoder = nullptr;
  AVStream* stream = nullptr;
  SwsContext* scaler = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  int source_width = 0;
  int source_height = 0;
  std::int64_t first_ts = 0;
  std::int64_t last_pts = -1;
  std::size_t frames = 0;

  ~state() {
    sws_freeContext(scaler);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&encoder);
    if (format != nullptr) avformat_free_context(format);
    if (io != nullptr) {
      av_freep(&io->buffer);
      avio_context_free(&io);
    }
  }

  void open(int width, int height) {
    const AVCodec* codec = choose_encoder();
    if (codec == nullptr)
      throw video::video_error("cannot encode the video clip: no H.264 or MPEG-4 encoder");
    if (int rc = avformat_alloc_output_context2(&format, nullptr, "mp4", nullptr); rc < 0 || !format)
      fail("no MP4 muxer", rc);
    auto* buffer = static_cast<unsigned char*>(av_malloc(io_buffer_size));
    if (buffer == nullptr) throw video::video_error("cannot encode the video clip: out of memory");
    io = avio_alloc_context(buffer, io_buffer_size, 1, &file, nullptr, &memory_file::write,
                            &memory_file::seek);
    if (io == nullptr) {
      av_free(buffer);
      throw video::video_error("cannot encode the video clip: out of memory");
    }
    format->pb = io;
    format->flags |= AVFMT_FLAG_CUSTOM_IO;

    encoder = avcodec_alloc_context3(codec);
    if (encoder == nullptr) throw video::video_error("cannot encode the video clip: out of memory");
    encoder->width = std::max(2, width & ~1);
    encoder->height = std::max(2, height & ~1);
    encoder->pix_fmt = AV_PIX_FMT_YUV420P;
    encoder->time_base = milliseconds;
    encoder->framerate =
        AVRational{1000, static_cast<int>(std::clamp<std::int64_t>(interval_ms, 1, 3'600'000))};
    encoder->max_b_frames = 0;  // decode order = display order: the frames' own times are the timestamps
    encoder->gop_size = 30;     // a keyframe every 30 frames, so a player (or model) can seek
    encoder->color_range = AVCOL_RANGE_MPEG;
    if (std::strcmp(codec->name, "libx264") == 0) {
      // Screen content: large flat areas and sharp text. crf 28 keeps text legible at a fraction of the
      // size; veryfast keeps encoding well below decoding time.
      av_opt_set(encoder->priv_data, "preset", "veryfast", 0);
      av_opt_set(encoder->priv_data, "crf", "28", 0);
    } else {
      encoder->flags |= AV_CODEC_FLAG_QSCALE;
      encoder->global_quality = FF_QP2LAMBDA * 4;
    }
    if ((format->oformat->flags & AVFMT_GLOBALHEADER) != 0) encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (int rc = avcodec_open2(encoder, codec, nullptr); rc < 0)
      fail(std::string("cannot open ") + codec->name, rc);

    stream = avformat_new_stream(format, nullptr);
    if (stream == nullptr) throw video::video_error("cannot encode the video clip: out of memory");
    stream->time_base = milliseconds;
    if (int rc = avcodec_parameters_from_context(stream->codecpar, encoder); rc < 0) fail("stream setup", rc);
    if (int rc = avformat_write_header(format, nullptr); rc < 0) fail("MP4 header", rc);

    frame = av_frame_alloc();
    packet = av_packet_alloc();
    if (frame == nullptr || packet == nullptr)
      throw video::video_error("cannot encode the video clip: out of memory");
    frame->format = encoder->pix_fmt;
    frame->width = encoder->width;
    frame->height = encoder->height;
    if (int rc = av_frame_get_buffer(frame, 0); rc < 0) fail("frame buffer", rc);
  }

  void convert(const rgb_image& image) {
    scaler =
        sws_getCachedContext(scaler, image.width, image.height, AV_PIX_FMT_RGB24, encoder->width,
                             encoder->height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (scaler == nullptr) throw video::video_error("cannot encode the video clip: no RGB to YUV conversion");
    if (int rc = av_frame_make_writable(frame); rc < 0) fail("frame buffer", rc);
    const std::uint8_t* source[1] = {image.pixels.data()};
    const int stride[1] = {image.width * 3};
    sws_scale(scaler, source, stride, 0, image.height, frame->data, frame->linesize);
  }

  // Sends `input` (nullptr: flush) and writes every packet the encoder has ready.
  void encode(AVFrame* input) {
    if (int rc = avcodec_send_frame(encoder, input); rc < 0) fail("encoder refused a frame", rc);
    for (;;) {
      const int rc = avcodec_receive_packet(encoder, packet);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      if (rc < 0) fail("encoding", rc);
      packet->stream_index = stream->index;
      if (packet->duration <= 0) packet->duration = interval_ms;
      av_packet_rescale_ts(packet, encoder->time_base, stream->time_base);
      const int written = av_interleaved_write_frame(format, packet);
      av_packet_unref(packet);
      if (written < 0) fail("MP4 muxing", written);
    }
  }
};

clip_encoder::clip_encoder(std::int64_t frame_interval_ms) : state_(std::make_unique<state>()) {
  state_->interval_ms = std::max<std::int64_t>(1, frame_interval_ms);
}

clip_encoder::~clip_encoder() = default;

void clip_encoder::add(const rgb_image& image, std::int64_t ts_ms) {
  state& s = *state_;
  if (image.width <= 0 || image.height <= 0) return;
  if (s.encoder == nullptr) {
    s.open(image.width, image.height);
    s.first_ts = ts_ms;
  }
  s.convert(image);
  // Strictly increasing: two samples of the same picture (steps shorter than a frame) do not both go in.
  const std::int64_t pts = std::max(ts_ms - s.first_ts, s.last_pts + 1);
  s.frame->pts = pts;
  s.frame->pkt_duration = s.interval_ms;
  s.last_pts = pts;
  s.encode(s.frame);
  ++s.frames;
}

std::string clip_encoder::finish() {
  state& s = *state_;
  if (s.encoder == nullptr || s.frames == 0) throw video::video_error("no frame to put in the video clip");
  s.encode(nullptr);
  if (int rc = av_write_trailer(s.format); rc < 0) fail("MP4 trailer", rc);
  avio_flush(s.io);
  return std::move(s.file.bytes);
}

std::size_t clip_encoder::frames() const noexcept {
  return state_->frames;
}

int clip_encoder::width() const noexcept {
  return state_->encoder != nullptr ? state_->encoder->width : 0;
}

int clip_encoder::height() const noexcept {
  return state_->encoder != nullptr ? state_->encoder->height : 0;
}

std::string clip_encoder::codec() const {
  return state_->encoder != nullptr ? avcodec_get_name(state_->encoder->codec_id) : "";
}

}  // namespace mcpd::tracking::frames
