import pytest

from fpubench_cli.errors import UserError
from fpubench_cli.running import packages

DPKG = """cmake ii 
libbenchmark-dev:amd64 ii 
libpfm4-dev un 
"""


def test_parses_dpkg_query_status():
    assert packages.parse_installed(DPKG) == {"cmake", "libbenchmark-dev"}


def test_missing_keeps_the_required_order():
    assert packages.missing(["libpfm4-dev", "cmake", "hwloc"], query=DPKG) == ["libpfm4-dev", "hwloc"]


def test_nothing_missing_installs_nothing():
    packages.install([], is_root=False)  # no error, no apt-get


def test_not_root_names_the_command_to_run():
    with pytest.raises(UserError) as e:
        packages.install(["libpfm4-dev"], is_root=False)
    assert "apt-get install -y --no-install-recommends libpfm4-dev" in str(e.value)
    assert "root" in str(e.value)


def test_each_command_installs_its_groups_only():
    assert "chromium" not in packages.for_command("run") and "qemu-system-x86" not in packages.for_command("run")
    assert set(packages.for_command("compare")) == set(packages.GROUPS["reporting"])
    assert "cmake" not in packages.for_command("plot")
    assert "qemu-system-x86" in packages.for_command("ab") and "chromium" not in packages.for_command("ab")
    assert set(packages.for_command("test-all")) == set(packages.REQUIRED)
    assert "chromium" not in packages.for_command("test") and "qemu-system-x86" not in packages.for_command("test")
    assert packages.for_command("system") == []


def test_apt_is_told_to_leave_recommends_out(monkeypatch):
    calls = []
    monkeypatch.setattr(packages.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or
                        packages.subprocess.CompletedProcess(cmd, 0))
    packages.install(["cpio"], is_root=True)
    install = next(c for c in calls if "install" in c)
    assert "--no-install-recommends" in install and install[-1] == "cpio"
    with pytest.raises(UserError, match="--no-install-recommends cpio"):
        packages.install(["cpio"], is_root=False)
