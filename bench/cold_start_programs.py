"""The programs bench/cold_start.py runs, each in a fresh interpreter: what it imports, and the JSON line of
times (seconds) it prints."""

from __future__ import annotations

# Child programs; argv[1] is the unpacked package. sys.path: the package, then the standard library.
_PATH = """
import sys, time, json
start, cpu = time.perf_counter(), time.process_time()
sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p and "site-packages" not in p]
"""
BARE = """
import time, json
start, cpu = time.perf_counter(), time.process_time()
import boto3, pynamodb.models, jinja2
print(json.dumps({"import": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""
BARE_CLIENT = """
import time, json
start, cpu = time.perf_counter(), time.process_time()
import boto3, pynamodb.models, jinja2
imported = time.perf_counter()
import botocore.session
botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
clients, cpu = time.perf_counter() - imported, time.process_time() - cpu
print(json.dumps({"import": imported - start, "clients": clients, "cpu": cpu}))
"""
BARE_PACKAGE = (
    _PATH
    + """
import boto3, pynamodb.models, jinja2
print(json.dumps({"import": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""
)
APP = (
    _PATH
    + """
import app
imported = time.perf_counter()
from chalicelib.models import ArticleModel, CategoryModel, CounterModel
made = {id(model._get_connection().connection.client) for model in (ArticleModel, CounterModel, CategoryModel)}
assert len(made) == 1, "the models no longer share one botocore client"
clients, cpu = time.perf_counter(), time.process_time() - cpu
from chalicelib import templating
env = templating.environment()
for name in ["article.html", "base.html"] + [n for n in templating.template_names() if n.startswith("_")]:
    env.get_template(name)
templates = time.perf_counter() - clients
print(json.dumps({"import": imported - start, "clients": clients - imported, "templates": templates, "cpu": cpu}))
"""
)


def _then_one_client(imports: str) -> str:
    """A program that runs `imports` (from the package), then makes one bare botocore DynamoDB client."""
    return (
        _PATH
        + imports
        + """
imported = time.perf_counter()
botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
clients, cpu = time.perf_counter(), time.process_time() - cpu
print(json.dumps({"import": imported - start, "clients": clients - imported, "cpu": cpu}))
"""
    )


# The least any API of this kind imports (issue 28's budget): chalice, jinja2 and botocore with the one DynamoDB
# client a view needs; no pynamodb and none of our code. What the bare imports leave above it is all the room
# pynamodb, our modules and the templates have under the ≤ 1.0× target.
MINIMUM = _then_one_client("import botocore.session, jinja2, chalice")

# The counting function (issue 28): its handler's module as Lambda loads it, and the one client its two requests
# use; its floor is bare botocore and one DynamoDB client, in the same package.
COUNTING = (
    _PATH
    + """
import chalicelib.routes.counting
handler = chalicelib.routes.counting.count_views
imported = time.perf_counter()
from chalicelib import dynamodb
dynamodb.client()  # the one client its GetItem and UpdateItem use (no pynamodb: chalicelib/dynamodb.py)
assert "pynamodb" not in sys.modules, "the counting function loads pynamodb again"
clients, cpu = time.perf_counter(), time.process_time() - cpu
print(json.dumps({"import": imported - start, "clients": clients - imported, "cpu": cpu}))
"""
)
COUNTING_FLOOR = _then_one_client("import botocore.session")
# What a counting function that signed its two requests itself (SigV4 over http.client, no botocore) would
# have to import at least: a lower bound, measured before deciding (issue 28); no such client is written.
HAND_SIGNED = (
    _PATH
    + """
import hashlib, hmac, http.client, json, datetime, ssl
print(json.dumps({"import": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""
)
