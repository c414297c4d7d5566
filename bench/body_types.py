"""The typed article's cost (issue 27): chalicelib/article_body.py's dataclasses against msgspec Structs.

Two figures, each in fresh interpreters (`python -I -S -B`, the project on sys.path, medians):
- importing the body's types (CPU time: on a shared machine wall times stretch), after what the API has
  imported anyway (dataclasses, typing, json, re), against importing msgspec and equivalent tagged Structs;
- reading a stored body (a 50-block article of about 20 KB: paragraphs with marks, photos with snapshots):
  `json.loads` alone (the untyped baseline, as before the types), `json.loads` + `article_body.from_json`,
  and msgspec's typed decoder.
msgspec is optional (requirements-bench.txt): without it its rows say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.report import Row, arguments, finish, median

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRELOADED = "import dataclasses, typing, json, re, functools, os"  # the API has these before the body's types

MSGSPEC_TYPES = """
from __future__ import annotations
import msgspec

class Mark(msgspec.Struct, omit_defaults=True):
    type: str
    start: int
    end: int
    href: str | None = None

class Inline(msgspec.Struct, omit_defaults=True):
    text: str
    marks: list[Mark] = []

class ListItem(msgspec.Struct, omit_defaults=True):
    text: str
    marks: list[Mark] = []
    items: list[ListItem] | None = None

class Paragraph(msgspec.Struct, tag="paragraph", tag_field="type", omit_defaults=True):
    text: str
    marks: list[Mark] = []

class Quote(msgspec.Struct, tag="quote", tag_field="type", omit_defaults=True):
    text: str
    marks: list[Mark] = []

class Heading(msgspec.Struct, tag="heading", tag_field="type"):
    text: str

class ListBlock(msgspec.Struct, tag="list", tag_field="type", omit_defaults=True):
    items: list[ListItem]
    ordered: bool = False

class Table(msgspec.Struct, tag="table", tag_field="type", omit_defaults=True):
    rows: list[list[Inline]]
    header: bool = False

class PhotoMedia(msgspec.Struct):
    status: str
    width: int | None = None
    height: int | None = None
    color: str | None = None
    widths: list[int] = []

class Photo(msgspec.Struct, tag="photo", tag_field="type", omit_defaults=True):
    photo_id: str
    caption: str | None = None
    alt: str | None = None
    media: PhotoMedia | None = None

class Attachment(msgspec.Struct, tag="attachment", tag_field="type"):
    attachment_id: str
    filename: str
    size: int

class Video(msgspec.Struct, tag="video", tag_field="type", omit_defaults=True):
    provider: str
    video_id: str
    poster_photo_id: str | None = None
    caption: str | None = None

decoder = msgspec.json.Decoder(list[Paragraph | Quote | Heading | ListBlock | Table | Photo | Attachment | Video])
"""

IMPORT = """
import sys, time, json
sys.path[:0] = {paths!r}
{preloaded}
wall, cpu = time.perf_counter(), time.process_time()
import {module}
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""
DECODE = """
import sys, json, timeit
sys.path[:0] = {paths!r}
{setup}
stored = open({body!r}, encoding="utf-8").read()
data = stored.encode()
best = min(timeit.repeat(lambda: {decode}, number={number}, repeat=5)) / {number}
print(json.dumps([best, 0]))
"""


def stored_body() -> str:
    """A long notice as article_body stores it: 40 paragraphs with a bold mark, a photo every fourth."""
    media = {"status": "ready", "width": 4000, "height": 3000, "color": "#aabbcc", "widths": [320, 640, 1024, 1600]}
    body: list[dict[str, object]] = []
    for i in range(40):
        text = "各会员单位开展锅炉安全专项检查。" * 8
        body.append({"type": "paragraph", "text": text, "marks": [{"type": "bold", "start": 0, "end": 4}]})
        if i % 4 == 0:
            body.append({"type": "photo", "photo_id": f"p{i:030d}", "caption": "检查现场", "media": media})
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def child(code: str, runs: int, figure: int = 0) -> float:
    """The median of `runs` fresh interpreters' figure (0: wall time, 1: CPU time), in ms."""
    values = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-I", "-S", "-B", "-c", code], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip().splitlines()[-1])
        values.append(json.loads(result.stdout)[figure] * 1000)
    return median(values)


def has_msgspec() -> bool:
    return subprocess.run([sys.executable, "-c", "import msgspec"], capture_output=True).returncode == 0


def measure(work: Path, quick: bool) -> list[Row]:
    (work / "msgspec_body.py").write_text(MSGSPEC_TYPES, encoding="utf-8")
    body = work / "body.json"
    body.write_text(stored_body(), encoding="utf-8")
    paths = [str(PROJECT_DIR), str(work), *[p for p in sys.path if "site-packages" in p]]
    runs, number = (3, 20) if quick else (15, 200)

    def imported(module: str) -> float:
        return child(IMPORT.format(paths=paths, preloaded=PRELOADED, module=module), runs, figure=1)  # CPU: steadier

    def decoded(setup: str, decode: str) -> float:
        return child(DECODE.format(paths=paths, setup=setup, body=str(body), decode=decode, number=number), 3)

    size = f"{len(body.read_bytes()) // 1024} KB, 50 blocks"
    package = imported("chalicelib")
    types = imported("chalicelib.article_body") - package
    plain = decoded("", "json.loads(stored)")
    typed = decoded("from chalicelib.article_body import from_json", "from_json(json.loads(stored))")
    rows = [
        Row("Typed body", "import the dataclass types (ms CPU)", f"{types:.2f}"),
        Row("Typed body", f"read a stored body ({size}), dataclasses", f"{typed:.3f} ms", f"json.loads {plain:.3f} ms",
            f"{typed / plain:.2f}"),
    ]  # fmt: skip
    if not has_msgspec():
        return [*rows, Row("Typed body", "msgspec", "not installed (requirements-bench.txt)")]
    structs = imported("msgspec_body")
    fast = decoded("from msgspec_body import decoder", "decoder.decode(data)")
    return [
        *rows,
        Row("Typed body", "import msgspec + equivalent Structs (ms CPU)", f"{structs:.2f}", f"{types:.2f}",
            f"{structs / types:.2f}"),
        Row("Typed body", f"read a stored body ({size}), msgspec", f"{fast:.3f} ms", f"json.loads {plain:.3f} ms",
            f"{fast / plain:.2f}"),
    ]  # fmt: skip


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    with tempfile.TemporaryDirectory(prefix="body-types-") as tmp:
        finish(measure(Path(tmp), options.quick), options.json)


if __name__ == "__main__":
    main()
