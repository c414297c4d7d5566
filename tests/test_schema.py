"""models.py defines the tables; infra/resources.json must create exactly those tables.

pynamodb's schema for each model (what `Model.create_table` would send) is compared with
the CloudFormation table of the same name: keys, key attribute types, global and local
secondary indexes with their keys and projections. Either side drifting fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from pynamodb.models import Model

from chalicelib import models
from chalicelib.config import TABLES, get_settings
from ops.infra import load_template, parameter_values, resolve

MODELS = [
    value
    for value in vars(models).values()
    if isinstance(value, type) and issubclass(value, Model) and value.__module__ == models.__name__
    if getattr(getattr(value, "Meta", None), "table_name", None)
    if not getattr(value.Meta, "shares_table", False)
]
SHARING = [value for value in vars(models).values() if getattr(getattr(value, "Meta", None), "shares_table", False)]


def cloudformation_tables() -> dict[str, dict[str, Any]]:
    """Table name (this stage's) -> the properties infra/resources.json gives it."""
    resources = resolve(load_template()["Resources"], parameter_values(get_settings()))
    return {
        resource["Properties"]["TableName"]: resource["Properties"]
        for resource in resources.values()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }


def _keys(key_schema: list[dict[str, str]]) -> dict[str, str]:
    return {key["KeyType"]: key["AttributeName"] for key in key_schema}


def _projection(projection: dict[str, Any]) -> tuple[str, list[str]]:
    return projection["ProjectionType"], sorted(projection.get("NonKeyAttributes", []))


def _schema(table: Mapping[str, Any], key: Callable[[str], str], index_name: str) -> dict[str, Any]:
    """Keys, key attribute types and indexes of a table, from botocore-style (`KeySchema`) or
    pynamodb-style (`key_schema`) names; `key` maps a botocore name to the one used in `table`."""
    keys = _keys(table[key("KeySchema")])
    indexes: dict[str, Any] = {}
    for kind in ("Global", "Local"):
        for index in table.get(key(f"{kind}SecondaryIndexes"), []):
            index_keys = _keys(index[key("KeySchema")])
            projection_type, projected = _projection(index[key("Projection")])
            # Table and index keys are always projected: naming them too changes nothing.
            always = set(keys.values()) | set(index_keys.values())
            projection = (projection_type, [name for name in projected if name not in always])
            indexes[index[index_name]] = {"kind": kind, "keys": index_keys, "projection": projection}
    return {
        "keys": keys,
        "attributes": {a["AttributeName"]: a["AttributeType"] for a in table[key("AttributeDefinitions")]},
        "indexes": indexes,
    }


def model_schema(model: type[Model]) -> dict[str, Any]:
    """What pynamodb would create for the model (`Model.create_table` sends this schema)."""
    snake = {
        "KeySchema": "key_schema",
        "GlobalSecondaryIndexes": "global_secondary_indexes",
        "LocalSecondaryIndexes": "local_secondary_indexes",
        "Projection": "projection",
        "AttributeDefinitions": "attribute_definitions",
    }
    return _schema(model._get_schema(), snake.__getitem__, "index_name")


def cloudformation_schema(table: dict[str, Any]) -> dict[str, Any]:
    return _schema(table, lambda name: name, "IndexName")


def test_every_table_is_modelled_once_and_created_by_the_template():
    modelled = sorted(model.Meta.table_name for model in MODELS)
    assert len(modelled) == len(set(modelled)) == len(TABLES)
    assert modelled == sorted(get_settings().tables.values())
    assert modelled == sorted(cloudformation_tables())


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_template_creates_the_table_the_model_describes(model):
    table = cloudformation_tables()[model.Meta.table_name]
    assert cloudformation_schema(table) == model_schema(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_indexes_project_only_attributes_the_model_has(model):
    attributes = set(model.get_attributes())
    schema = model_schema(model)
    for name, index in schema["indexes"].items():
        assert set(index["projection"][1]) <= attributes, (name, set(index["projection"][1]) - attributes)


@pytest.mark.parametrize("model", SHARING, ids=lambda model: model.__name__)
def test_a_model_sharing_a_table_has_its_keys(model):
    table = cloudformation_schema(cloudformation_tables()[model.Meta.table_name])
    assert model_schema(model)["keys"] == table["keys"]
