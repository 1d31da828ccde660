"""`fpubench guest`: the suite inside a full Linux guest under QEMU, vCPU threads pinned with
hwloc, the result brought back on a serial port of its own and stored with the guest's context,
the host's context (prefixed "host."), the QEMU command line, the accelerator and the vCPU->PU map."""
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from fpubench_cli import paths, publish
from fpubench_cli.errors import MachineError, UserError
from fpubench_cli.linux_guest import guest_kernel, initramfs, qmp, vcpu_pinning
from fpubench_cli.running import build, child, measuring

BEGIN, END, STATUS = "FPUBENCH-BLOCK-BEGIN", "FPUBENCH-BLOCK-END", "FPUBENCH-STATUS"


def parse_channel(text):
    """(status, {block name: text}) from the result port; UserError when a block is cut short."""
    status, blocks, lines = None, {}, text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        if line.startswith(STATUS):
            status = int(line.split()[1])
        elif line.startswith(BEGIN):
            _, name, size = line.split()
            body = "\n".join(lines[i + 1:])
            payload = body[:int(size)]
            if len(payload.encode()) != int(size) or f"{END} {name}" not in body[int(size):int(size) + len(END) + len(name) + 4]:
                raise UserError(f"the guest's {name} block is incomplete ({len(payload)} of {size} bytes): "
                                f"the guest stopped while sending it")
            blocks[name] = payload
            i += payload.count("\n") + 2
            continue
        i += 1
    return status, blocks


def qemu_command(kernel, initrd, accel, smp, memory_mb, append, console_log, result_port, qmp_socket):
    cpu = "host" if accel == "kvm" else "max"
    return ["qemu-system-x86_64", "-accel", accel if accel == "kvm" else "tcg,thread=multi", "-cpu", cpu,
            "-smp", str(smp), "-m", str(memory_mb), "-nodefaults", "-nographic", "-no-reboot",
            "-kernel", str(kernel), "-initrd", str(initrd),
            "-append", f"console=ttyS0 panic=-1 quiet {append}".strip(),
            "-serial", f"file:{console_log}", "-serial", f"file:{result_port}",
            "-qmp", f"unix:{qmp_socket},server=on,wait=off", "-nic", "none"]


KVM_HINT = (" With -accel kvm this means the KVM here cannot boot a stock kernel (the nested PVM "
            "backend cannot): try --accel tcg.")
INIT_STARTED = "fpubench guest: running"


def wait_for_guest(proc, console, accel, timeout, boot_timeout):
    """QEMU's exit status; kills it when the guest's init has not started within `boot_timeout`
    or the whole run exceeds `timeout`, and says which with the console's last lines."""
    start = time.monotonic()
    while proc.poll() is None:
        elapsed = time.monotonic() - start
        booted = console.exists() and INIT_STARTED in console.read_text(errors="replace")
        if elapsed > timeout or (not booted and elapsed > boot_timeout):
            proc.kill()
            proc.wait()
            if booted:
                what = f"the guest did not finish within --timeout {timeout:g} s"
            elif elapsed > timeout:
                what = f"--timeout {timeout:g} s ran out before the guest's init started (raise --timeout)"
            else:
                what = f"the guest's init did not start within --boot-timeout {boot_timeout:g} s"
            hint = KVM_HINT if accel == "kvm" and not booted else ""
            raise MachineError(f"{what}; QEMU was killed.{hint} Console tail:\n{tail(console)}")
        time.sleep(0.2)
    return proc.returncode


def tail(path, lines=25):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no console output)"


def check_accelerator(accel, dev_kvm="/dev/kvm"):
    """-accel kvm needs a /dev/kvm this user can open; say so before QEMU is started."""
    if accel != "kvm":
        return
    if not os.path.exists(dev_kvm):
        raise UserError(f"--accel kvm needs {dev_kvm}, and this machine has none (no KVM here): use "
                        f"--accel tcg for a functional run (timings are then not valid)")
    if not os.access(dev_kvm, os.R_OK | os.W_OK):
        raise UserError(f"--accel kvm needs read/write access to {dev_kvm}: run as root or join the kvm "
                        f"group, or use --accel tcg for a functional run")


# The initramfs is unpacked into memory next to the kernel's own needs.
MIN_MEMORY_OVER_INITRD_MB = 128


def check_memory(memory_mb, initrd):
    need = Path(initrd).stat().st_size * 4 // 2**20 + MIN_MEMORY_OVER_INITRD_MB  # compressed ~4x
    if memory_mb < need:
        raise UserError(f"--memory {memory_mb} MiB is too small for this guest: its initramfs alone unpacks to "
                        f"about {need - MIN_MEMORY_OVER_INITRD_MB} MiB; give --memory {max(need, 512)} or more")


def run_guest(kernel="debian", append="", accel="kvm", smp=2, memory_mb=1024, pin="auto",
              label=None, quick=False, extra=(), timeout=600, results_dir=paths.RESULTS_DIR, do_setup=True,
              boot_timeout=60, wait=True, hold_pm_qos=True):
    if label is not None:  # checked now; without one, the guest's own kernel names the label (store)
        publish.check_label(label)
    check_accelerator(accel)
    guest_kernel.check_kernel(kernel)
    if do_setup:
        build.setup("guest")
    # Placements need the built binary; they are checked before the (slow) kernel fetch.
    locations = vcpu_pinning.locations_for(pin, smp, vcpu_pinning.placements()) if pin else None
    kernel_path = guest_kernel.resolve_kernel(kernel)
    from fpubench_cli.running.run import git_commit
    args = (["--quick"] if quick else []) + [f"--benchmark_context=fpubench_commit={git_commit()}"] + list(extra)
    initrd = initramfs.build_initramfs(args)
    check_memory(memory_mb, initrd)
    with tempfile.TemporaryDirectory(prefix="fpubench-guest-") as tmp:
        tmp = Path(tmp)
        console, port, sock = tmp / "console.log", tmp / "results.port", tmp / "qmp.sock"
        cmd = qemu_command(kernel_path, initrd, accel, smp, memory_mb, append, console, port, sock)
        with measuring.measuring_alone("guest", wait, hold_pm_qos) as alone, child.started(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
            pinned = []
            try:
                q = qmp.Qmp(sock, timeout=30)
            except UserError:
                proc.wait(timeout=10)
                out = proc.stdout.read()
                if accel == "kvm":
                    raise MachineError(f"QEMU could not start the guest with -accel kvm ({out.strip()[-300:]}); "
                                    f"this KVM may not run a stock kernel (as the nested PVM backend "
                                    f"cannot): try --accel tcg") from None
                raise MachineError(f"QEMU did not start: {out.strip()[-400:]}") from None
            threads = [c["thread-id"] for c in sorted(q.command("query-cpus-fast"), key=lambda c: c["cpu-index"])]
            if locations:
                pinned = vcpu_pinning.bind_threads(threads, locations)
            q.close()
            rc = wait_for_guest(proc, console, accel, timeout, boot_timeout)
            output = proc.stdout.read()
            if rc != 0:
                hint = " (with -accel kvm: try --accel tcg)" if accel == "kvm" else ""
                raise MachineError(f"QEMU exited with status {rc}{hint}: {output.strip()[-300:]}\n"
                                f"Console tail:\n{tail(console)}")
            text = port.read_text(errors="replace") if port.exists() else ""
            log = console.read_text(errors="replace") if console.exists() else ""
            if "Kernel panic" in log:
                raise MachineError(f"the guest kernel panicked. Console tail:\n{tail(console)}")
            status, blocks = parse_channel(text)
            if status is None or "result" not in blocks:
                raise MachineError(f"the guest never sent a result. Console tail:\n{tail(console)}")
            if status != 0:  # the guest's own verdict: a corrupted FPU state there is an integrity failure here
                raise child.error_for(status)(f"fpubench in the guest exited with status {status}. Console "
                                              f"tail:\n{tail(console)}")
        return store(blocks, label, cmd, accel, pinned, results_dir, alone)


def host_context():
    out = subprocess.run([str(paths.BINARY), "probe", "context"], capture_output=True, text=True)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        raise MachineError(f"build/host/fpubench probe context gave no JSON: {out.stderr.strip()}") from None


def store(blocks, label, cmd, accel, pinned, results_dir, alone=None):
    data = json.loads(blocks["result"])
    context = data["context"]
    if label is None:  # two guest kernels must not land in one label: the guest's release names it
        label = publish.label_or_default(None, f"guest-{context.get('kernel_release', 'unknown')}")
    context.update({f"host.{k}": str(v) for k, v in host_context().items()})
    context.update({f"host.{k}": v for k, v in (alone or {}).items()})
    context.update({"label": label, "accelerator": accel, "qemu_command": " ".join(cmd),
                    "vcpu_pinning": ", ".join(f"vCPU{p['vcpu']}->{p['location']}" for p in pinned) or "none",
                    "timing_validity": "functional only (TCG emulates the CPU)" if accel == "tcg" else "valid"})
    with publish.PendingResult(results_dir, label) as pending:
        pending.path().write_text(json.dumps(data, indent=1))
        if "histograms" in blocks:
            pending.path("histograms").write_text(blocks["histograms"])
        final = pending.publish()
    print(f"fpubench: guest results written to {final}")
    return final
