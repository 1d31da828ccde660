"""The one validation of a result file, for every command that reads one (compare, plot, report,
ab, and a run before it publishes): UTF-8 JSON in Google Benchmark's shape, every benchmark entry
named, and every figure a finite number of the right sign. Anything else is one line naming the
file and the field."""
import json
import math

from fpubench_cli.errors import UserError

# Figures that are durations, counts or rates: finite and never negative.
_NONNEGATIVE_SUFFIXES = ("_ns", "_ticks", "/op", "/total", "/running")
_NONNEGATIVE = {"real_time", "cpu_time", "iterations", "ticks_per_insn", "ticks_per_insn_min", "ns_per_insn",
                "ns_per_op", "round_trips", "bytes_per_insn", "repetitions", "threads"}
# Differences of two durations (a paired row's xstate cost and its A/A): finite, of either sign.
_SIGNED = {"cost_p50_ns", "aa_cost_p50_ns"}
# Beyond these no measurement goes: a duration of over an hour, a tick or event count past 2^53
# (where a double stops counting by one). Figures past them were edited, or are damage.
_MOST_NS = 3600e9
_MOST_COUNT = 2.0 ** 53


# No result or histogram file comes near this; a device (/dev/zero) or a wrong file would be read forever.
MOST_BYTES = 256 << 20


def read_text(path, what="result"):
    """The file as text, read with a size limit; one UserError line when it is not UTF-8 text."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MOST_BYTES + 1)
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}") from None
    if len(raw) > MOST_BYTES:
        raise UserError(f"{path} is larger than {MOST_BYTES >> 20} MiB, which no fpubench {what} file is: "
                        f"name the right file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{path} is not an fpubench {what} file: byte {e.start} is not UTF-8 text (it is binary "
                        f"or damaged): remove it from the folder, or run again") from None


def read_json(path, what="result"):
    """The parsed file; one UserError line when it is not readable UTF-8 JSON."""
    text = read_text(path, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{path} is not valid JSON (line {e.lineno}: {e.msg}); the file is truncated or "
                        f"damaged: run that benchmark again") from None


def _is_figure(key):
    return key in _SIGNED or key in _NONNEGATIVE or key.endswith(_NONNEGATIVE_SUFFIXES) or key.startswith("disturbed.")


def check_entry(path, entry):
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise UserError(f"{path}: a benchmark entry has no name: the file was edited or damaged; run again")
    if entry.get("run_type", "iteration") != "iteration" or entry.get("error_occurred"):
        return  # aggregates are the library's (a _cv of all zeros is NaN); errors carry no figures
    for key, value in entry.items():
        if not _is_figure(key):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UserError(f"{path}: {name}: '{key}' is {json.dumps(value)[:40]}, not a number: the file was "
                            f"edited or damaged; run that benchmark again")
        if not math.isfinite(value):
            raise UserError(f"{path}: {name}: '{key}' is {value}, which no measurement gives (it must be a finite "
                            f"number): the file was edited or damaged; run again")
        if value < 0 and key not in _SIGNED:
            raise UserError(f"{path}: {name}: '{key}' is {value}, which no measurement gives (it must be a finite "
                            f"number of 0 or more): the file was edited or damaged; run again")
        most = _MOST_NS if key.endswith("_ns") else _MOST_COUNT
        if abs(value) > most:
            raise UserError(f"{path}: {name}: '{key}' is {value:g}, beyond what any measurement gives (at most "
                            f"{'an hour, 3.6e12 ns' if most == _MOST_NS else '2^53'}): the file was edited or "
                            f"damaged; run again")


def check_result(path, data, need_benchmarks=False):
    """`data` (parsed from `path`) as a result: UserError naming the file and field otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list) \
            or not isinstance(data.get("context"), dict):
        raise UserError(f"{path} is not a Google Benchmark result (it needs 'context' and 'benchmarks'): was "
                        f"it written by build/host/fpubench?")
    if need_benchmarks and not data["benchmarks"]:
        raise UserError(f"{path} holds no benchmarks: the filter matched nothing, check --benchmark_filter")
    for entry in data["benchmarks"]:
        if not isinstance(entry, dict):
            raise UserError(f"{path}: a benchmark entry is not an object: the file was edited or damaged; run again")
        check_entry(path, entry)
    return data


def load_result(path, need_benchmarks=False):
    return check_result(path, read_json(path), need_benchmarks)
