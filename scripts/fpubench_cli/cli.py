"""Argument parsing and dispatch for scripts/fpubench."""
import argparse
import sys

from . import build, run, test
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
    r.add_argument("extra", nargs="*", metavar="-- FLAGS", help="flags for build/host/fpubench")
    sub.add_parser("test", help="run every test (ctest, then pytest)")
    return p


def dispatch(args):
    if args.command == "setup":
        build.setup()
        return 0
    if args.command == "run":
        run.run_suite(label=args.label, quick=args.quick, extra=args.extra)
        return 0
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
