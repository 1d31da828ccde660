"""Argument parsing and dispatch for scripts/fpubench."""
import argparse
import subprocess
import sys

from . import build, paths, run, test
from .errors import UserError


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
    r.add_argument("--counters", metavar="LIST",
                   help="count events per operation (sets fpu, core; libpfm4 names; tracepoints)")
    r.add_argument("extra", nargs="*", metavar="-- FLAGS", help="flags for build/host/fpubench")
    sub.add_parser("test", help="run every test (ctest, then pytest)")
    c = sub.add_parser("counters", help="which PMUs libpfm4 detects and which events can be counted here")
    c.add_argument("list", nargs="?", default="fpu,core", help="events and sets (default: fpu,core)")
    return p


def dispatch(args):
    if args.command == "setup":
        build.setup()
        return 0
    if args.command == "run":
        extra = ([f"--counters={args.counters}"] if args.counters else []) + args.extra
        run.run_suite(label=args.label, quick=args.quick, extra=extra)
        return 0
    if args.command == "counters":
        build.setup()
        return subprocess.run([str(paths.BINARY), "--list-counters", f"--counters={args.list}"]).returncode
    if args.command == "test":
        return test.run_tests()
    raise AssertionError(args.command)


def main(argv):
    args = parser().parse_args(argv)
    try:
        return dispatch(args)
    except UserError as e:
        print(f"fpubench: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fpubench: interrupted; no result was written", file=sys.stderr)
        return 130
