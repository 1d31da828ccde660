"""`fpubench ab`: the A/B protocol for two kernel images. Each kernel is booted --boots times as a
full guest, alternating A B A B ..., so drift of the machine falls on both; every boot is one run,
stored under a label derived from its image; then the two labels are compared and reported."""
from pathlib import Path

from fpubench_cli import publish
from fpubench_cli.errors import UserError
from fpubench_cli.linux_guest import boot, guest_kernel


def labels_for(kernels):
    """'ab-A-<image>' and 'ab-B-<image>': distinct even when both sides boot the same image."""
    if len(kernels) != 2:
        raise UserError(f"ab compares two kernels: give --kernel twice (an image path or 'debian'), got {len(kernels)}")
    for kernel in kernels:  # both checked before kernel A boots
        guest_kernel.check_kernel(kernel)
    slug = lambda k: "".join(c if c.isalnum() or c in "._+-" else "-" for c in Path(k).name).strip("-.") or "kernel"
    return [publish.check_label(f"ab-{letter}-{slug(k)}") for letter, k in zip("AB", kernels)]


def boot_order(boots):
    """(boot number, side index) in alternation: A B A B ..."""
    return [(n, side) for n in range(1, boots + 1) for side in (0, 1)]


def check_inputs(kernels, boots, accel):
    """The two labels; bad input is refused before any package is installed or anything boots."""
    labels = labels_for(kernels)
    if boots < 1:
        raise UserError(f"--boots must be at least 1, got {boots}")
    boot.check_accelerator(accel)
    for kernel in kernels:
        guest_kernel.check_kernel(kernel)
    return labels


def run_ab(kernels, boots, accel, quick, extra, smp, memory_mb, pin, timeout, results_dir, boot_timeout=60,
           wait=True, hold_pm_qos=True):
    """Boots both kernels `boots` times in alternation; returns the two labels."""
    labels = check_inputs(kernels, boots, accel)
    for n, side in boot_order(boots):
        print(f"fpubench: boot {n}/{boots} of kernel {'AB'[side]} ({kernels[side]}) -> label {labels[side]}",
              flush=True)
        boot.run_guest(kernels[side], "", accel, smp, memory_mb, pin, labels[side], quick, extra, timeout,
                        results_dir, do_setup=False, boot_timeout=boot_timeout, wait=wait,
                        hold_pm_qos=hold_pm_qos)
    return labels
