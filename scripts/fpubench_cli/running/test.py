"""`fpubench test`: the tests a developer runs often: Python lint (pyflakes), C/C++ style
(clang-format, .clang-format), C++ through ctest, Python through pytest without the tests marked
slow (guest boots, the browser, long statistical simulations).
`--all`: every test, the slow ones too, then the C++ tests built with AddressSanitizer and
UndefinedBehaviorSanitizer (what CI runs). `--sanitize`: only the sanitized C++ tests."""
import subprocess

from fpubench_cli import paths
from fpubench_cli.running import build

# Tests that hold a register pattern across code they call: the sanitizers' runtime uses vector
# registers behind that code's back (it zeroes XMM0), which reads as corrupted state. They run
# in the ordinary build; the sanitized one leaves them out, by name.
HOLDS_REGISTERS = "RegisterStateTest|StateCheckTest|PingPongSession|PingPongCounters|TortureTest"


def run_tests(everything=False, do_setup=True):
    """Returns 0 only when every suite passes; runs them all even when one failed."""
    if do_setup:
        build.setup("test-all" if everything else "test")
    # Lint first: an unused import, an undefined name or a file off the style fails like a test.
    lint = subprocess.run([paths.SYSTEM_PYTHON, "-m", "pyflakes", str(paths.REPO / "scripts")])
    sources = subprocess.run(["git", "-C", str(paths.REPO), "ls-files", "*.cc", "*.h", "*.c"],
                             capture_output=True, text=True).stdout.split()
    if sources:
        style = subprocess.run(["clang-format", "--dry-run", "--Werror", *sources], cwd=paths.REPO)
    else:  # not a git checkout: nothing names the sources
        print("fpubench: skipped the clang-format check: this is not a git checkout")
        style = subprocess.CompletedProcess([], 0)
    ctest = subprocess.run(["ctest", "--test-dir", str(paths.BUILD_DIR), "--output-on-failure"])
    which = [] if everything else ["-m", "not slow"]
    pytest = subprocess.run([paths.SYSTEM_PYTHON, "-m", "pytest", "-q", "-rs", *which, str(paths.PYTHON_TESTS)],
                            cwd=paths.REPO)
    verdict = _verdict([("pyflakes", lint), ("clang-format", style), ("ctest", ctest), ("pytest", pytest)])
    if everything:
        verdict = max(verdict, run_sanitized_tests())
    elif verdict == 0:
        print("fpubench: the slow tests (guest boots, browser, sanitizers) run with 'scripts/fpubench test --all'")
    return verdict


def run_sanitized_tests():
    """The C++ tests built with ASan and UBSan in build-sanitize/ (configured once)."""
    build.install_for("test-sanitize")
    build.configure_and_build(paths.SANITIZE_BUILD_DIR, ["-DFPUBENCH_SANITIZE=ON"], build_type="RelWithDebInfo")
    ctest = subprocess.run(["ctest", "--test-dir", str(paths.SANITIZE_BUILD_DIR), "--output-on-failure",
                            "-E", HOLDS_REGISTERS])
    return _verdict([("sanitized ctest", ctest)])


def _verdict(suites):
    failed = [name for name, p in suites if p.returncode != 0]
    if failed:
        print(f"fpubench: test failures in {' and '.join(failed)}")
        return 1
    print("fpubench: all tests passed")
    return 0
