"""Every relative link in README.md and docs/*.md reaches a file in the repository, and its anchor a heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
CODE = re.compile(r"`[^`\n]*`")


def links(text: str) -> list[str]:
    """The link targets of a Markdown text, outside code blocks and code spans."""
    return LINK.findall(CODE.sub("", FENCE.sub("", text)))


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    text = FENCE.sub("", document.read_text(encoding="utf-8"))
    return {anchor(line.lstrip("#")) for line in text.splitlines() if re.match(r"#{1,6} ", line)}


def broken(document: Path, root: Path = ROOT) -> list[str]:
    """The relative links of a document that name no file under root, or no heading in it."""
    found = []
    for target in links(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        destination = (document.parent / path).resolve() if path else document
        reached = destination.is_relative_to(root) and destination.exists()
        if not reached or (fragment and destination.suffix == ".md" and fragment not in anchors(destination)):
            found.append(target)
    return found


def test_there_are_documents_with_links():
    assert len(DOCUMENTS) > 10
    assert len(links((ROOT / "README.md").read_text(encoding="utf-8"))) > 10


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(document: Path):
    assert broken(document) == []


def test_a_missing_file_or_heading_is_found(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# Newsroom\n", encoding="utf-8")
    (tmp_path / "docs" / "editors.md").write_text("# Editors\n\n## Editorial workflow\n", encoding="utf-8")
    page = tmp_path / "docs" / "probe.md"
    page.write_text(
        "# Probe\n\n## Editors' app\n\n[ok](#editors-app) [ok](../README.md) [ok](editors.md#editorial-workflow) "
        "[gone](nowhere.md) [gone](editors.md#no-such-heading) ![gone](missing.png) [out](../../etc/passwd) "
        "`[not a link](code.md)` [web](https://example.org/x) [gone](#nowhere)\n\n```\n[not a link](fenced.md)\n```\n",
        encoding="utf-8",
    )
    assert broken(page, tmp_path) == [
        "nowhere.md",
        "editors.md#no-such-heading",
        "missing.png",
        "../../etc/passwd",
        "#nowhere",
    ]
