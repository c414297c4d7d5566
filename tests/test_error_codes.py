"""Every refusal the API can make has a stable code, and the editors' app words each one (issue 29, item 3).

The codes are read from the source (every `code="…"` an error is raised with, and each error class's default),
so a new refusal without wording in chalicelib/admin/messages.js fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from chalicelib import errors
from chalicelib.admin_app import ASSETS_DIR

PACKAGE = Path(errors.__file__).resolve().parent
# Raised by the app itself (no network, the bucket refusing an upload), not by the API.
CLIENT_CODES = {"network", "upload_network", "upload_refused"}
# Words allowed in Chinese sentences: formats, units, names.
LATIN_ALLOWED = {"JPEG", "PNG", "WebP", "MB", "KB", "PDF", "Word", "Excel", "PPT", "http", "https", "doc", "docx"}
# Modules' tables of refusal codes, raised through a variable (wechat_import.MESSAGES, attachments.REFUSALS).
REFUSAL_TABLES = {"MESSAGES", "REFUSALS"}


def raised_codes() -> set[str]:
    """Every code literal passed to an error (or rejection_code's returns, or a refusal table's keys)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                found.add(str(node.value.value))
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", "")
                if name in {"FetchRefused", "FetchFailed"}:
                    found.add(str(ast.literal_eval(node.args[1])))
                if name == "refuse" and len(node.args) > 2 and isinstance(node.args[2], ast.Constant):
                    found.add(str(node.args[2].value))  # richtext.schema.refuse(message, field, code)
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") in REFUSAL_TABLES for t in node.targets):
                found |= set(ast.literal_eval(node.value))
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "default_code" for t in node.targets):
                found.add(ast.literal_eval(node.value))
    for returning in ("photo_rejections.py", "richtext/links.py"):  # (code, ...) tuples
        found |= set(re.findall(r'return "(\w+)", ', (PACKAGE / returning).read_text(encoding="utf-8")))
    return found


def worded() -> dict[str, dict[str, str]]:
    source = (ASSETS_DIR / "messages.js").read_text(encoding="utf-8")
    words = source.split("const WORDS = {")[1].split("\n};")[0]
    zh, en = words.split("\n  en: {\n")
    return {
        lang: dict(re.findall(r'^    (\w+): "([^"]*)",$', text, re.M)) for lang, text in (("zh-CN", zh), ("en", en))
    }


def test_every_code_raised_is_a_known_code_and_every_known_code_is_raised():
    assert raised_codes() == set(errors.CODES)


def test_the_app_words_every_code_in_chinese_and_english():
    words = worded()
    wanted = set(errors.CODES) | CLIENT_CODES
    assert wanted - set(words["zh-CN"]) == set()
    assert wanted - set(words["en"]) == set()
    for code, text in words["zh-CN"].items():
        latin = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", text))) - LATIN_ALLOWED
        assert not latin, f"{code}: English in the Chinese wording: {text}"
        assert re.search(r"[\u4e00-\u9fff]", text), code


def test_limits_are_worded_in_mb_and_wan_pixels():
    words = worded()["zh-CN"]
    assert "{mb} MB" in words["file_too_large"] and "{mb} MB" in words["body_too_large"]
    assert "{wan} 万像素" in words["too_many_pixels"]
