#!/usr/bin/env python3
"""Checks what operators deploy: the systemd unit, the Debian packages and the container image.

  systemd-unit     `systemd-analyze verify` accepts deploy/systemd/mcpd.service without a single warning,
                   and `systemd-analyze security` rates its exposure at most 2.0 ("OK").
  debian-packages  cpack makes mcpd, mcpd-plugins and mcpd-dev from this build; each holds what it
                   should, with dependencies apt can satisfy here. Unpacked as dpkg would, the packaged
                   mcpd serves the packaged plugins from its own layout, with and without the packaged
                   /etc/mcpd/mcpd.json; the packaged unit verifies; a plugin builds out of tree against
                   mcpd-dev and the packaged mcpd loads it. As root on a CI machine (CI=true) with no mcpd
                   installed, the packages are also installed for real with dpkg, checked and purged.
  docker-image     builds deploy/docker/Dockerfile, runs it, and waits for Docker to call it healthy and
                   for tools/list over HTTP; skipped (exit 77) where no Docker engine answers.

Usage: check_deploy.py --build-dir DIR --source-dir DIR CHECK
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from mcpd_client import Failure, HttpServer, expect, expect_shipped_tools, http_tool_names, run_check  # noqa: E402

SKIP = 77


def run(argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    expect(result.returncode == 0,
           f"{' '.join(argv)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# ------------------------------------------------------------------------------------------- the unit

def verify_unit(unit_path, mcpd_path, scratch):
    """systemd-analyze verify, with ExecStart pointing at `mcpd_path` (verify checks that it exists)."""
    with open(unit_path, encoding="utf-8") as f:
        text = f.read()
    expect("ExecStart=/usr/bin/mcpd " in text, f"{unit_path}: ExecStart should run /usr/bin/mcpd")
    copy = os.path.join(scratch, "mcpd.service")
    with open(copy, "w", encoding="utf-8") as f:
        f.write(text.replace("ExecStart=/usr/bin/mcpd ", f"ExecStart={mcpd_path} "))
    result = subprocess.run(["systemd-analyze", "verify", copy], capture_output=True, text=True)
    complaints = (result.stdout + result.stderr).strip()
    expect(result.returncode == 0 and not complaints,
           f"systemd-analyze verify {unit_path} (exit {result.returncode}):\n{complaints}")
    security = subprocess.run(["systemd-analyze", "security", "--offline=true", copy], capture_output=True,
                              text=True)
    match = re.search(r"Overall exposure level for mcpd\.service: ([0-9.]+)", security.stdout)
    expect(match is not None, f"systemd-analyze security printed no exposure level:\n{security.stdout}")
    expect(float(match.group(1)) <= 2.0, f"the unit's exposure is {match.group(1)}, above 2.0:\n{security.stdout}")
    return float(match.group(1))


def check_systemd_unit(ctx):
    if shutil.which("systemd-analyze") is None:
        raise Failure("systemd-analyze is missing: install the Debian package systemd (scripts/install-deps.sh does)")
    with tempfile.TemporaryDirectory() as scratch:
        unit = os.path.join(ctx.source_dir, "deploy", "systemd", "mcpd.service")
        exposure = verify_unit(unit, os.path.join(ctx.build_dir, "bin", "mcpd"), scratch)
        # A misspelt setting is a warning systemd would ignore at run time: the check must see it.
        with open(unit, encoding="utf-8") as f:
            broken = f.read().replace("ProtectSystem=strict", "ProtectSytem=strict")
        broken_path = os.path.join(scratch, "broken.service")
        with open(broken_path, "w", encoding="utf-8") as f:
            f.write(broken)
        try:
            verify_unit(broken_path, os.path.join(ctx.build_dir, "bin", "mcpd"), scratch)
        except Failure:
            pass
        else:
            raise Failure("a unit with a misspelt key passed the check")
    print(f"ok: deploy/systemd/mcpd.service verifies cleanly; exposure {exposure}")


# ------------------------------------------------------------------------------------------- packages

def package_field(deb, field):
    return run(["dpkg-deb", "--field", deb, field]).strip()


def package_files(deb):
    return {line.split()[-1].lstrip(".") for line in run(["dpkg-deb", "--contents", deb]).splitlines()}


def build_packages(ctx, out_dir):
    run(["cpack", "-G", "DEB", "-B", out_dir, "--config", os.path.join(ctx.build_dir, "CPackConfig.cmake")])
    debs = {}
    for deb in glob.glob(os.path.join(out_dir, "*.deb")):
        debs[package_field(deb, "Package")] = deb
    expect(set(debs) == {"mcpd", "mcpd-plugins", "mcpd-dev"}, f"cpack made {sorted(debs)}")
    return debs


def check_package_contents(debs):
    version = package_field(debs["mcpd"], "Version")
    expected = {
        "mcpd": ["/usr/bin/mcpd", "/usr/lib/systemd/system/mcpd.service", "/etc/mcpd/mcpd.json",
                 "/usr/share/doc/mcpd/copyright", "/usr/share/doc/mcpd/examples/mcpd.json"],
        "mcpd-plugins": ["/usr/lib/mcpd/plugins/tracking.so", "/usr/lib/mcpd/plugins/gemini.so"],
        "mcpd-dev": ["/usr/include/mcpd/plugin_api.h", "/usr/include/mcpd/sdk.hpp",
                     "/usr/lib/cmake/mcpd/mcpdConfig.cmake", "/usr/lib/cmake/mcpd/mcpdPluginFunctions.cmake"],
    }
    for package, files in expected.items():
        present = package_files(debs[package])
        for path in files:
            expect(path in present, f"{package} does not hold {path}")
        expect(not any(p.endswith(".debug") for p in present), f"{package} holds debug files")
        expect(not any("test_plugins" in p for p in present), f"{package} holds test plugins")
    depends = {p: package_field(debs[p], "Depends") for p in debs}
    # dpkg-shlibdeps found the libraries: the host needs OpenSSL, the plugins FFmpeg; the plugins need
    # this very version of the host.
    expect("libssl3" in depends["mcpd"], f"mcpd Depends: {depends['mcpd']}")
    expect(re.search(r"libavcodec\d+", depends["mcpd-plugins"]), f"mcpd-plugins Depends: {depends['mcpd-plugins']}")
    expect(f"mcpd (= {version})" in depends["mcpd-plugins"], f"mcpd-plugins Depends: {depends['mcpd-plugins']}")
    expect("libboost-json1.81-dev" in depends["mcpd-dev"], f"mcpd-dev Depends: {depends['mcpd-dev']}")
    expect(package_field(debs["mcpd-dev"], "Architecture") == "all", "mcpd-dev should be Architecture: all")
    control = run(["dpkg-deb", "--info", debs["mcpd"], "conffiles"])
    expect("/etc/mcpd/mcpd.json" in control, f"/etc/mcpd/mcpd.json is not a conffile: {control}")
    # apt can install all three here: every dependency is known and satisfiable.
    simulate = subprocess.run(["apt-get", "install", "--simulate", "--no-install-recommends",
                               *sorted(debs.values())], capture_output=True, text=True)
    expect(simulate.returncode == 0, f"apt-get install --simulate failed:\n{simulate.stdout}\n{simulate.stderr}")
    return version


def serve_and_list(mcpd, args=(), env=None, where=""):
    server = HttpServer(mcpd, args, env=env)
    try:
        names = http_tool_names(f"http://{server.address}/mcp", {"Authorization": f"Bearer {server.token}"})
    finally:
        status = server.stop()
    expect(status == 0, f"{where}: mcpd exited {status} after SIGTERM:\n{server.stderr()}")
    expect_shipped_tools(names, where)
    return names


def check_unpacked(ctx, debs, root):
    for deb in debs.values():
        run(["dpkg-deb", "--extract", deb, root])
    mcpd = os.path.join(root, "usr", "bin", "mcpd")
    version = run([mcpd, "--version"])
    expect("mcpd" in version, f"mcpd --version printed {version!r}")
    # Without a config: <exe>/../lib/mcpd/plugins, the packaged plugin directory.
    names = serve_and_list(mcpd, where="unpacked mcpd, no config")
    # With the packaged configuration (its plugin directory moved to where this test unpacked it).
    serve_and_list(mcpd, ["--config", os.path.join(root, "etc", "mcpd", "mcpd.json")],
                   env={"MCPD_PLUGINS_DIR": os.path.join(root, "usr", "lib", "mcpd", "plugins")},
                   where="unpacked mcpd with /etc/mcpd/mcpd.json")
    verify_unit(os.path.join(root, "usr", "lib", "systemd", "system", "mcpd.service"), mcpd, root)
    print(f"ok: the unpacked packages serve {len(names)} tools; the packaged unit verifies")

    # mcpd-dev: the SDK's example plugin, built out of tree with find_package(mcpd) from the package.
    work = os.path.join(root, "hello-build")
    run(["cmake", "-S", os.path.join(ctx.source_dir, "sdk", "examples", "hello"), "-B", work, "-G", "Ninja",
         f"-DCMAKE_PREFIX_PATH={os.path.join(root, 'usr')}", "-DCMAKE_BUILD_TYPE=Release"])
    run(["cmake", "--build", work])
    built = glob.glob(os.path.join(work, "**", "hello.so"), recursive=True)
    expect(len(built) == 1, f"the out-of-tree build made {built}")
    inspected = run([mcpd, "plugin", "inspect", built[0]])
    expect('"namespace": "hello"' in inspected, f"plugin inspect of the out-of-tree hello.so:\n{inspected}")
    print("ok: a plugin builds out of tree against mcpd-dev, and the packaged mcpd loads it")


def check_installed_for_real(debs, version):
    """As root on a CI machine: dpkg -i, check, purge. Never on a machine that has mcpd installed."""
    if os.geteuid() != 0 or os.environ.get("CI") != "true":
        print("note: not installing with dpkg (only as root with CI=true); the unpacked checks stand for it")
        return
    installed = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "mcpd"], capture_output=True, text=True)
    if "installed" in installed.stdout:
        print("note: an mcpd package is already installed here; not replacing it")
        return
    try:
        run(["dpkg", "--install", debs["mcpd"], debs["mcpd-plugins"], debs["mcpd-dev"]])
        status = run(["dpkg-query", "-W", "-f=${Version}", "mcpd"])
        expect(status == version, f"dpkg reports mcpd {status}, not {version}")
        serve_and_list("/usr/bin/mcpd", ["--config", "/etc/mcpd/mcpd.json"], where="installed mcpd")
        with tempfile.TemporaryDirectory() as scratch:
            verify_unit("/usr/lib/systemd/system/mcpd.service", "/usr/bin/mcpd", scratch)
        print(f"ok: dpkg installed mcpd {version}; it serves the installed plugins with /etc/mcpd/mcpd.json")
    finally:
        subprocess.run(["dpkg", "--purge", "mcpd-dev", "mcpd-plugins", "mcpd"], capture_output=True)
    expect(not os.path.exists("/usr/bin/mcpd") and not os.path.exists("/etc/mcpd/mcpd.json"),
           "dpkg --purge left files behind")


def check_debian_packages(ctx):
    for tool in ("cpack", "dpkg-deb", "dpkg-shlibdeps", "systemd-analyze"):
        if shutil.which(tool) is None:
            raise Failure(f"{tool} is missing: scripts/install-deps.sh installs it")
    with tempfile.TemporaryDirectory() as scratch:
        debs = build_packages(ctx, os.path.join(scratch, "packages"))
        version = check_package_contents(debs)
        print(f"ok: cpack made mcpd, mcpd-plugins and mcpd-dev {version} with their contents and dependencies")
        root = os.path.join(scratch, "root")
        os.mkdir(root)
        check_unpacked(ctx, debs, root)
        check_installed_for_real(debs, version)


# ------------------------------------------------------------------------------------------- the image

def check_docker_image(ctx):
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "info"], capture_output=True).returncode != 0:
        print("skipped: no Docker engine answers `docker info` here; the image is built and run where one does")
        sys.exit(SKIP)
    tag = f"mcpd-test:{os.getpid()}"
    name = f"mcpd-test-{os.getpid()}"
    run([docker, "build", "-f", os.path.join(ctx.source_dir, "deploy", "docker", "Dockerfile"), "-t", tag,
         ctx.source_dir], timeout=3600)
    try:
        run([docker, "run", "-d", "--name", name, "-p", "127.0.0.1::8080", tag])
        port = run([docker, "port", name, "8080/tcp"]).strip().splitlines()[0].rsplit(":", 1)[1]
        deadline = time.time() + 90
        health = ""
        while time.time() < deadline and health != "healthy":
            health = run([docker, "inspect", "-f", "{{.State.Health.Status}}", name]).strip()
            time.sleep(1)
        expect(health == "healthy", f"the container is {health!r} after 90 s:\n{run([docker, 'logs', name])}")
        user = run([docker, "exec", name, "id", "-u"]).strip()
        expect(user != "0", "the container runs mcpd as root")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            expect(response.status == 200, f"/healthz answered {response.status}")
        expect_shipped_tools(http_tool_names(f"http://127.0.0.1:{port}/mcp", {}), "the container")
        print(f"ok: the image builds, runs as user {user}, is healthy and serves the shipped tools")
    finally:
        subprocess.run([docker, "rm", "-f", name], capture_output=True)
        subprocess.run([docker, "rmi", "-f", tag], capture_output=True)


CHECKS = {"systemd-unit": check_systemd_unit, "debian-packages": check_debian_packages,
          "docker-image": check_docker_image}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", required=True, type=os.path.abspath)
    parser.add_argument("--source-dir", required=True, type=os.path.abspath)
    run_check(CHECKS, parser)


if __name__ == "__main__":
    main()
