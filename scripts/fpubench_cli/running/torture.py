"""`fpubench torture`: the FPU state integrity torture, its summary kept as
results/<label>/<timestamp>.torture.json with the same environment context as benchmark results.
The binary's exit status is the verdict (errors.py has the contract): 0 passed, 2 nothing could be
tested here, 3 corruption found, 4 a scenario ended in an error (not evidence of corruption), 130
interrupted (its partial summary is still kept)."""
import json
import os
import signal
import subprocess
import sys

from fpubench_cli import paths, publish
from fpubench_cli import errors
from fpubench_cli.errors import MachineError, UserError
from fpubench_cli.running import build, child

PASSED, NOTHING_TESTED, CORRUPTED, INCOMPLETE, INTERRUPTED = (errors.OK, errors.BAD_INPUT, errors.INTEGRITY,
                                                              errors.MACHINE, errors.INTERRUPTED)
_VERDICTS = {PASSED: "passed", CORRUPTED: "FAILED: FPU state corruption found (the table above names it)",
             NOTHING_TESTED: "nothing was tested: every scenario was skipped or ran no iteration (reasons above)",
             INCOMPLETE: "incomplete: a scenario ended in an error, which is not a corruption (the table above "
                         "names it)",
             INTERRUPTED: "interrupted: the partial summary is kept"}


def check_summary(path):
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(f"the torture wrote no complete summary ({e}); see its messages above") from None
    if not isinstance(data, dict) or not isinstance(data.get("torture"), dict):
        raise UserError(f"{path} is not a torture summary")
    return data


def _let_it_write_its_summary(proc):
    # Ctrl-C reached the binary too, or only us: either way it stops at the next check and writes.
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


def run_torture(seconds=60.0, only=None, label=None, results_dir=paths.RESULTS_DIR, binary=paths.BINARY,
                do_setup=True, measuring=()):
    """Returns the verdict's exit status (see above)."""
    label = publish.label_or_default(label, os.uname().release)
    if do_setup:
        build.setup("torture")
    interrupted = False
    with publish.PendingResult(results_dir, label, "torture") as pending:
        cmd = [str(binary), "torture", f"--seconds={seconds}", f"--out={pending.path()}",
               f"--benchmark_context=label={label}", *measuring]
        if only:
            cmd.append(f"--only={only}")
        try:
            rc = child.run(cmd, on_interrupt=_let_it_write_its_summary)
        except KeyboardInterrupt:
            rc, interrupted = INTERRUPTED, True
        if interrupted and pending.path().stat().st_size == 0:  # stopped while it waited for the lock
            print("fpubench: the torture was interrupted before it started (it waited for another measurement); "
                  "nothing was kept", file=sys.stderr)
            raise KeyboardInterrupt
        if rc not in _VERDICTS:
            raise MachineError(f"build/host/fpubench torture exited with status {rc} (its message is above); "
                            f"no summary was kept")
        final = pending.publish(check=check_summary)
    print(f"fpubench: torture {_VERDICTS[rc]}; summary written to {final}")
    if interrupted:
        raise KeyboardInterrupt
    return rc
