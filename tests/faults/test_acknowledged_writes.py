"""No write the local stack acknowledged is lost, however it is stopped: SIGTERM, SIGTERM twice in a
row (what `make` forwards on Ctrl-C), SIGINT then SIGTERM, or SIGKILL.

Before: a signal could deadlock the shutdown (the handler took a lock its own thread held), writes
answered after the final save were lost, and a SIGKILL lost every write of the last 15 s.
Each case runs editors writing concurrently, stops the stack after at least BEFORE_STOP acknowledged
writes, restarts it on the same data and looks for every article that got a 201. The stacks are
chained (one test's restart is the next one's running stack) to keep this to four starts; a single
SIGTERM is tests/e2e/test_local_stack.py's last test. On the old code the SIGKILL case fails (21 of 21
acknowledged writes lost); the signal cases passed there too in the runs tried (the deadlock needs the
signal to land while the main thread holds the Event's lock, a window this test cannot aim at).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.acknowledged_writes import BEFORE_STOP, Writers, missing_after_restart, start, token
from tests.local_stack import Stack


class Running:
    stack: Stack


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults") / "data"


@pytest.fixture(scope="module")
def running(data_dir: Path) -> Iterator[Running]:
    holder = Running()
    holder.stack = start(data_dir)
    yield holder
    if holder.stack.process.poll() is None:
        holder.stack.stop()


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param((signal.SIGTERM, signal.SIGTERM), id="SIGTERM-twice"),
        pytest.param((signal.SIGINT, signal.SIGTERM), id="SIGINT-then-SIGTERM"),
        pytest.param((signal.SIGKILL,), id="SIGKILL"),
    ],
)
def test_every_acknowledged_write_survives_the_stop(running, data_dir, stop):
    bearer = token(running.stack)
    writers = Writers(running.stack, bearer)
    writers.wait_for(BEFORE_STOP)
    if stop == (signal.SIGKILL,):
        running.stack.kill()
    else:
        output = running.stack.stop(*stop)  # exits 0 within 60 s, or fails
        assert "Stopped." in output
    acknowledged = writers.join()
    running.stack = start(data_dir)
    assert "restored local data" in running.stack.output
    assert missing_after_restart(running.stack, bearer, acknowledged) == [], f"of {len(acknowledged)}"
