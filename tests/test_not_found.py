"""Unknown paths get the site's 404 page: API Gateway's gateway response (deployed) and its template, and the
local stack's dev server."""

from __future__ import annotations

import http.client
import threading

import boto3

from chalicelib.config import get_settings
from ops.infra import NOT_FOUND_RESPONSE_TYPE, not_found_gateway_responses, put_not_found_page
from ops.merge import merge_template
from ops.site import load


def test_the_merged_template_puts_the_404_page_in_the_apis_definition():
    api = merge_template(get_settings(), load("example-global"))["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    response = api["x-amazon-apigateway-gateway-responses"][NOT_FOUND_RESPONSE_TYPE]
    assert response["statusCode"] == 404
    headers = response["responseParameters"]
    assert headers["gatewayresponse.header.Content-Type"] == "'text/html; charset=utf-8'"
    assert headers["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"
    assert all(v.count("'") == 2 and v.startswith("'") and v.endswith("'") for v in headers.values())
    body = response["responseTemplates"]["text/html"]
    assert body == response["responseTemplates"]["application/json"]
    # Velocity leaves an unparsed block alone: the CSS colours' # and any $ go out as they are.
    assert body.startswith("#[[<!DOCTYPE html>") and body.endswith("</html>]]#") and body.count("]]#") == 1
    assert "页面未找到" in body and "#0b3d73" in body


def test_after_chalice_deploy_the_404_page_is_put_on_the_api():
    client = boto3.client("apigateway")
    api = client.create_rest_api(name="newsroom")["id"]  # what chalice deploy made: one route will do
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    put_not_found_page(api, "api")
    stored = client.get_gateway_response(restApiId=api, responseType=NOT_FOUND_RESPONSE_TYPE)
    expected = not_found_gateway_responses()[NOT_FOUND_RESPONSE_TYPE]
    assert stored["statusCode"] == "404"
    assert stored["responseTemplates"] == expected["responseTemplates"]
    assert stored["responseParameters"] == expected["responseParameters"]
    assert [d["id"] for d in client.get_deployments(restApiId=api)["items"]]  # and the stage deployed again


def test_the_local_stack_answers_an_unknown_path_with_the_404_page_and_a_head_with_its_headers_alone(client):
    """`make run`'s dev server (local/stack.py), in this process: the page as the app renders it for any unknown
    path, never cached; a HEAD (a monitor's, a crawler's) the same status and headers without the page."""
    import app as project
    from local.stack import create_dev_server

    chalice_class = project.app.__class__  # chalice's local server subclasses the app in place: undone below
    server = create_dev_server(0).server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answers = {}
        for method in ("GET", "HEAD"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
            connection.request(method, "/no/such/path")
            response = connection.getresponse()
            answers[method] = (response.status, dict(response.getheaders()), response.read())
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
        project.app.__class__ = chalice_class  # so a second server in this process may subclass it again
    (status, headers, body), (head_status, head_headers, _) = answers["GET"], answers["HEAD"]
    assert status == head_status == 404
    assert body == client.http.get("/news/no-such-category").body  # the site's 404 page, in full
    assert headers["Content-Type"] == "text/html; charset=utf-8" and headers["Cache-Control"] == "no-store"
    assert head_headers["Content-Length"] == "0"  # no page follows
    same = ("Content-Type", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options")
    assert {name: head_headers[name] for name in same} == {name: headers[name] for name in same}
