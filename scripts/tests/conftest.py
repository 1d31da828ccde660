import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pytest_configure(config):
    # `scripts/fpubench test` leaves these out to stay under three minutes; `test --all` (CI) runs them.
    config.addinivalue_line("markers", "slow: boots a guest, opens a browser or runs a long statistical "
                                       "simulation; run by `scripts/fpubench test --all`")
