"""Writing results: labels, unique partial files, publishing that never replaces, leftovers."""
import datetime
import json
import os
import subprocess
import sys

import pytest

from fpubench_cli import publish
from fpubench_cli.errors import UserError
import written

GOOD = written.result([written.reference_entry("xsave/XSAVEC/sse/init")], label="a")


def test_labels_are_directory_and_context_safe():
    assert publish.check_label("6.1.0-28-amd64") == "6.1.0-28-amd64"
    for bad in ["", "a/b", "..", "x,y", "k=v", "-leading", "../x"]:
        with pytest.raises(UserError, match="label"):
            publish.check_label(bad)


def test_timestamp_is_utc_and_sortable():
    t = datetime.datetime(2026, 11, 24, 18, 5, 9, tzinfo=datetime.timezone.utc)
    assert publish.timestamp(t) == "20261124T180509Z"


def test_a_label_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    with pytest.raises(UserError, match="file-not-dir is a file, not a folder: move it away"):
        publish.PendingResult(blocked, "k")


def test_partial_files_are_hidden_unique_and_exclusive(tmp_path):
    a, b = publish.PendingResult(tmp_path, "k"), publish.PendingResult(tmp_path, "k")
    assert a.path() != b.path() and a.path().name.startswith(".")
    assert a.path() == a.path()  # one file per part
    assert a.path("histograms") != a.path()


def test_publish_moves_the_result_and_its_histograms_together(tmp_path):
    with publish.PendingResult(tmp_path, "k", ) as p:
        p.path().write_text(json.dumps(GOOD))
        p.path("histograms").write_text('{"histograms": []}')
        final = p.publish()
    assert json.loads(final.read_text()) == GOOD
    assert publish.histograms_path(final).exists()
    assert sorted(f.name for f in (tmp_path / "k").iterdir()) == sorted([final.name, final.stem + ".histograms.json"])


def test_a_name_taken_in_the_same_second_gets_the_next_free_name(tmp_path):
    finals = []
    for _ in range(3):
        with publish.PendingResult(tmp_path, "k", "torture") as p:
            p.stamp = "20260101T000000Z"
            p.path().write_text(json.dumps(GOOD))
            finals.append(p.publish())
    assert [f.name for f in finals] == ["20260101T000000Z.torture.json", "20260101T000000Z-2.torture.json",
                                        "20260101T000000Z-3.torture.json"]


def test_leaving_without_publishing_removes_the_partials(tmp_path):
    with pytest.raises(RuntimeError):
        with publish.PendingResult(tmp_path, "k") as p:
            p.path().write_text("{")
            p.path("histograms")
            raise RuntimeError("the run failed")
    assert not (tmp_path / "k").exists()  # the folder made for it goes too


@pytest.mark.parametrize("content,message", [
    ('{"context": {}, "benchmarks": [', "not valid JSON"),
    ("[1, 2]", "not a Google Benchmark result"),
    ('{"context": {}, "benchmarks": []}', "no benchmarks"),
])
def test_truncated_or_foreign_results_are_one_clear_error_and_not_published(tmp_path, content, message):
    with publish.PendingResult(tmp_path, "k") as p:
        p.path().write_text(content)
        with pytest.raises(UserError, match=message):
            p.publish()
    assert not (tmp_path / "k").exists()


def partials_of_a_dead_and_a_live_run(tmp_path, dead_part):
    """results/k/ holding a partial file of a process that is gone and one of this live one."""
    d = tmp_path / "k"
    d.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    gone = d / f".20260101T000000Z.{dead}-abcd1234.{dead_part}.partial.json"
    alive = d / f".20260101T000000Z.{os.getpid()}-abcd1234.result.partial.json"
    gone.write_text("{")
    alive.write_text("{")
    return d, gone, alive


def test_leftover_partials_of_dead_processes_are_listed_with_the_command(tmp_path, capsys):
    d, gone, alive = partials_of_a_dead_and_a_live_run(tmp_path, "result")
    assert publish.leftover_partials(d) == [gone]
    publish.warn_leftovers(d)
    out = capsys.readouterr().err
    assert f"rm '{gone}'" in out and str(alive) not in out


def test_a_log_companion_is_published_as_stem_dot_log(tmp_path):
    with publish.PendingResult(tmp_path, "k") as p:
        p.path().write_text(json.dumps(GOOD))
        p.path("log", "log").write_text("console output\n")
        final = p.publish()
    assert final.with_name(final.stem + ".log").read_text() == "console output\n"


def test_a_new_result_in_the_folder_sweeps_partials_of_dead_processes_only(tmp_path, capsys):
    d, gone, alive = partials_of_a_dead_and_a_live_run(tmp_path, "histograms")
    with publish.PendingResult(tmp_path, "k"):
        pass
    assert not gone.exists() and alive.exists()
    assert f"removed {gone.name}" in capsys.readouterr().err
