import datetime
import json

import pytest

from fpubench_cli import results_store
from fpubench_cli.errors import UserError


def write(path, data):
    path.write_text(json.dumps(data))
    return path


GOOD = {"context": {"label": "a"}, "benchmarks": [{"name": "xsave/XSAVE/sse/init/manual_time"}]}


def test_labels_are_directory_and_context_safe():
    assert results_store.check_label("6.1.0-28-amd64") == "6.1.0-28-amd64"
    for bad in ["", "a/b", "..", "x,y", "k=v", "-leading"]:
        with pytest.raises(UserError, match="label"):
            results_store.check_label(bad)


def test_timestamp_is_utc_and_sortable():
    t = datetime.datetime(2026, 11, 24, 18, 5, 9, tzinfo=datetime.timezone.utc)
    assert results_store.timestamp(t) == "20261124T180509Z"


def test_result_path_refuses_existing_file(tmp_path):
    path = results_store.result_path(tmp_path, "k", "20260101T000000Z")
    assert path == tmp_path / "k" / "20260101T000000Z.json"
    path.write_text("{}")
    with pytest.raises(UserError, match="never overwrites"):
        results_store.result_path(tmp_path, "k", "20260101T000000Z")


def test_publish_moves_a_complete_file(tmp_path):
    partial = write(tmp_path / ".x.partial.json", GOOD)
    final = tmp_path / "x.json"
    results_store.publish(partial, final)
    assert json.loads(final.read_text()) == GOOD
    assert not partial.exists()


def test_publish_never_replaces_an_existing_result(tmp_path):
    partial = write(tmp_path / ".x.partial.json", GOOD)
    final = write(tmp_path / "x.json", {"mine": True})
    with pytest.raises(UserError, match="never overwrites"):
        results_store.publish(partial, final)
    assert json.loads(final.read_text()) == {"mine": True}


@pytest.mark.parametrize("content, message", [
    ('{"context": {}, "benchmarks": [', "not a readable JSON"),
    ('[1, 2]', "not a Google Benchmark result"),
    ('{"context": {}, "benchmarks": []}', "no benchmarks"),
])
def test_truncated_or_foreign_files_are_one_clear_error(tmp_path, content, message):
    partial = tmp_path / ".x.partial.json"
    partial.write_text(content)
    with pytest.raises(UserError, match=message) as e:
        results_store.publish(partial, tmp_path / "x.json")
    assert "\n" not in str(e.value)
    assert not (tmp_path / "x.json").exists()


def test_result_path_makes_the_label_folder_or_says_whose_it_is(tmp_path):
    assert results_store.result_path(tmp_path, "k", "20260101T000000Z", "torture").parent.is_dir()
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    with pytest.raises(UserError, match="cannot create"):
        results_store.result_path(blocked, "k", "20260101T000000Z")
