"""What every table's model shares: the client's settings, one connection, JSON-string attributes."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import Attribute
from pynamodb.connection import Connection, TableConnection
from pynamodb.constants import STRING
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from chalicelib import dynamodb
from chalicelib.config import get_settings

if TYPE_CHECKING:
    from chalicelib.article_body import Body

_settings = get_settings()

_shared_lock = threading.Lock()
_shared_connection: Connection | None = None


class TableMeta:
    """What every model's Meta shares: the client's timeouts and retry budget (config.Settings).

    pynamodb's defaults (15 s connect, 30 s read, 4 attempts) let a hung DynamoDB hold a page for
    minutes, far past the function's timeout; these make it fail fast, and the page answers 503.
    """

    region = _settings.region
    connect_timeout_seconds = _settings.aws_connect_timeout
    read_timeout_seconds = _settings.aws_read_timeout
    max_retry_attempts = _settings.aws_max_attempts - 1  # pynamodb counts retries, botocore attempts


def _index_count(meta: Any) -> int:
    return len(meta.data.get("GlobalSecondaryIndexes") or []) + len(meta.data.get("LocalSecondaryIndexes") or [])


class NewsroomModel(Model):
    """A model whose table shares one botocore client with every other table's (dynamodb.py's).

    pynamodb gives each model its own; each then parses botocore's DynamoDB
    service model again, which tripled the clients' share of a cold start.
    """

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = cls._table_connection()
        table.connection._client = dynamodb.client()  # the container's one client, the raw requests' too
        return table

    @classmethod
    def _table_connection(cls) -> TableConnection:
        global _shared_connection
        if cls._connection is not None and cls._connection.table_name == cls.Meta.table_name:
            return cls._connection
        table = super()._get_connection()  # its own Connection is cheap: clients are made on first use
        table.connection._client = dynamodb.client()  # so a describe for get_meta_table below makes none
        with _shared_lock:
            if _shared_connection is None:
                _shared_connection = table.connection
            elif table.connection is not _shared_connection:
                # Models sharing a table (site settings, topics) know none of its indexes: the table's own
                # model's description wins, whichever model asked first.
                meta, known = table.get_meta_table(), _shared_connection._tables.get(table.table_name)
                if known is None or _index_count(meta) > _index_count(known):
                    _shared_connection._tables[table.table_name] = meta
                table.connection = _shared_connection
        return table

    @classmethod
    def update_unversioned(cls, hash_key: str, actions: list[Action], condition: Condition | None) -> None:
        """UpdateItem on the item `hash_key` if `condition` holds, leaving its VersionAttribute as it is.

        pynamodb's public `Model.update` cannot: "Regardless, the version will
        always be incremented" (its docstring), even with add_version_condition=False.
        So this goes through the table connection; UpdateError if `condition` failed.
        """
        cls._get_connection().update_item(hash_key, actions=actions, condition=condition)


class JSONBody(Attribute["Body"]):
    """An article's blocks (article_body.py's types) as one compact UTF-8 JSON string.

    One string instead of a list of typed maps: botocore and pynamodb then do
    not parse every block on every page view (half the page's CPU, measured in
    bench/), and CJK text takes 3 bytes a character, not the 6 of \\uXXXX escapes.
    Photo blocks carry a `media` snapshot of their photo's record, so an article
    view is one read, not one per photo.
    """

    attr_type = STRING

    def serialize(self, value: Body) -> str:
        from chalicelib.article_body import to_json  # here: functions that never read a body never import it

        return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))

    def deserialize(self, value: str) -> Body:
        from chalicelib.article_body import from_json

        return from_json(json.loads(value))


class JSONDocument(Attribute[dict[str, Any]]):
    """A JSON object as one compact UTF-8 string (as JSONBody): the workflow's records."""

    attr_type = STRING

    def serialize(self, value: dict[str, Any]) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def deserialize(self, value: str) -> dict[str, Any]:
        return dict(json.loads(value))
