"""Labels live in one place, complete for every language."""

from chalicelib.labels import LABELS, labels_for


def test_every_language_has_every_label():
    keys = set(LABELS["zh-CN"])
    others = [language for language in LABELS if language != "zh-CN"]
    assert "en" in others
    for language in others:
        assert set(LABELS[language]) == keys, language
    for language, labels in LABELS.items():
        assert all(labels[k] or k == "views_unit" for k in keys), language
    assert LABELS["zh-CN"]["views_unit"] == "次" and LABELS["en"]["views_unit"] == ""


def test_unknown_languages_fall_back_to_chinese():
    assert labels_for("fr") is LABELS["zh-CN"]
    assert labels_for("en") is LABELS["en"] and labels_for("en")["views"] == "Views"
