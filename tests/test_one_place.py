"""Facts written once (issue 27): a failed write condition, a rendition's URL and a domain error's HTTP answer
each have one function, and no other runtime module spells them out again."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spelled_in(needle: str) -> list[str]:
    """The runtime modules whose source holds `needle`."""
    paths = [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]
    return [p.relative_to(ROOT).as_posix() for p in paths if needle in p.read_text(encoding="utf-8")]


def test_a_failed_write_condition_is_told_apart_in_one_function():
    assert spelled_in('"ConditionalCheckFailedException"') == ["chalicelib/write_conditions.py"]


def test_a_renditions_url_is_built_in_one_function():
    assert spelled_in("renditions_folder(") == ["chalicelib/media_keys.py"]
    assert spelled_in("def rendition_url(") == ["chalicelib/media_keys.py"]
    assert spelled_in("rendition_key(") == ["chalicelib/media_keys.py", "chalicelib/processing.py"]  # the S3 key


def test_a_domain_error_becomes_http_in_one_function():
    assert spelled_in("def domain_error(") == ["chalicelib/answers.py"]
    assert spelled_in("domain_error(") == ["chalicelib/answers.py", "chalicelib/routes/responses.py"]
    assert spelled_in("error_page(error.status_code)") == ["chalicelib/routes/responses.py"]


def test_the_check_sees_the_sources():
    assert "chalicelib/routes/responses.py" in spelled_in("def error_response(")
