"""Labels live in one place, complete for every language."""

from chalicelib.labels import LABELS, labels_for


def test_every_language_has_every_label():
    keys = set(LABELS["zh-CN"])
    for language, labels in LABELS.items():
        assert set(labels) == keys, language
        assert all(labels[k] or k == "views_unit" for k in keys), language


def test_unknown_languages_fall_back_to_chinese():
    assert labels_for("fr") is LABELS["zh-CN"]
    assert labels_for("en")["views"] == "Views"
