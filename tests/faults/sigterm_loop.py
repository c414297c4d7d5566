"""The issue's bar, run by hand (too long for the suite, ~20 s a round): `python -m tests.faults.sigterm_loop [50]`.

SIGTERM the local stack N times in a row during concurrent writes, restarting on the same data each
time; exits 1 at the first acknowledged write missing after a restart.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.faults.acknowledged_writes import BEFORE_STOP, Writers, missing_after_restart, start, token


def main(rounds: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        stack = start(data_dir)
        bearer = token(stack)
        total = 0
        for round_number in range(1, rounds + 1):
            writers = Writers(stack, bearer)
            writers.wait_for(BEFORE_STOP)
            stack.stop()
            acknowledged = writers.join()
            stack = start(data_dir)
            missing = missing_after_restart(stack, bearer, acknowledged)
            total += len(acknowledged)
            print(f"round {round_number}: {len(acknowledged)} acknowledged, {len(missing)} missing", flush=True)
            if missing:
                stack.stop()
                return 1
        stack.stop()
        print(f"{rounds} SIGTERMs, {total} acknowledged writes, none lost")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
