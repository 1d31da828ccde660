"""The torture command against a stand-in binary: where the summary goes, and exit statuses."""
import json
import stat

import pytest

from fpubench_cli.errors import UserError
from fpubench_cli.running import torture


def fake_binary(tmp_path, rc):
    path = tmp_path / "fake-fpubench"
    path.write_text(f"""#!/bin/sh
for a in "$@"; do
  case "$a" in --out=*) out="${{a#--out=}}";; esac
done
printf '{{"context": {{"label": "x"}}, "benchmarks": [], "torture": {{"passed": {str(rc == 0).lower()}, "scenarios": []}}}}' > "$out"
exit {rc}
""")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.mark.parametrize("rc", [0, 2, 3, 4, 130])
def test_summary_is_kept_and_status_passed_on(tmp_path, rc):
    status = torture.run_torture(2, "host", "k", tmp_path, fake_binary(tmp_path, rc), do_setup=False)
    assert status == rc
    [summary] = (tmp_path / "k").glob("*.torture.json")
    assert json.loads(summary.read_text())["torture"]["passed"] is (rc == 0)
    assert not list((tmp_path / "k").glob(".*"))


def test_a_crashed_run_is_an_error_and_leaves_nothing(tmp_path):
    with pytest.raises(UserError, match="status 1"):
        torture.run_torture(2, None, "k", tmp_path, fake_binary(tmp_path, 1), do_setup=False)
    assert not (tmp_path / "k").exists()


def test_nothing_tested_is_not_a_pass_anywhere(tmp_path, capsys):
    assert torture.run_torture(2, "kvm", "k", tmp_path, fake_binary(tmp_path, 2), do_setup=False) == 2
    assert "nothing was tested" in capsys.readouterr().out
    from fpubench_cli.analysis import compare
    line = compare.integrity_line([{"verdict": "nothing tested", "passed": False, "scenarios": []}])
    assert "passed" not in line and "nothing tested" in line


def test_the_cli_passes_the_torture_verdict_on(tmp_path, monkeypatch):
    from fpubench_cli import cli
    monkeypatch.setattr(torture, "run_torture", lambda *a, **k: 4)
    assert cli.main(["torture", "--seconds", "1", "--only", "kvm"]) == 4
