"""A region's partition, DNS suffix and service principals, from botocore's partition data: never literals.

`aws` (us-east-1, ap-east-1, ...) and `aws-cn` (cn-north-1 Beijing, cn-northwest-1 Ningxia) differ in their
ARNs (`arn:PARTITION:...`) and host names (the `.cn` suffix in China).
Templates use `${AWS::Partition}` and `${AWS::URLSuffix}`; what ops renders before CloudFormation runs
(the functions' policies, the stage's URLs) asks this module.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session
from botocore.loaders import create_loader


@functools.lru_cache(maxsize=1)
def _session() -> Any:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=1)
def _partitions() -> dict[str, dict[str, Any]]:
    return {p["partition"]: p for p in create_loader().load_data("endpoints")["partitions"]}


def partition(region: str) -> str:
    """`aws`, `aws-cn`, ...: the partition botocore places the region in."""
    name: str = _session().get_partition_for_region(region)
    return name


def known_region(region: str) -> bool:
    """Whether botocore lists the region (a typo would otherwise fall into the `aws` partition)."""
    return any(region in p.get("regions", {}) for p in _partitions().values())


def dns_suffix(region: str) -> str:
    """The host name suffix of the region's partition (botocore's `dnsSuffix`: China's ends in `.cn`)."""
    suffix: str = _partitions()[partition(region)]["dnsSuffix"]
    return suffix


def service_principal(service: str, region: str) -> str:
    """The IAM service principal of `service` (`s3`, `cloudfront`, `lambda`) in the region, as chalice (ported
    from aws-cdk's region-info) computes it: most principals keep the `aws` partition's name in every partition."""
    from chalice.awsclient import TypedAWSClient

    return TypedAWSClient.service_principal(None, service, region, dns_suffix(region))  # type: ignore[arg-type]


def arn(region: str, service: str, resource: str, *, account: str = "", in_region: bool = True) -> str:
    """An ARN in the region's partition; S3's (`in_region=False`, no account) name no region."""
    return f"arn:{partition(region)}:{service}:{region if in_region else ''}:{account}:{resource}"
