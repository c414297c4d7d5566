"""Checking Embedded Metric Format documents as CloudWatch reads them (its specification, structurally)."""

from __future__ import annotations

from typing import Any

UNITS = {"Count", "Milliseconds", "Seconds", "Bytes", "Percent", "None"}


def metrics_of(document: dict[str, Any]) -> set[tuple[str, str, frozenset[tuple[str, str]]]]:
    """(namespace, metric, dimensions with their values) of each metric a valid EMF document publishes."""
    meta = document["_aws"]
    assert isinstance(meta["Timestamp"], int) and meta["Timestamp"] > 1_600_000_000_000
    published = set()
    for directive in meta["CloudWatchMetrics"]:
        namespace = directive["Namespace"]
        assert isinstance(namespace, str) and namespace and not namespace.startswith("AWS/")
        assert directive["Metrics"] and len(directive["Dimensions"]) >= 1
        for definition in directive["Metrics"]:
            assert set(definition) <= {"Name", "Unit", "StorageResolution"} and definition["Unit"] in UNITS
            value = document[definition["Name"]]  # a declared metric is a member of the root
            assert isinstance(value, (int, float)) and not isinstance(value, bool)
            for names in directive["Dimensions"]:
                assert 1 <= len(names) <= 30
                values = {(name, document[name]) for name in names}
                assert all(isinstance(v, str) and v for _, v in values), values
                published.add((namespace, definition["Name"], frozenset(values)))
    return published
