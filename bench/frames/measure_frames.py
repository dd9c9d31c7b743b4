#!/usr/bin/env python3
"""tracking.recording_frames against the prototype's ffmpeg CLI path, same files, same run.

For 1280x720 30 fps H.264 videos (default 180 s) with a 1 s GOP, a 250-frame GOP (libx264's default,
what most encoders write), a single keyframe, and a variable-frame-rate screen recording (frames only while
something moves: 4 s of 30 fps, then 6 s without a frame, over and over, 250-frame GOP), at step 1000 ms
and 5000 ms (at most 120 frames):

  cli   `ffmpeg -i IN -vf fps=1 -frames:v 120 out_%04d.png` (fps=1/5 for 5000 ms), then reading the
        PNG files back and base64-encoding them, as the prototype did before answering
  mcpd  `mcpd call tracking.recording_frames '{"source":{"file":IN},"step_ms":...}'` with the file's
        directory in local_video_dirs (whole process: start, plugin load, decode, PNG, JSON out)
  floor (GOPs over 2 s) `ffmpeg -skip_frame noref -i IN -t SPAN -f null -`: libavcodec decoding just
        the frames that others reference, up to the last frame mcpd returned, with no output at all.
        With long GOPs nearly every sample depends on most reference frames before it, so no exact
        extractor can beat this by much; "best possible" is the CLI time over it. (With a 1 s GOP
        seeking skips most of the video, so there is no such floor.)

The goal (issue M10): at least 3x the CLI path on GOPs up to 2 s; otherwise within 15% of the decode
floor; peak RSS under 200 MiB. The "goal" column says whether each row meets it.

Wall time and peak RSS come from /usr/bin/time (GNU time). Videos are generated once into --workdir
with the ffmpeg CLI: testsrc (a static colour pattern with a ticking counter) stands in for screen
content. Not a timed test; run it by hand:

    python3 bench/frames/measure_frames.py [--mcpd build/bin/mcpd] [--plugins-dir build/plugins]
        [--workdir /tmp/mcpd-frames-bench] [--seconds 180] [--runs 3]

Prints a Markdown table (median of --runs). Standard library only.
"""

import argparse
import base64
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# name -> (filter after testsrc, encoder arguments, GOP in seconds)
VIDEOS = {
    "1 s GOP": ("", "-g 30 -keyint_min 30 -sc_threshold 0", 1),
    "250-frame GOP": ("", "-g 250", 250 / 30),
    "single keyframe": ("", "-g 1000000 -keyint_min 1000000 -sc_threshold 0", None),
    "VFR screen recording": (",select='lt(mod(t,10),4)'", "-g 250 -fps_mode vfr", 250 / 30),
}
STEPS_MS = (1000, 5000)
MAX_FRAMES = 120


def run_timed(command, stdout=subprocess.DEVNULL):
    """Runs `command` under GNU time; returns (wall seconds, peak RSS in MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", report.name] + command
        result = subprocess.run(full, stdout=stdout, stderr=subprocess.PIPE)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
        wall, rss_kib = report.read().split()[-2:]
    return float(wall), int(rss_kib) / 1024.0


def make_video(path, seconds, source_filter, encoder_args):
    if path.exists():
        return
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"testsrc=s=1280x720:r=30:d={seconds}{source_filter}", "-c:v", "libx264", "-preset", "veryfast",
         "-pix_fmt", "yuv420p", *encoder_args.split(), str(path)],
        check=True)


def cli_path(video, step_ms):
    """The prototype: ffmpeg writes PNGs, then they are read back and base64-encoded."""
    with tempfile.TemporaryDirectory(prefix="frames-cli-") as out:
        rate = "1" if step_ms == 1000 else f"1/{step_ms // 1000}"
        wall, rss = run_timed(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(video),
                               "-vf", f"fps={rate}", "-frames:v", str(MAX_FRAMES), f"{out}/out_%04d.png"])
        started = time.monotonic()
        files = sorted(Path(out).glob("out_*.png"))
        encoded = [base64.b64encode(f.read_bytes()) for f in files]
        readback = time.monotonic() - started
        return wall + readback, rss, len(encoded)


def decode_floor(video, last_frame_ms):
    """Decoding only: the reference frames up to the last frame mcpd returned (what any exact extractor
    must decode to return it). That is the last sample's frame, not sample MAX_FRAMES - 1: mcpd returns a
    frame still on screen at several samples once (a VFR pause), so its 120 frames can reach further into
    the video than 120 samples of the CLI's fps filter."""
    wall, _ = run_timed(["ffmpeg", "-nostdin", "-loglevel", "error", "-skip_frame", "noref", "-i", str(video),
                         "-t", f"{last_frame_ms / 1000.0 + 0.1:.1f}", "-f", "null", "-"])
    return wall


def mcpd_path(mcpd, plugins_dir, config, video, step_ms):
    arguments = json.dumps({"source": {"file": str(video)}, "step_ms": step_ms, "max_frames": MAX_FRAMES})
    with tempfile.TemporaryFile() as out:
        wall, rss = run_timed([str(mcpd), "call", "--config", str(config), "--plugins-dir", str(plugins_dir),
                               "tracking.recording_frames", arguments], stdout=out)
        out.seek(0)
        result = json.loads(out.read())
    frames = result.get("structuredContent", {}).get("frames", [])
    if result.get("isError") or not frames:
        raise RuntimeError(f"mcpd call failed: {json.dumps(result)[:2000]}")
    return wall, rss, len(frames), frames[-1]["ts_ms"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mcpd", default=REPO_ROOT / "build/bin/mcpd", type=Path)
    parser.add_argument("--plugins-dir", default=REPO_ROOT / "build/plugins", type=Path)
    parser.add_argument("--workdir", default=Path(tempfile.gettempdir()) / "mcpd-frames-bench", type=Path)
    parser.add_argument("--seconds", default=180, type=int)
    parser.add_argument("--runs", default=3, type=int)
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None:
        sys.exit("the ffmpeg CLI is needed (apt-get install ffmpeg)")

    args.workdir.mkdir(parents=True, exist_ok=True)
    config = args.workdir / "mcpd.json"
    config.write_text(json.dumps({"plugin_config": {"tracking": {
        "local_video_dirs": [str(args.workdir)], "max_response_bytes": 1 << 30}}}))

    print(f"| video ({args.seconds} s, 1280x720, 30 fps) | step | frames cli / mcpd | last frame cli / mcpd | "
          f"ffmpeg CLI + read-back | "
          f"mcpd call | speed-up | decode floor | best possible | mcpd / floor | peak RSS cli / mcpd | goal |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, (source_filter, encoder_args, gop_s) in VIDEOS.items():
        video = args.workdir / f"screen_{args.seconds}s_{name.replace(' ', '_')}.mp4"
        make_video(video, args.seconds, source_filter, encoder_args)
        for step_ms in STEPS_MS:
            # Interleaved, so a slow moment of the machine hits both sides alike.
            cli, ours, floors = [], [], []
            for _ in range(args.runs):
                cli.append(cli_path(video, step_ms))
                ours.append(mcpd_path(args.mcpd, args.plugins_dir, config, video, step_ms))
                if gop_s is None or gop_s > 2:
                    floors.append(decode_floor(video, ours[-1][3]))
            cli_s = statistics.median(r[0] for r in cli)
            ours_s = statistics.median(r[0] for r in ours)
            rss = max(r[1] for r in ours)
            floor = "—", "—", "—"
            if floors:
                floor_s = statistics.median(floors)
                floor = f"{floor_s:.2f} s", f"{cli_s / floor_s:.1f}x", f"{ours_s / floor_s:.2f}"
                met = ours_s <= 1.15 * floor_s
            else:
                met = cli_s / ours_s >= 3
            met = met and rss < 200
            reach = f"{(cli[0][2] - 1) * step_ms // 1000} / {ours[0][3] // 1000} s"
            print(f"| {name} | {step_ms} ms | {cli[0][2]} / {ours[0][2]} | {reach} | {cli_s:.2f} s | {ours_s:.2f} s | "
                  f"{cli_s / ours_s:.1f}x | {floor[0]} | {floor[1]} | {floor[2]} | "
                  f"{max(r[1] for r in cli):.0f} / {rss:.0f} MiB | {'met' if met else 'NOT met'} |",
                  flush=True)


if __name__ == "__main__":
    main()
