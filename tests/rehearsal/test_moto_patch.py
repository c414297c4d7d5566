"""The rehearsal's moto server takes chalice's Swagger 2.0 API definitions, and only that server: plain moto
(a server started without the patch, and the tests' own in-process moto) still refuses them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from ops.rehearsal import EndpointSession
from ops.rehearsal_moto import moto_server

SWAGGER = {  # the shape chalice deploys: Swagger 2.0, no info.description, Lambda proxy integrations
    "swagger": "2.0",
    "info": {"version": "1.0", "title": "newsroom"},
    "schemes": ["https"],
    "paths": {
        "/": {"get": {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": {}}},
        "/articles/{article_id}": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
}


def routes(client: object, api_id: str) -> set[tuple[str, str]]:
    items = client.get_resources(restApiId=api_id)["items"]  # type: ignore[attr-defined]
    return {(r["path"], m) for r in items for m in r.get("resourceMethods", {})}


@pytest.fixture(scope="module")
def patched(tmp_path_factory: pytest.TempPathFactory):
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


def test_the_rehearsal_server_imports_and_replaces_swagger_2(patched: str) -> None:
    for region in ("us-east-1", "cn-north-1"):
        client = EndpointSession(patched, region).client("apigateway")
        api = client.import_rest_api(body=json.dumps(SWAGGER).encode())
        assert routes(client, api["id"]) == {("/", "GET"), ("/articles/{article_id}", "GET")}
        changed = {**SWAGGER, "paths": {"/feed.xml": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        client.put_rest_api(restApiId=api["id"], mode="overwrite", body=json.dumps(changed).encode())
        assert routes(client, api["id"]) == {("/feed.xml", "GET")}


def test_moto_without_the_patch_refuses_chalices_definition(tmp_path: Path) -> None:
    """What the patch bridges: in-process moto (these tests') has no patch, and refuses as moto does."""
    from moto.apigateway.models import APIGatewayBackend

    assert not hasattr(APIGatewayBackend.import_rest_api, "__wrapped__")
    client = boto3.client("apigateway", region_name="us-east-1")
    with pytest.raises(ClientError) as refused:
        client.put_rest_api(
            restApiId=client.create_rest_api(name="plain")["id"], mode="overwrite", body=json.dumps(SWAGGER).encode()
        )
    assert refused.value.response["Error"]["Code"] == "BadRequestException"


def test_the_patch_is_applied_by_the_server_module_only() -> None:
    """Importing ops.rehearsal_moto (as the rehearsal's own process does) patches nothing by itself."""
    probe = (
        "import ops.rehearsal_moto\n"
        "from moto.apigateway.models import APIGatewayBackend as B\n"
        "print(hasattr(B.import_rest_api, '__wrapped__'))\n"
        "ops.rehearsal_moto.patch_moto()\n"
        "print(hasattr(B.import_rest_api, '__wrapped__'), hasattr(B.put_rest_api, '__wrapped__'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    assert done.stdout.split() == ["False", "True", "True"]
