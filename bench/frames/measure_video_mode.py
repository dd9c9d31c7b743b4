#!/usr/bin/env python3
"""tracking.ask_question_about_recording in mode "video": how long re-encoding a recording into the clip
Gemini watches takes, and how big the clip is, against keyframes mode on the same file.

Gemini itself is replaced by a minimal local stand-in speaking the Files API (resumable upload, file
status, delete) and generateContent shapes, answering at once: the figures are mcpd's own work (decode,
scale, redact, encode or PNG, base64, the nested call), not a model's. Uses the 1280x720 30 fps videos that
measure_frames.py generates (run that first, or pass --video).

    python3 bench/frames/measure_video_mode.py [--mcpd build/bin/mcpd] [--plugins-dir build/plugins]
        [--workdir /tmp/mcpd-frames-bench] [--runs 3]

Prints a Markdown table (median of --runs). Standard library only.
"""

import argparse
import http.server
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


class GeminiStandIn(http.server.BaseHTTPRequestHandler):
    """Just enough of Gemini's REST API for one question at a time."""

    uploads = {}

    def log_message(self, *args):
        pass

    def _body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _base(self):
        return "http://%s:%d" % self.server.server_address

    def do_POST(self):
        body = self._body()
        if self.path == "/upload/v1beta/files":
            return self._send(200, {}, {"X-Goog-Upload-URL": self._base() + "/upload/v1beta/files?upload_id=1"})
        if self.path.startswith("/upload/v1beta/files?"):
            self.uploads["files/bench"] = len(body)
            return self._send(200, {"file": {"name": "files/bench", "uri": self._base() + "/v1beta/files/bench",
                                             "state": "ACTIVE", "mimeType": "video/mp4"}})
        if re.match(r"^/v1beta/models/[^/]+:generateContent$", self.path):
            return self._send(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]},
                                                    "finishReason": "STOP"}],
                                    "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1,
                                                      "totalTokenCount": 2}})
        return self._send(404, {"error": {"code": 404, "message": "not here", "status": "NOT_FOUND"}})

    def do_GET(self):
        return self._send(200, {"name": "files/bench", "uri": self._base() + "/v1beta/files/bench", "state": "ACTIVE"})

    def do_DELETE(self):
        self.uploads.pop("files/bench", None)
        return self._send(200, {})


def timed_call(mcpd, plugins_dir, config, video, mode):
    arguments = json.dumps({"source": {"file": str(video)}, "question": "What happens?", "mode": mode})
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, str(mcpd), "call", "--config",
                                 str(config), "--plugins-dir", str(plugins_dir),
                                 "tracking.ask_question_about_recording", arguments],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wall, rss_kib = report.read().split()[-2:]
    answer = json.loads(result.stdout)
    if answer.get("isError"):
        raise RuntimeError(f"mcpd call failed: {json.dumps(answer)[:2000]}")
    return float(wall), int(rss_kib) / 1024.0, answer["structuredContent"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mcpd", default=REPO_ROOT / "build/bin/mcpd", type=Path)
    parser.add_argument("--plugins-dir", default=REPO_ROOT / "build/plugins", type=Path)
    parser.add_argument("--workdir", default=Path(tempfile.gettempdir()) / "mcpd-frames-bench", type=Path)
    parser.add_argument("--runs", default=3, type=int)
    args = parser.parse_args()
    videos = sorted(args.workdir.glob("screen_*.mp4"))
    if not videos:
        sys.exit(f"no screen_*.mp4 in {args.workdir}: run bench/frames/measure_frames.py first")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GeminiStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = args.workdir / "mcpd-video-mode.json"
    config.write_text(json.dumps({"plugin_config": {
        "tracking": {"local_video_dirs": [str(args.workdir)]},
        "gemini": {"api_key": "bench-key-not-a-real-key-000", "api_base_url": "http://127.0.0.1:%d" %
                   server.server_address[1]}}}))

    print("| video | mode | wall | peak RSS | sent to the model |")
    print("|---|---|---|---|---|")
    for video in videos:
        for mode in ("keyframes", "video"):
            runs = [timed_call(args.mcpd, args.plugins_dir, config, video, mode) for _ in range(args.runs)]
            result = runs[0][2]
            if mode == "video":
                clip = result["video"]
                sent = (f"{clip['frames']} frames, {clip['width']}x{clip['height']} {clip['codec']}, "
                        f"{clip['bytes'] / 1024:.0f} KiB")
            else:
                sent = f"{len(result['keyframes'])} PNG keyframes"
            print(f"| {video.stem} | {mode} | {statistics.median(r[0] for r in runs):.2f} s | "
                  f"{max(r[1] for r in runs):.0f} MiB | {sent} |", flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
