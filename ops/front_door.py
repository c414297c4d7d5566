"""The front door's secret (chalicelib/client_address.py): CloudFront sends it to the API in X-Newsroom-Origin,
CloudFormation resolves it from SSM into the distribution (ops/merge.py), and the API reads it from SSM too. It is
generated here, never written in the repo: `python -m ops.cli --stage SITE origin-secret` before the stack's deploy.
"""

from __future__ import annotations

import secrets
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import Settings, endpoint_url


def put_origin_secret(settings: Settings, session: Any = None, *, rotate: bool = False) -> str | None:
    """The front door's secret in SSM (a String: CloudFormation resolves only those in CloudFront's headers), 48
    random URL-safe characters; kept if there unless `rotate`. Returns its parameter, None for a site without CDN."""
    name = settings.origin_secret_parameter
    if not name:
        return None
    ssm = (session or boto3.session.Session(region_name=settings.region)).client("ssm", endpoint_url=endpoint_url())
    try:
        ssm.put_parameter(Name=name, Value=secrets.token_urlsafe(36), Type="String", Overwrite=rotate)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ParameterAlreadyExists":
            raise
    return name
