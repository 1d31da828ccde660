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
    assert "apt-get install -y libpfm4-dev" in str(e.value)
    assert "root" in str(e.value)
