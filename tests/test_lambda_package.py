"""optimise-package's botocore data: the kept service models, uncompressed and without documentation, are what
botocore builds the same clients from (tests/deploy/ checks the endpoints and a whole page from the real package)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import botocore
import pytest
from botocore.loaders import Loader
from botocore.model import ServiceModel

from ops.lambda_package import SERVICES, _drop_unused_service_models

DATA = Path(botocore.__file__).parent / "data"


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """botocore's data as the package holds it: a kept service, one dropped, the shared files; then optimised."""
    root = tmp_path_factory.mktemp("package")
    data = root / "botocore" / "data"
    for service in ("dynamodb", "s3", "kinesis"):
        shutil.copytree(DATA / service, data / service)
    for path in DATA.glob("*.json"):
        shutil.copy(path, data / path.name)
    _drop_unused_service_models(root)
    return data


def without_documentation(model: Any) -> Any:
    """The specification: documentation goes wherever it is, but for the client context parameters' (botocore
    requires theirs); nothing else changes."""
    if isinstance(model, dict):
        return {
            k: v if k == "clientContextParams" else without_documentation(v)
            for k, v in model.items()
            if k != "documentation"
        }
    if isinstance(model, list):
        return [without_documentation(v) for v in model]
    return model


def test_kept_models_are_uncompressed_and_others_dropped(trimmed):
    assert {p.name for p in trimmed.iterdir() if p.is_dir()} == {"dynamodb", "s3"}
    assert not list(trimmed.rglob("*.json.gz"))
    assert "kinesis" not in SERVICES and {"dynamodb", "s3"} <= set(SERVICES)


@pytest.mark.parametrize("service", ["dynamodb", "s3"])
def test_a_kept_service_model_is_the_original_without_its_documentation(trimmed, service):
    for original in sorted((DATA / service).glob("*/*.json.gz")):
        kept = trimmed / original.relative_to(DATA).with_suffix("")
        full = json.loads(gzip.decompress(original.read_bytes()))
        expected = without_documentation(full) if original.name.startswith("service-2") else full
        assert json.loads(kept.read_text(encoding="utf-8")) == expected, kept
    stripped = ServiceModel(
        Loader(extra_search_paths=[str(trimmed)], include_default_search_paths=False).load_service_model(
            service, "service-2"
        ),
        service,
    )
    stock = ServiceModel(Loader().load_service_model(service, "service-2"), service)
    assert stripped.operation_names == stock.operation_names
    assert stripped.client_context_parameters == stock.client_context_parameters
    for name in stock.operation_names:  # every shape botocore serialises and parses with
        ours, theirs = stripped.operation_model(name), stock.operation_model(name)
        for side in ("input_shape", "output_shape"):
            if getattr(theirs, side) is not None:
                assert getattr(ours, side).members.keys() == getattr(theirs, side).members.keys()
    assert len(json.dumps(stripped._service_description)) < len(json.dumps(stock._service_description)) / 2
