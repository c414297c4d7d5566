"""A tiny WebP of huge dimensions must not take the photo processor's memory (its Lambda has 1024 MB).

A 16383×3000 WebP of 1.9 KB (files/tall-16383x3000.webp: one colour, lossless, made by Pillow) is under
the 50 MP limit, but WebP cannot be decoded at reduced size and Pillow's decoder peaks near 16 bytes a
pixel: ~770 MB before the fix. Measured in a fresh interpreter with its peak reset (Linux's VmHWM), so
nothing else in the test run counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chalicelib.imaging import ImageRejected, process

ROOT = Path(__file__).resolve().parents[2]
TALL_WEBP = Path(__file__).parent / "files" / "tall-16383x3000.webp"
MEASURE = """
import json, sys
from chalicelib.imaging import ImageRejected, process
import PIL.Image, PIL.WebPImagePlugin  # loaded before the baseline: only decoding counts

def peak_mb():
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024

data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset the peak: ru_maxrss and VmHWM outlive exec, so the parent's peak would count
before = peak_mb()
try:
    process(data)
    outcome = "processed"
except ImageRejected as error:
    outcome = error.reason
print(json.dumps({"outcome": outcome, "peak_mb": peak_mb() - before}))
"""


def measure(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return dict(json.loads(result.stdout))


def test_a_huge_webp_is_refused_before_decoding_with_a_clear_reason() -> None:
    with pytest.raises(ImageRejected) as rejected:
        process(TALL_WEBP.read_bytes())
    assert "16383×3000" in rejected.value.reason
    assert "WebP" in rejected.value.reason


def test_processing_a_huge_webp_stays_far_below_the_lambdas_memory() -> None:
    result = measure(TALL_WEBP)
    assert result["peak_mb"] < 100, result  # was ~770 MB
