#include "video_reader.hpp"

#include <algorithm>
#include <climits>
#include <mutex>
#include <thread>

#include "video_error.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
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
  std::int64_t skip_margin_pts = 0;
  std::int64_t last_time_ms = -1;
  video_source_info info;

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

video_reader::video_reader(const std::string& path) : state_(std::make_unique<state>()) {
  quiet_libav_logs();
  state& s = *state_;
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
  if (int rc = avcodec_open2(s.decoder, codec, nullptr); rc < 0) {
    throw video_error("cannot open the " + std::string(codec->name) + " decoder: " + av_error_text(rc));
  }
  s.packet = av_packet_alloc();
  s.frame = av_frame_alloc();
  if (s.packet == nullptr || s.frame == nullptr) throw video_error("out of memory allocating frames");

  if (s.format->duration != AV_NOPTS_VALUE && s.format->duration > 0) {
    s.info.duration_ms = av_rescale_q(s.format->duration, microseconds, milliseconds);
  } else if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
    s.info.duration_ms = av_rescale_q(stream->duration, stream->time_base, milliseconds);
  }
  s.info.codec = avcodec_get_name(stream->codecpar->codec_id);
  for (AVRational rate : {stream->avg_frame_rate, stream->r_frame_rate}) {
    if (rate.num > 0 && rate.den > 0) {
      s.info.fps = av_q2d(rate);
      break;
    }
  }
  s.info.width = stream->codecpar->width;
  s.info.height = stream->codecpar->height;
  const double interval = frame_interval_ms();
  s.skip_margin_pts =
      av_rescale_q(static_cast<std::int64_t>(std::max(200.0, 4 * interval)), milliseconds, s.time_base);
}

video_reader::~video_reader() = default;

const video_source_info& video_reader::info() const {
  return state_->info;
}

double video_reader::frame_interval_ms() const {
  return state_->info.fps && *state_->info.fps > 0 ? 1000.0 / *state_->info.fps : 0.0;
}

AVFrame* video_reader::next_frame() {
  state& s = *state_;
  int errors_in_a_row = 0;
  for (;;) {
    const int received = avcodec_receive_frame(s.decoder, s.frame);
    if (received == 0) return s.frame;
    if (received == AVERROR_EOF) return nullptr;
    if (received != AVERROR(EAGAIN)) {
      if (++errors_in_a_row > max_consecutive_decode_errors) {
        throw video_error("the video cannot be decoded: " + av_error_text(received));
      }
      continue;
    }
    if (s.demuxer_done) return nullptr;

    const int read = av_read_frame(s.format, s.packet);
    if (read < 0) {
      // End of file, or a truncated/damaged file: either way, drain what the decoder still holds.
      s.demuxer_done = true;
      avcodec_send_packet(s.decoder, nullptr);
      continue;
    }
    if (s.packet->stream_index != s.stream_index) {
      av_packet_unref(s.packet);
      continue;
    }
    const bool far_before_wanted = s.skip_non_ref_before_pts && s.packet->pts != AV_NOPTS_VALUE &&
                                   s.packet->pts < *s.skip_non_ref_before_pts - s.skip_margin_pts;
    s.decoder->skip_frame = far_before_wanted ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
    const int sent = avcodec_send_packet(s.decoder, s.packet);
    av_packet_unref(s.packet);
    if (sent < 0 && sent != AVERROR(EAGAIN)) {
      if (++errors_in_a_row > max_consecutive_decode_errors) {
        throw video_error("the video cannot be decoded: " + av_error_text(sent));
      }
    }
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
  return true;
}

void video_reader::skip_non_reference_before(std::int64_t time_ms) {
  state_->skip_non_ref_before_pts = state_->to_pts(time_ms);
}

}  // namespace mcpd::tracking::video
