#include "video_reader.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <mutex>
#include <thread>

#include "video_error.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
#include <libavutil/pixdesc.h>
}

namespace mcpd::tracking::video {
namespace {

// libavformat's demuxer names for MP4/MOV (what PostHog's exporter and most recorders write) and
// Matroska/WebM (browsers' MediaRecorder).
constexpr const char* accepted_containers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";

constexpr AVRational milliseconds{1, 1000};
// AV_TIME_BASE_Q, spelled without its C99 compound literal (not C++).
constexpr AVRational microseconds{1, AV_TIME_BASE};

// Decode errors tolerated in a row before the file counts as undecodable: a damaged packet or two is
// normal in a truncated recording, an endless stream of them is not a video.
constexpr int max_consecutive_decode_errors = 200;

// libav prints decoder complaints to stderr, unstructured, in the middle of the host's log; what matters
// reaches the caller as a video_error message instead.
void quiet_libav_logs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_FATAL); });
}

// 1234567 -> "1,234,567".
std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

void check_frame_size(int width, int height, std::int64_t max_pixels) {
  const std::int64_t pixels = std::int64_t{width} * height;
  if (pixels <= max_pixels) return;
  throw video_error(
      "the video's frames are " + std::to_string(width) + " x " + std::to_string(height) + " (" +
      grouped(pixels) + " pixels), over the limit of " + grouped(max_pixels) +
      " pixels per frame (plugin_config.tracking.max_frame_pixels); re-encode the video smaller, "
      "or ask the operator to raise the limit");
}

// The clockwise rotation a player applies (0, 90, 180 or 270), from the stream's display matrix; what
// ffmpeg's autorotate does. Flips are not applied.
int display_rotation(const AVStream& stream) {
  const auto* matrix = reinterpret_cast<const std::int32_t*>(
      av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
  if (matrix == nullptr) return 0;
  const double counterclockwise = av_display_rotation_get(matrix);
  if (std::isnan(counterclockwise)) return 0;
  const long quarter_turns = std::lround(-counterclockwise / 90.0);
  return static_cast<int>(((quarter_turns % 4) + 4) % 4) * 90;
}

// The video track's own length, when the container states it (an MP4 track does; Matroska does not).
std::optional<std::int64_t> track_duration_ms(const AVStream& stream) {
  if (stream.duration == AV_NOPTS_VALUE || stream.duration <= 0) return std::nullopt;
  return av_rescale_q(stream.duration, stream.time_base, milliseconds);
}

// The file's length from the video's first frame. Both MP4's movie length and Matroska's segment length
// count from timestamp 0, so a late first frame (or an edit list's empty start) is taken off.
std::optional<std::int64_t> container_duration_ms(const AVFormatContext& format, const AVStream& stream,
                                                  std::int64_t start_pts) {
  if (format.duration == AV_NOPTS_VALUE || format.duration <= 0) return std::nullopt;
  const std::int64_t whole = av_rescale_q(format.duration, microseconds, milliseconds);
  const std::int64_t start = av_rescale_q(start_pts, stream.time_base, milliseconds);
  return start > 0 && whole > start ? whole - start : whole;
}

}  // namespace

struct video_reader::state {
  AVFormatContext* format = nullptr;
  AVCodecContext* decoder = nullptr;
  AVPacket* packet = nullptr;
  AVFrame* frame = nullptr;
  int stream_index = -1;
  AVRational time_base{1, 1000};
  std::int64_t start_pts = 0;
  bool demuxer_done = false;  // the NULL packet (drain) has been sent
  std::optional<std::int64_t> skip_non_ref_before_pts;
  // The largest pts among the packets read (and sent to the decoder) since the last seek.
  std::int64_t max_pts_read = INT64_MIN;
  std::int64_t last_time_ms = -1;
  std::int64_t max_frame_pixels = default_max_frame_pixels;
  video_source_info info;
  read_damage damage;

  ~state() {
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&decoder);
    avformat_close_input(&format);
  }

  AVStream* stream() const { return format->streams[stream_index]; }
  std::int64_t to_pts(std::int64_t time_ms) const {
    return start_pts + av_rescale_q(time_ms, milliseconds, time_base);
  }
  std::int64_t to_ms(std::int64_t pts) const {
    return av_rescale_q(pts - start_pts, time_base, milliseconds);
  }
};

video_reader::video_reader(const std::string& path, std::int64_t max_frame_pixels)
    : state_(std::make_unique<state>()) {
  quiet_libav_logs();
  state& s = *state_;
  s.max_frame_pixels = max_frame_pixels;
  // Only the containers recordings come in, read only from the local file: libav would otherwise follow
  // whatever a file names (an HLS playlist's or an ffconcat list's entries, file: and network URLs), and a
  // text file inside an allowed directory would make mcpd decode files outside it.
  AVDictionary* options = nullptr;
  av_dict_set(&options, "format_whitelist", accepted_containers, 0);
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  const int rc = avformat_open_input(&s.format, path.c_str(), nullptr, &options);
  av_dict_free(&options);
  if (rc < 0) {
    throw video_error("cannot open the video: " + av_error_text(rc) +
                      " (not a video file, or damaged; only MP4/MOV and Matroska/WebM files are read, never "
                      "playlists, concat lists or URLs)");
  }
  if (int rc = avformat_find_stream_info(s.format, nullptr); rc < 0) {
    throw video_error("cannot read the video's streams: " + av_error_text(rc));
  }
  const AVCodec* codec = nullptr;
  s.stream_index = av_find_best_stream(s.format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (s.stream_index < 0 || codec == nullptr ||
      (s.stream()->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
    throw video_error(s.stream_index == AVERROR_DECODER_NOT_FOUND
                          ? "the video's codec is not supported by this build of libavcodec"
                          : "the file has no video stream");
  }
  // Only the video stream is demuxed into packets; audio and subtitles are dropped at the source.
  for (unsigned i = 0; i < s.format->nb_streams; ++i) {
    if (static_cast<int>(i) != s.stream_index) s.format->streams[i]->discard = AVDISCARD_ALL;
  }
  AVStream* stream = s.stream();
  check_frame_size(stream->codecpar->width, stream->codecpar->height, max_frame_pixels);
  s.time_base = stream->time_base;
  s.start_pts = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;

  s.decoder = avcodec_alloc_context3(codec);
  if (s.decoder == nullptr) throw video_error("out of memory opening the decoder");
  if (int rc = avcodec_parameters_to_context(s.decoder, stream->codecpar); rc < 0) {
    throw video_error("cannot set up the " + std::string(codec->name) + " decoder: " + av_error_text(rc));
  }
  // Frame threading, leaving one core to the PNG encoder that runs beside the decoder (frame_extraction):
  // on two cores one decoder thread plus the encoder measured 0.72 s for 120 frames of a 180 s 720p video
  // against 0.91 s with libavcodec's automatic count (three threads fighting the encoder for two cores).
  // More threads also mean more frames of latency to refill after each seek, hence the cap.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  s.decoder->thread_count = static_cast<int>(std::clamp(cores - 1, 1u, 4u));
  s.decoder->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  s.decoder->pkt_timebase = stream->time_base;
  // The decoder itself refuses larger frames too (a size change mid-stream), before allocating them.
  s.decoder->max_pixels = max_frame_pixels;
  if (int rc = avcodec_open2(s.decoder, codec, nullptr); rc < 0) {
    throw video_error("cannot open the " + std::string(codec->name) + " decoder: " + av_error_text(rc));
  }
  s.packet = av_packet_alloc();
  s.frame = av_frame_alloc();
  if (s.packet == nullptr || s.frame == nullptr) throw video_error("out of memory allocating frames");

  // The later of the two: an MP4 track's length counts decoding times, which B-frames in variable frame
  // rate video leave short of the last frame (3.4 s for frames up to 9 s, measured).
  s.info.track_duration_ms = track_duration_ms(*stream);
  const auto container = container_duration_ms(*s.format, *stream, s.start_pts);
  s.info.duration_ms = s.info.track_duration_ms;
  if (container && (!s.info.duration_ms || *container > *s.info.duration_ms)) s.info.duration_ms = container;
  s.info.codec = avcodec_get_name(stream->codecpar->codec_id);
  for (AVRational rate : {stream->avg_frame_rate, stream->r_frame_rate}) {
    if (rate.num > 0 && rate.den > 0) {
      s.info.fps = av_q2d(rate);
      break;
    }
  }
  s.info.width = stream->codecpar->width;
  s.info.height = stream->codecpar->height;
  s.info.rotation = display_rotation(*stream);
  const AVRational sar = av_guess_sample_aspect_ratio(s.format, stream, nullptr);
  if (sar.num > 0 && sar.den > 0) s.info.sample_aspect_ratio = av_q2d(sar);
  if (const auto* pixels = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(stream->codecpar->format)))
    s.info.chroma_subsampled = pixels->log2_chroma_w > 0 || pixels->log2_chroma_h > 0;
}

video_reader::~video_reader() = default;

const video_source_info& video_reader::info() const {
  return state_->info;
}

const read_damage& video_reader::damage() const {
  return state_->damage;
}

double video_reader::frame_interval_ms() const {
  return state_->info.fps && *state_->info.fps > 0 ? 1000.0 / *state_->info.fps : 0.0;
}

AVFrame* video_reader::next_frame() {
  state& s = *state_;
  int errors_in_a_row = 0;
  const auto decode_error = [&](int code) {
    ++s.damage.damaged_packets;
    if (++errors_in_a_row > max_consecutive_decode_errors)
      throw video_error("the video cannot be decoded: " + av_error_text(code));
  };
  for (;;) {
    const int received = avcodec_receive_frame(s.decoder, s.frame);
    if (received == 0) {
      check_frame_size(s.frame->width, s.frame->height, s.max_frame_pixels);
      return s.frame;
    }
    if (received == AVERROR_EOF) return nullptr;
    if (received != AVERROR(EAGAIN)) {
      decode_error(received);
      continue;
    }
    if (s.demuxer_done) return nullptr;

    const int read = av_read_frame(s.format, s.packet);
    if (read < 0) {
      // End of file, or a truncated/damaged file: either way, drain what the decoder still holds.
      if (read != AVERROR_EOF) s.damage.read_error = av_error_text(read);
      s.demuxer_done = true;
      avcodec_send_packet(s.decoder, nullptr);
      continue;
    }
    if (s.packet->stream_index != s.stream_index) {
      av_packet_unref(s.packet);
      continue;
    }
    if ((s.packet->flags & AV_PKT_FLAG_CORRUPT) != 0) ++s.damage.damaged_packets;
    // A non-reference frame is not wanted when a frame read earlier comes after it and is still at or
    // before the wanted time: that one (or a later one) is on screen then. The packet that raised
    // max_pts_read was never skipped itself, so the frame shown instead is always decoded.
    const std::int64_t pts = s.packet->pts;
    const bool superseded = s.skip_non_ref_before_pts && pts != AV_NOPTS_VALUE && pts < s.max_pts_read &&
                            s.max_pts_read <= *s.skip_non_ref_before_pts;
    s.decoder->skip_frame = superseded ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
    if (pts != AV_NOPTS_VALUE) s.max_pts_read = std::max(s.max_pts_read, pts);
    const int sent = avcodec_send_packet(s.decoder, s.packet);
    av_packet_unref(s.packet);
    if (sent < 0 && sent != AVERROR(EAGAIN)) decode_error(sent);
  }
}

std::int64_t video_reader::frame_time_ms(const AVFrame& frame) const {
  state& s = *state_;
  std::int64_t pts = frame.best_effort_timestamp;
  if (pts == AV_NOPTS_VALUE) pts = frame.pts;
  std::int64_t time_ms = 0;
  if (pts != AV_NOPTS_VALUE) {
    time_ms = std::max<std::int64_t>(0, s.to_ms(pts));
  } else if (s.last_time_ms >= 0) {
    // No timestamp at all (rare raw streams): assume the nominal frame rate.
    time_ms = s.last_time_ms + static_cast<std::int64_t>(frame_interval_ms());
  }
  s.last_time_ms = time_ms;
  return time_ms;
}

std::optional<std::int64_t> video_reader::indexed_keyframe_before(std::int64_t time_ms) const {
  const state& s = *state_;
  const AVIndexEntry* entry =
      avformat_index_get_entry_from_timestamp(s.stream(), s.to_pts(time_ms), AVSEEK_FLAG_BACKWARD);
  if (entry == nullptr || (entry->flags & AVINDEX_KEYFRAME) == 0) return std::nullopt;
  return s.to_ms(entry->timestamp);
}

bool video_reader::seek(std::int64_t time_ms) {
  state& s = *state_;
  const std::int64_t target = s.to_pts(time_ms);
  if (avformat_seek_file(s.format, s.stream_index, INT64_MIN, target, target, 0) < 0) return false;
  avcodec_flush_buffers(s.decoder);
  s.demuxer_done = false;
  s.max_pts_read = INT64_MIN;
  return true;
}

void video_reader::skip_non_reference_before(std::int64_t time_ms) {
  state_->skip_non_ref_before_pts = state_->to_pts(time_ms);
}

}  // namespace mcpd::tracking::video
