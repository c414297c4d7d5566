"""The models share one botocore client: one service model parsed per container, not five."""

import json
import time

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from chalicelib import dynamodb
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, CategoryModel, CounterModel, EditorModel, PhotoModel
from tests.api_helpers import call
from tests.test_schema import MODELS as TABLE_MODELS
from tests.test_schema import SHARING

MODELS = (ArticleModel, CategoryModel, CounterModel, PhotoModel, EditorModel)


def test_every_table_goes_through_one_client():
    clients = {id(model._get_connection().connection.client) for model in MODELS}
    assert clients == {id(dynamodb.client())}  # the raw requests' (an article view's, the counting function's)


def test_each_table_keeps_its_own_name():
    settings = get_settings()
    names = {model.__name__: model._get_connection().table_name for model in MODELS}
    assert names == {
        "ArticleModel": settings.tables["articles"],
        "CategoryModel": settings.tables["categories"],
        "CounterModel": settings.tables["counters"],
        "PhotoModel": settings.tables["photos"],
        "EditorModel": settings.tables["editors"],
    }
    assert len(set(names.values())) == 5  # the stage names five different tables


@pytest.fixture
def new_container(monkeypatch):
    """The shared client as a new container makes it on first use (the suite's is made once a process)."""
    monkeypatch.setattr(dynamodb, "_client", None)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # botocore's backoff between attempts
    return dynamodb.client


def answering(sent: list[str], status: int, body: dict):
    """A `before-send` handler: DynamoDB's answer `body` to every request, each one's URL added to `sent`."""

    class Raw:
        def stream(self, **_: object):
            yield json.dumps(body).encode()

    def answer(request, **_: object) -> AWSResponse:
        sent.append(request.url)
        return AWSResponse(request.url, status, {"Content-Type": "application/x-amz-json-1.0"}, Raw())

    return answer


THROTTLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "message": "The level of configured provisioned throughput for the table was exceeded.",
}


def an_article(article_id: str, title: str) -> dict:
    boto3.client("dynamodb").put_item(
        TableName=get_settings().tables["articles"], Item={"id": {"S": article_id}, "title": {"S": title}}
    )
    return {"id": {"S": article_id}}


def test_a_new_containers_client_reads_the_stages_tables_with_the_settings_timeouts(new_container):
    settings = get_settings()
    made = new_container()
    assert made is dynamodb.client()  # made once, then kept
    assert made.meta.service_model.service_name == "dynamodb" and made.meta.region_name == settings.region
    config = made.meta.config
    # A DynamoDB that does not answer fails the request in time (tests/faults/test_hung_database.py runs it).
    assert (config.connect_timeout, config.read_timeout) == (settings.aws_connect_timeout, settings.aws_read_timeout)
    assert config.max_pool_connections == dynamodb.MAX_POOL_CONNECTIONS  # what urllib3's pool is made with
    answer = made.get_item(TableName=settings.tables["articles"], Key=an_article("made", "新容器"))
    assert answer["Item"]["title"] == {"S": "新容器"}


def test_a_new_container_makes_one_client_and_one_connection_for_every_model(new_container, monkeypatch):
    """What model_base promises a cold start: botocore's DynamoDB client made once, one connection for all tables
    (those that share a table, site settings and topics, too)."""
    from botocore.client import ClientCreator

    from chalicelib import model_base

    made, real = [], ClientCreator.create_client

    def counted(self, service_name, *args, **kwargs):
        made.append(service_name)
        return real(self, service_name, *args, **kwargs)

    monkeypatch.setattr(ClientCreator, "create_client", counted)
    monkeypatch.setattr(model_base, "_shared_connection", None)
    models = [*TABLE_MODELS, *SHARING]
    for model in models:
        monkeypatch.setattr(model, "_connection", None)
    tables = [model._get_connection() for model in models]
    assert len(models) >= 11 and made == ["dynamodb"]
    assert len({id(table.connection) for table in tables}) == 1


def test_a_client_that_lost_its_credentials_is_made_again(new_container):
    """As pynamodb does: botocore keeps an empty set of credentials for good once it has lost them (an expired
    role session), so the container makes itself a new client rather than sign nothing for ever."""
    made = new_container()
    made._request_signer._credentials = None
    again = dynamodb.client()
    assert again is not made and again._request_signer._credentials
    assert dynamodb.client() is again  # then kept
    answer = again.get_item(TableName=get_settings().tables["articles"], Key=an_article("again", "重建"))
    assert answer["Item"]["title"] == {"S": "重建"}


def test_a_new_containers_client_uses_the_stages_region_whatever_the_shells_default(new_container, monkeypatch):
    """Ops commands run in a shell whose profile may name another region: the stage's tables are in its own."""
    key = an_article("here", "本区")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    answer = new_container().get_item(TableName=get_settings().tables["articles"], Key=key)
    assert answer["Item"]["title"] == {"S": "本区"}


def test_a_throttled_request_is_tried_the_settings_number_of_times_then_fails(new_container):
    made, sent = new_container(), []
    made.meta.events.register_first("before-send.dynamodb.GetItem", answering(sent, 400, THROTTLED))
    with pytest.raises(ClientError) as raised:
        made.get_item(TableName=get_settings().tables["articles"], Key={"id": {"S": "busy"}})
    assert raised.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert len(sent) == get_settings().aws_max_attempts  # standard mode: the budget counts every attempt


def test_a_new_containers_client_leaves_checking_requests_to_dynamodb_as_pynamodbs_does(new_container):
    """botocore's own check of every request's parameters is CPU a Lambda pays for on each call: it is off."""
    made, sent = new_container(), []
    made.meta.events.register_first("before-send.dynamodb.Scan", answering(sent, 200, {"Items": [], "Count": 0}))
    answer = made.scan(TableName=get_settings().tables["articles"], Limit=0)  # botocore's check: Limit >= 1
    assert answer["Items"] == [] and len(sent) == 1


def test_json_records_are_stored_as_compact_utf8_strings(client, auth):
    """A revision's text is one JSON string: without the spaces json.dumps puts after , and :, and with Chinese
    as itself (one to three bytes, not a six-byte escape), so more of an article fits DynamoDB's 400 KB."""
    created = call(client, "POST", "/api/articles", {"title": "年会通知", "category": "industry"}, auth).json
    table = boto3.client("dynamodb")
    items = table.query(
        TableName=get_settings().tables["workflow"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"rev#{created['id']}"}},
    )["Items"]
    raw = items[0]["data"]["S"]
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":"))
    assert '"title":"年会通知"' in raw
