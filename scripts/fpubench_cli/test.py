"""`fpubench test`: every test, C++ through ctest and Python through pytest."""
import subprocess

from . import build, paths


def run_tests(do_setup=True):
    """Returns 0 only when both suites pass; runs the Python one even if the C++ one failed."""
    if do_setup:
        build.setup()
    ctest = subprocess.run(["ctest", "--test-dir", str(paths.BUILD_DIR), "--output-on-failure"])
    pytest = subprocess.run([paths.SYSTEM_PYTHON, "-m", "pytest", "-q", str(paths.PYTHON_TESTS)],
                            cwd=paths.REPO)
    failed = [name for name, p in (("ctest", ctest), ("pytest", pytest)) if p.returncode != 0]
    if failed:
        print(f"fpubench: test failures in {' and '.join(failed)}")
        return 1
    print("fpubench: all tests passed")
    return 0
