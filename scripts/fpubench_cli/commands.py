"""The commands of scripts/fpubench, one function each (cli.py parses the arguments and calls
COMMANDS[name]). Each installs what it needs (running/packages.py) after checking what it was
given, and returns its exit status (errors.py)."""
import json
import os
import subprocess
import sys
from types import SimpleNamespace

from fpubench_cli import paths, python_deps
from fpubench_cli.errors import UserError
from fpubench_cli.running import build

SELFCHECK_SIZES = [10, 25, 50, 100, 200, 400, 800, 1600]
ACROSS_RUNS_SIZES = [100, 250, 1000]


def _measuring_binary_flags(args):
    return (["--no-wait"] if args.no_wait else []) + (["--no-pm-qos"] if args.no_pm_qos else [])


def _slug(spec):
    return "".join(ch if ch.isalnum() or ch in "._+-" else "-" for ch in str(spec)).strip("-")


def _reporting():
    """The modules that need numpy/scipy/matplotlib, imported only once set-up may have installed them."""
    python_deps.require()
    from fpubench_cli.analysis import compare, result_sets
    from fpubench_cli.presentation import compare_format, plots, report
    from fpubench_cli.running import run, selfcheck
    return SimpleNamespace(compare=compare, compare_format=compare_format, plots=plots, report=report,
                           result_sets=result_sets, run=run, selfcheck=selfcheck)


def _machine_pairs(a, b, result_sets):
    """[(machine, A's runs on it, B's runs on it)] for every machine both sides ran on; the others said."""
    ma, mb = result_sets.by_machine(a), result_sets.by_machine(b)
    for label, only in ((a.label, set(ma) - set(mb)), (b.label, set(mb) - set(ma))):
        for machine in sorted(only):
            print(f"fpubench: only '{label}' ran on {machine}: not compared", file=sys.stderr)
    if not set(ma) & set(mb):
        raise UserError(f"'{a.label}' and '{b.label}' share no machine (CPU, microcode, hypervisor): nothing to "
                        f"compare by machine")
    return [(m, ma[m], mb[m]) for m in sorted(set(ma) & set(mb))]


def _compare_one(a, b, args, thresholds, compare, compare_format):
    """(the comparison of A and B, it in --format)."""
    warnings = compare.check_pair(a, b, args.force)
    c = compare.compare_sets(a, b, thresholds, force_timing=args.force, adjust=not args.no_adjust)
    c.warnings[:0] = warnings
    if c.unit == "runs" and args.format == "text":
        from fpubench_cli.analysis import design
        from fpubench_cli.running import selfcheck_runs
        c.plan = design.summary(design.comparison_designs(a, b, args.min_change, args.target_ns, args.run_cost),
                                args.run_cost)
        c.resolution = selfcheck_runs.latest_for_machine(a.context)
    if args.format == "email":
        from fpubench_cli.presentation import compare_email
        return c, compare_email.as_email(c)
    return c, compare_format.as_text(c, args.details) if args.format == "text" else compare_format.FORMATS[args.format](c)


def _design_flags(label, extra, result_sets):
    """--benchmark_repetitions from an earlier label's runs, unless the user gave one."""
    if label is None:
        return []
    if any(f.startswith("--benchmark_repetitions") for f in extra):
        raise UserError("--design-from chooses --benchmark_repetitions: give one or the other")
    from fpubench_cli.analysis import design
    designs = design.label_designs(result_sets.load(label))
    r = design.suite_repetitions(designs)
    if r is None:
        raise UserError(f"--design-from {label}: it needs two runs or more with two repetitions each, "
                        f"to tell run-to-run from repetition noise")
    print(f"fpubench: design from {label}: {r} repetitions per run (Kalibera & Jones' optimum, median "
          f"over {len(designs)} rows)")
    return [f"--benchmark_repetitions={r}"]


def write_report(comparison, sets, name, plots, report):
    pngs = plots.plot_all(sets, paths.RESULTS_DIR / "plots" / name, comparison)
    from fpubench_cli import folders
    out = folders.make_folder(paths.RESULTS_DIR / "reports") / f"{name}.html"
    try:
        out.write_text(report.render(comparison, pngs))
    except OSError as e:
        raise UserError(folders.why(out, e)) from None
    print(f"fpubench: report written to {out}")


def setup(args):
    build.setup()
    return 0


def test(args):
    from fpubench_cli.running import test as tests
    return tests.run_sanitized_tests() if args.sanitize else tests.run_tests(args.everything)


def guest(args):
    from fpubench_cli.linux_guest import boot
    final = boot.run_guest(args.kernel, args.append, args.accel, args.smp, args.memory, args.pin_vcpus,
                           args.label, args.quick, args.extra, args.timeout, boot_timeout=args.boot_timeout,
                           wait=not args.no_wait, hold_pm_qos=not args.no_pm_qos)
    python_deps.require()
    from fpubench_cli.running import run as suite_run
    suite_run.print_tables(final)
    held = len(list(final.parent.glob("[0-9]*[0-9Z].json")))
    print(f"fpubench: {final.parent} now holds {held} run{'s' if held != 1 else ''} of label '{final.parent.name}'")
    print(suite_run.next_step(final))
    return 0


def torture(args):
    from fpubench_cli.running import torture as integrity
    if args.only is not None and not [w for w in args.only.split(",") if w.strip()]:
        raise UserError(f"--only '{args.only}' names no scenario: give names or prefixes like host,kvm/exits, "
                        f"or leave --only out to run them all")
    return integrity.run_torture(args.seconds, args.only, args.label, measuring=_measuring_binary_flags(args))


def system(args):
    from fpubench_cli.running import system_settings
    if args.verb == "show":
        print(system_settings.format_settings(system_settings.show()))
    elif args.verb in ("tune", "reset"):
        for line in getattr(system_settings, args.verb)():
            print(f"fpubench: {line}")
    else:
        raise UserError(f"system takes show, tune or reset, got '{args.verb}'")
    return 0


def counters(args):
    build.setup("counters")
    return subprocess.run([str(paths.BINARY), "probe", "counters", f"--counters={args.list}"]).returncode


def export(args):
    build.install_for("export")
    from fpubench_cli.lab import export as lab_export
    return lab_export.export(args.results, args.format, sys.stdout, args.origin, args.build_id)


def import_(args):
    build.install_for("import")
    from fpubench_cli.lab import importing
    return importing.import_files(args.source, args.files, args.label)


def run(args):
    build.setup("run")  # installs the Python packages too, on a fresh machine
    m = _reporting()
    extra = ([f"--counters={args.counters}"] if args.counters is not None else []) \
        + _measuring_binary_flags(args) + _design_flags(args.design_from, args.extra, m.result_sets) + args.extra
    final = m.run.run_suite(label=args.label, quick=args.quick, extra=extra, do_setup=False, verbose=args.verbose)
    m.run.report_run(final)
    return 0


def compare(args):
    build.install_for("compare")  # numpy & co. only: nothing to build
    m = _reporting()
    thresholds = m.compare.Thresholds(args.alpha, args.min_change, args.counter_delta)
    m.compare.check_thresholds(thresholds)
    a, b = m.result_sets.load(args.a), m.result_sets.load(args.b)
    pairs = _machine_pairs(a, b, m.result_sets) if args.by_machine else [("", a, b)]
    done = [(machine, *_compare_one(a, b, args, thresholds, m.compare, m.compare_format)) for machine, a, b in pairs]
    if not args.by_machine:
        print(done[0][2])
    elif args.format == "json":  # one document: {machine: its comparison}
        print(json.dumps({machine: json.loads(text) for machine, _, text in done}, indent=1))
    else:
        print("\n".join(f"=== machine: {machine}\n{text}" for machine, _, text in done))
    slower = any(c.regressions for _, c, _ in done)
    return 1 if slower and not args.no_fail else 0


def plot(args):
    build.install_for("plot")
    m = _reporting()
    sets = [m.result_sets.load(s) for s in args.sets]
    comparison = m.compare.compare_sets(sets[0], sets[1]) if len(sets) == 2 else None
    # Named as the plots name the sets: a label, or a run's label and time (never "….json").
    out = paths.RESULTS_DIR / "plots" / "_vs_".join(_slug(m.plots.set_name(rs)) for rs in sets)
    if not any(rs.runs for rs in sets):
        raise UserError(f"nothing to plot: {', '.join(args.sets)} hold{'s' if len(sets) == 1 else ''} no benchmark "
                        f"results (only empty, torture or self-check files): plot a label of runs")
    pngs = m.plots.plot_all(sets, out, comparison)
    print(f"fpubench: {len(pngs)} plots (PNG and SVG) in {out}")
    return 0


def report(args):
    build.install_for("report")
    m = _reporting()
    a, b = m.result_sets.load(args.a), m.result_sets.load(args.b)
    warnings = m.compare.check_pair(a, b, args.force)
    c = m.compare.compare_sets(a, b, force_timing=args.force)
    c.warnings[:0] = warnings
    write_report(c, [a, b], f"{_slug(args.a)}_vs_{_slug(args.b)}", m.plots, m.report)
    return 0


def ab(args):
    from fpubench_cli.linux_guest import ab as ab_boots
    ab_boots.check_inputs(args.kernel, args.boots, args.accel)  # before its packages: a bad kernel installs nothing
    build.setup("ab")
    m = _reporting()
    labels = ab_boots.run_ab(args.kernel, args.boots, args.accel, args.quick, args.extra, args.smp, args.memory,
                       args.pin_vcpus, args.timeout, paths.RESULTS_DIR,
                       wait=not args.no_wait, hold_pm_qos=not args.no_pm_qos)
    a, b = (m.result_sets.load(label) for label in labels)
    warnings = m.compare.check_pair(a, b)  # the checks compare and report make
    c = m.compare.compare_sets(a, b)
    c.warnings[:0] = warnings
    print(m.compare_format.as_text(c))
    write_report(c, [a, b], f"{labels[0]}_vs_{labels[1]}", m.plots, m.report)
    return 1 if c.regressions and not args.no_fail else 0


def _selfcheck_sizes(args):
    default_sizes = ACROSS_RUNS_SIZES if args.across_runs else SELFCHECK_SIZES
    text = args.sizes if args.sizes is not None else ",".join(str(s) for s in default_sizes)
    try:
        sizes = [float(x) for x in text.split(",") if x]
    except ValueError:
        raise UserError(f"--sizes takes nanoseconds separated by commas, like 50,100,200; got '{text}'")
    if not sizes:
        raise UserError("--sizes gave no delay to try, so the self-check would test nothing: name at least "
                        "one, like --sizes 50,100,200")
    if any(not 0 < s <= 1e6 for s in sizes):
        raise UserError(f"--sizes takes delays above 0 and up to 1000000 ns, like 50,100,200; got '{text}'")
    return sizes


def selfcheck(args):
    from fpubench_cli import publish
    args.label = publish.label_or_default(args.label, os.uname().release)
    if args.repetitions < 2:
        raise UserError(f"selfcheck needs --repetitions of at least 2 (a comparison needs a spread), "
                        f"got {args.repetitions}")
    sizes = _selfcheck_sizes(args)
    build.setup("selfcheck")
    m = _reporting()
    if args.across_runs:
        from fpubench_cli.running import selfcheck_runs
        benchmark_filter = args.filter or selfcheck_runs.default_filter(m.run.planned_rows(), args.cost)
        selfcheck_runs.selfcheck_across_runs(sizes, args.runs, args.label, benchmark_filter,
                                             _measuring_binary_flags(args), cost=args.cost)
        return 0
    benchmark = args.benchmark or m.selfcheck.default_benchmark(m.run.planned_rows(), args.cost)
    m.selfcheck.selfcheck(benchmark, sizes, args.repetitions, args.min_time, args.label,
                        m.compare.Thresholds(min_change=args.min_change), not args.all_sizes,
                        measuring=_measuring_binary_flags(args), cost=args.cost)
    return 0


COMMANDS = {"setup": setup, "test": test, "guest": guest, "torture": torture, "system": system,
            "counters": counters, "export": export, "import": import_, "run": run, "compare": compare,
            "plot": plot, "report": report, "ab": ab, "selfcheck": selfcheck}
