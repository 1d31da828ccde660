"""`fpubench torture`: the FPU state integrity torture, its summary kept as
results/<label>/<timestamp>.torture.json with the same environment context as benchmark results."""
import os
import subprocess

from . import build, paths, results_store
from .errors import UserError


def run_torture(seconds=60.0, only=None, label=None, results_dir=paths.RESULTS_DIR, binary=paths.BINARY,
                do_setup=True):
    """Returns the binary's exit status: 0 passed, 3 something was found."""
    if do_setup:
        build.setup()
    label = results_store.check_label(label or os.uname().release)
    final = results_store.result_path(results_dir, label, results_store.timestamp(), "torture")
    partial = results_store.partial_path(final)
    cmd = [str(binary), "--torture", f"--seconds={seconds}", f"--torture-out={partial}",
           f"--benchmark_context=label={label}"]
    if only:
        cmd.append(f"--only={only}")
    try:
        rc = subprocess.run(cmd).returncode
        if rc not in (0, 3):
            raise UserError(f"build/host/fpubench --torture exited with status {rc} (its message is above)")
        if not partial.exists():
            raise UserError("the torture run wrote no summary (see its messages above)")
        partial.rename(final)
    finally:
        if partial.exists():
            partial.unlink()
    print(f"fpubench: torture summary written to {final}")
    return rc
