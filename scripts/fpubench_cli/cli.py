"""Argument parsing for scripts/fpubench, and main: each command is a function of commands.py."""
import argparse
import errno
import math
import os
import sys

from fpubench_cli import commands, errors
from fpubench_cli.errors import Terminated, UserError
from fpubench_cli.running import child


def _finite(text):
    """An argparse type: a finite number (float() takes 'nan' and 'inf', which no option means)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"needs a finite number, got '{text}'")
    return value


def _positive(kind, most=None):
    """An argparse type: a finite number of `kind` above zero (and at most `most`)."""
    def parse(text):
        value = _finite(text) if kind is float else None
        try:
            value = kind(text) if value is None else value
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above zero, got {text}")
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(f"must be at most {most}, got {text}")
        return value
    return parse


class _KeepsLines(argparse.HelpFormatter):
    """Wraps descriptions as argparse does, but keeps a text of several lines (the epilog's table)."""

    def _fill_text(self, text, width, indent):
        return text if "\n" in text else super()._fill_text(text, width, indent)


def _measuring_flags(p):
    p.add_argument("--no-wait", action="store_true",
                   help="refuse to start while another measurement runs on this machine (default: wait)")
    p.add_argument("--no-pm-qos", action="store_true",
                   help="do not hold /dev/cpu_dma_latency at 0 while measuring (default: held)")


def parser():
    p = argparse.ArgumentParser(
        prog="fpubench",
        description="Measure what the Linux kernel spends on x86 FPU/xstate switching.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("setup", help="install missing Debian packages (as root) and build (Release)")
    r = sub.add_parser("run", help="run the default suite into results/<label>/<timestamp>.json",
                       description="Run the default suite. Arguments after -- go to "
                                   "build/host/fpubench (e.g. -- --benchmark_filter=xsave/XSAVEC).")
    r.add_argument("--label", help="results/ subdirectory (default: the running kernel release)")
    r.add_argument("--quick", action="store_true", help="a run of seconds, for a first look")
    r.add_argument("--verbose", action="store_true",
                   help="show the binary's whole console output (it always goes to the log beside the result)")
    r.add_argument("--design-from", metavar="LABEL",
                   help="repetitions per run from an earlier label's variance components (Kalibera & Jones)")
    r.add_argument("--counters", metavar="LIST",
                   help="count events per operation (sets fpu, core; libpfm4 names; tracepoints)")
    _measuring_flags(r)
    r.add_argument("extra", nargs="*", metavar="-- FLAGS", help="flags for build/host/fpubench")
    t = sub.add_parser("test", help="the quick tests (pyflakes, clang-format, ctest, pytest but the slow ones)")
    which = t.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", dest="everything",
                       help="every test: the slow ones too (guest boots, browser), then the sanitized C++ tests (CI)")
    which.add_argument("--sanitize", action="store_true",
                       help="instead: the C++ tests built with AddressSanitizer and UndefinedBehaviorSanitizer")
    cmp = sub.add_parser("compare", help="kernel A vs kernel B: environment, changes, verdicts",
                         description="Compare two sets of results (labels under results/, result "
                                     "files, or directories). Exits 1 when a benchmark got slower.")
    cmp.add_argument("a")
    cmp.add_argument("b")
    cmp.add_argument("--format", choices=["text", "markdown", "json", "csv", "email"], default="text",
                     help="email: a table of at most 72 columns in LKP's shape, to paste under a patch")
    cmp.add_argument("--alpha", type=_finite, default=0.05,
                     help="1 - the confidence of the interval a verdict needs to exclude zero (default 0.05)")
    cmp.add_argument("--min-change", type=_finite, default=0.01,
                     help="smallest relative change reported as one (default 0.01 = 1%%)")
    cmp.add_argument("--target-ns", type=_positive(float), default=100.0,
                     help="resolution wanted on xstate-cost rows, ns (default 100): rows resolving worse get a plan")
    cmp.add_argument("--run-cost", type=_positive(float), default=120.0,
                     help="seconds a run costs beside its repetitions (a boot), for the plan (default 120)")
    cmp.add_argument("--counter-delta", type=_finite, default=0.01,
                     help="per-operation count difference that counts as a change (default 0.01)")
    cmp.add_argument("--no-adjust", action="store_true",
                     help="judge rows raw, not adjusted for the machine's speed in each run (measured by the "
                          "kernel-free rows)")
    cmp.add_argument("--details", action="store_true",
                     help="every row, with percentiles and counts per operation (default: the changed rows, "
                          "then a line per family)")
    cmp.add_argument("--no-fail", action="store_true", help="exit 0 even when something got slower")
    cmp.add_argument("--force", action="store_true",
                     help="compare timings across accelerators, and labels that mix machines or builds")
    cmp.add_argument("--by-machine", action="store_true",
                     help="labels holding several machines' runs (a lab's): one comparison per machine both "
                          "sides ran on (CPU, microcode, hypervisor); machines never pooled")
    pl = sub.add_parser("plot", help="PNG and SVG plots of one or more result sets into results/plots/")
    pl.add_argument("sets", nargs="+", metavar="A", help="labels, result files or directories")
    rp = sub.add_parser("report", help="one self-contained HTML report of A vs B")
    rp.add_argument("a")
    rp.add_argument("b")
    rp.add_argument("--force", action="store_true",
                    help="compare timings across accelerators, and labels that mix machines or builds")
    g = sub.add_parser("guest", help="run the suite inside a full Linux guest under QEMU",
                       description="Boot a kernel under QEMU with an initramfs holding fpubench, pin the "
                                   "vCPU threads with hwloc, run the suite and store its result. "
                                   "Arguments after -- go to the fpubench binary in the guest.")
    g.add_argument("--kernel", default="debian", help="a bzImage/vmlinux, or 'debian' (default: fetch Debian's)")
    g.add_argument("--append", default="", help="extra kernel command line")
    g.add_argument("--accel", choices=["kvm", "tcg"], default="kvm")
    g.add_argument("--smp", type=_positive(int), default=2)
    g.add_argument("--memory", type=_positive(int), default=1024, help="MiB (default 1024)")
    g.add_argument("--pin-vcpus", default="auto",
                   help="hwloc location per vCPU (pu:0,pu:1), a placement name (shared-l3, cross-llc, ...), "
                        "or auto (default: the closest two different PUs here); '' for none")
    g.add_argument("--label")
    g.add_argument("--quick", action="store_true")
    g.add_argument("--timeout", type=_positive(float), default=600, help="seconds before QEMU is killed")
    g.add_argument("--boot-timeout", type=_positive(float), default=60,
                   help="seconds for the guest's init to start before QEMU is killed")
    _measuring_flags(g)
    g.add_argument("extra", nargs="*", metavar="-- FLAGS")
    ab = sub.add_parser("ab", help="boot two kernel images N times each, alternating, then compare",
                        description="The A/B protocol: boot kernel A and kernel B --boots times each as full "
                                    "guests, in alternation (A B A B ...), store every boot as one run under "
                                    "ab-A-<image> and ab-B-<image>, then print the comparison and write the "
                                    "report. Arguments after -- go to the fpubench binary in the guest.")
    ab.add_argument("--kernel", action="append", default=[], required=True,
                    help="a bzImage/vmlinux or 'debian'; give it twice, A then B")
    ab.add_argument("--boots", type=_positive(int), default=3, help="boots per kernel (default 3, the least "
                                                                    "compare gives a verdict for)")
    ab.add_argument("--accel", choices=["kvm", "tcg"], default="kvm")
    ab.add_argument("--smp", type=_positive(int), default=2)
    ab.add_argument("--memory", type=_positive(int), default=1024, help="MiB (default 1024)")
    ab.add_argument("--pin-vcpus", default="auto", help="as for guest (default auto)")
    ab.add_argument("--quick", action="store_true")
    ab.add_argument("--timeout", type=_positive(float), default=600, help="seconds per boot before QEMU is killed")
    ab.add_argument("--no-fail", action="store_true", help="exit 0 even when something got slower")
    _measuring_flags(ab)
    ab.add_argument("extra", nargs="*", metavar="-- FLAGS")
    to = sub.add_parser("torture", help="FPU state integrity torture: pass/fail next to the timings")
    to.add_argument("--seconds", type=_positive(float), default=60.0, help="total duration (default 60)")
    to.add_argument("--only", metavar="WHAT", help="scenarios by name or prefix, comma-separated (host, kvm/exits, ...)")
    to.add_argument("--label", help="results/ folder for the summary (default: kernel release)")
    _measuring_flags(to)
    sc = sub.add_parser("selfcheck", help="the smallest delay a comparison detects on this machine")
    sc.add_argument("--benchmark", default=None,
                    help="a round-trip benchmark (default: the futex round trip on one PU with no state "
                         "held; with --cost, with AVX-512, else the widest set, held on both sides)")
    sc.add_argument("--sizes", default=None,
                    help="injected delays to try, ns, comma-separated (default: "
                         f"{','.join(str(s) for s in commands.SELFCHECK_SIZES)}; with --across-runs "
                         f"{','.join(str(s) for s in commands.ACROSS_RUNS_SIZES)})")
    sc.add_argument("--across-runs", action="store_true",
                    help="the kernel-comparison protocol instead: runs with and without the delay alternating "
                         "in separate processes, judged as compare judges them at 3, 5 and 10 runs a side")
    sc.add_argument("--cost", action="store_true",
                    help="delay only the held side of paired rows (--inject-cost-ns): the smallest change of an "
                         "xstate cost found")
    sc.add_argument("--runs", type=_positive(int, 100), default=10, help="with --across-runs: runs a side (default 10)")
    sc.add_argument("--filter", default=None,
                    help="with --across-runs: benchmarks to run, a --benchmark_filter (default: the futex, eventfd "
                         "and pipe round trips on one PU; with --cost the signal's too)")
    sc.add_argument("--repetitions", type=_positive(int, 1000), default=10)
    sc.add_argument("--min-time", type=_positive(float, 10), default=0.05, help="seconds per repetition (at most 10)")
    sc.add_argument("--min-change", type=_finite, default=0.0,
                    help="smallest relative change that counts (default 0: significance alone)")
    sc.add_argument("--all-sizes", action="store_true", help="try every size, not up to the first detected")
    sc.add_argument("--label", default=None, help="results/ folder for the summary (default: kernel release)")
    _measuring_flags(sc)
    sy = sub.add_parser("system", help="settings that add noise here: show them, tune them (root), reset them",
                        description="show: each kernel and machine setting that adds noise, its value here and "
                                    "advice. tune (root): apply the safe changes and save the values replaced. "
                                    "reset: restore exactly the saved values.")
    sy.add_argument("verb", nargs="?", default="show", metavar="show|tune|reset")
    c = sub.add_parser("counters", help="which PMUs libpfm4 detects and which events can be counted here")
    c.add_argument("list", nargs="?", default="fpu,core", help="events and sets (default: fpu,core)")
    ex = sub.add_parser("export", help="runs as a lab engine takes them: LAVA result lines, LKP stats, KCIDB",
                        description="One or more runs (result, torture or self-check files, folders, labels) "
                                    "in a lab engine's form, every repetition a sample (README, 'In a lab').")
    ex.add_argument("--format", choices=["lava", "lkp", "kcidb"], required=True)
    ex.add_argument("--origin", default="fpubench", help="KCIDB: the submitting CI system (default fpubench)")
    ex.add_argument("--build-id", help="KCIDB: the build the runs tested (default <origin>:<kernel release>)")
    ex.add_argument("results", nargs="+", metavar="RESULT")
    im = sub.add_parser("import", help="a lab's results (LAVA log or results, LKP stats, KCIDB) as a label",
                        description="Lab results back as runs under results/<label>/, which compare, plot "
                                    "and report read as they read local runs.")
    im.add_argument("source", choices=["lava", "lkp", "kcidb"])
    im.add_argument("files", nargs="+", metavar="FILE")
    im.add_argument("--label", required=True, help="the label the runs go under (e.g. the kernel's name)")
    # Every command's help ends with the exit-status contract a lab's job reads.
    for command in [p, *sub.choices.values()]:
        command.epilog = errors.contract_text()
        command.formatter_class = _KeepsLines
    return p


def dispatch(args):
    return commands.COMMANDS[args.command](args)


def main(argv):
    args = parser().parse_args(argv)
    child.raise_on_termination()
    try:
        status = dispatch(args)
        sys.stdout.flush()  # a full disk under '> file' shows here, not after main returns
        return status
    except UserError as e:
        print(f"fpubench: {e}", file=sys.stderr)
        return e.status
    except BrokenPipeError:  # the reader left ('export ... | head'): what it read is all it wanted
        sys.stdout = open(os.devnull, "w")
        return errors.OK
    except PermissionError as e:
        print(f"fpubench: no permission for {e.filename or 'a file'} ({e.strerror}): run fpubench as "
              f"the owner of that path, or from a checkout of your own", file=sys.stderr)
        return errors.BAD_INPUT
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.ENAMETOOLONG, errno.EIO, errno.EROFS):
            raise
        from fpubench_cli import folders
        # Nothing to write on stdout anymore: what is queued there would fail again at exit.
        sys.stdout = open(os.devnull, "w")
        print(f"fpubench: {folders.why(e.filename or 'standard output', e)}", file=sys.stderr)
        return errors.BAD_INPUT if e.errno == errno.ENAMETOOLONG else errors.MACHINE
    except KeyboardInterrupt:
        if args.command == "selfcheck":
            print("fpubench: interrupted; the self-check is incomplete and no summary was kept: run it "
                  "again to the end", file=sys.stderr)
        elif args.command in ("plot", "report"):
            print(f"fpubench: interrupted; the figures drawn so far are an incomplete set: run "
                  f"'scripts/fpubench {args.command} ...' again to draw them all", file=sys.stderr)
        else:
            print("fpubench: interrupted; results written before this line are kept, nothing "
                  "half-written was left behind", file=sys.stderr)
        return errors.INTERRUPTED
    except Terminated as e:
        print(f"fpubench: stopped by {e.name}; results written before this line are kept, nothing "
              f"half-written was left behind", file=sys.stderr)
        return 128 + e.signum
