"""The LAVA QEMU job of integrations/lava, filled in and run by Debian's lava-dispatcher
(`lava-run`, no server): the guest initramfs (busybox, build/host/fpubench with its libraries,
fpubench.sh, an init that leaves a shell on the console for LAVA), the device dictionary rendered
from lava-server's qemu.jinja2 (fetched with apt-get download: the dispatcher does not ship the
device types), and the cases LAVA recorded, read back from lava-run's log."""
import os
import shutil
import string
import subprocess
from pathlib import Path

from fpubench_cli import paths
from fpubench_cli.errors import MachineError, UserError
from fpubench_cli.lab import importing
from fpubench_cli.linux_guest import initramfs

LAVA_DIR = paths.REPO / "integrations" / "lava"
CACHE = paths.BUILD_DIR / "lava"
PROMPT = "fpubench-lava# "
# A shell on the console, where LAVA types its commands; nothing runs by itself.
INIT = f"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
mkdir -p /tmp /run/lock && mount -t tmpfs tmp /tmp
export PS1='{PROMPT}' HOME=/root PATH=/bin:/sbin:/usr/bin:/usr/sbin
exec setsid cttyhack sh
"""


def ramdisk(binary=paths.BINARY, cache=CACHE):
    return initramfs.build_initramfs([], binary=binary, cache=cache, init=INIT,
                                     files={"/fpubench/lava/fpubench.sh": LAVA_DIR / "fpubench.sh"})


def job_text(kernel, ramdisk_path, suite="", repetitions=3, quick=True, torture_seconds=2):
    """integrations/lava/qemu-job.yaml with its ${...} filled in and fpubench.yaml inlined."""
    import yaml
    text = string.Template((LAVA_DIR / "qemu-job.yaml").read_text()).substitute(
        KERNEL=f"file://{Path(kernel).resolve()}", RAMDISK=f"file://{Path(ramdisk_path).resolve()}",
        SUITE=suite, REPETITIONS=str(repetitions), QUICK="true" if quick else "false",
        TORTURE_SECONDS=str(torture_seconds))
    job = yaml.safe_load(text)
    for action in job["actions"]:
        for d in action.get("test", {}).get("definitions", []):
            if d.get("from") == "inline":
                # An inline definition takes no `parameters` (LAVA's schema): they become its params.
                definition = yaml.safe_load((LAVA_DIR / "fpubench.yaml").read_text())
                definition["params"].update(d.pop("parameters", {}))
                d["repository"] = definition
    return yaml.safe_dump(job, sort_keys=False)


def lava_server_templates(cache=CACHE):
    """lava-server's device-type templates, unpacked from its package without installing it."""
    target = cache / "lava-server"
    templates = target / "usr" / "share" / "lava-server" / "device-types"
    if (templates / "qemu.jinja2").exists():
        return templates
    cache.mkdir(parents=True, exist_ok=True)
    sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    if subprocess.run(["apt-get", *sandbox, "download", "lava-server"], cwd=cache).returncode != 0:
        raise MachineError("'apt-get download lava-server' failed (see above): check the network and apt's lists")
    debs = sorted(cache.glob("lava-server_*.deb"))
    if not debs or subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(target)]).returncode != 0:
        raise MachineError("could not unpack lava-server with dpkg-deb -x")
    for deb in debs:
        deb.unlink()
    return templates


def device_text(templates, job_context):
    """integrations/lava/qemu-device.jinja2 rendered as LAVA's server renders a device dictionary:
    with the job's context (arch, extra_options) as its variables."""
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(LAVA_DIR), str(templates)]),
                             trim_blocks=True, autoescape=False)
    return env.get_template("qemu-device.jinja2").render(**job_context)


def run_job(kernel, workdir, **job_options):
    """Runs the job with lava-run (as root); returns (exit status, its log, the LabRun LAVA recorded)."""
    if shutil.which("lava-run") is None:
        raise UserError("lava-run is not installed: apt-get install --no-install-recommends lava-dispatcher")
    if os.geteuid() != 0:
        raise UserError("lava-run runs only as root")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    import yaml
    job = job_text(kernel, ramdisk(), **job_options)
    (workdir / "job.yaml").write_text(job)
    (workdir / "device.yaml").write_text(device_text(lava_server_templates(), yaml.safe_load(job)["context"]))
    # lava-run is a Debian python3 program: run it with the system's interpreter first on PATH.
    env = dict(os.environ, PATH="/usr/bin:/usr/sbin:/bin:/sbin")
    proc = subprocess.run(["lava-run", "--job-id", "1", "--output-dir", str(workdir / "output"),
                           "--device", str(workdir / "device.yaml"), str(workdir / "job.yaml")],
                          capture_output=True, text=True, env=env)
    (workdir / "lava-run.log").write_text(proc.stderr)
    return proc.returncode, proc.stderr, importing.read_lava(workdir / "lava-run.log", proc.stderr)
