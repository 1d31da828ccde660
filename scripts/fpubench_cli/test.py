"""`fpubench test`: every test: Python lint (pyflakes), C++ through ctest, Python through pytest."""
import subprocess

from . import build, paths


def run_tests(do_setup=True):
    """Returns 0 only when both suites pass; runs the Python one even if the C++ one failed."""
    if do_setup:
        build.setup()
    # Python lint first: an unused import or an undefined name is a failure like any other.
    lint = subprocess.run([paths.SYSTEM_PYTHON, "-m", "pyflakes", str(paths.REPO / "scripts")])
    ctest = subprocess.run(["ctest", "--test-dir", str(paths.BUILD_DIR), "--output-on-failure"])
    pytest = subprocess.run([paths.SYSTEM_PYTHON, "-m", "pytest", "-q", str(paths.PYTHON_TESTS)],
                            cwd=paths.REPO)
    failed = [name for name, p in (("pyflakes", lint), ("ctest", ctest), ("pytest", pytest)) if p.returncode != 0]
    if failed:
        print(f"fpubench: test failures in {' and '.join(failed)}")
        return 1
    print("fpubench: all tests passed")
    return 0
