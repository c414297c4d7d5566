"""DynamoDB answered in-process by moto, set up as tests/conftest.py does, before `app` is imported.

pynamodb reads table names when `chalicelib.models` is imported, so `configure_environment`
must run first. The chrome cache is kept as long as deployed (30 s) or longer, so a page
view reads only what it reads on a warm Lambda container.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

STAGE = "local"


def configure_environment(chrome_cache_seconds: int = 30) -> None:
    """The local stage's variables and fake credentials; no endpoint override, so moto intercepts."""
    from local.emulator import use_in_process_moto

    use_in_process_moto(STAGE)
    os.environ["CHROME_CACHE_SECONDS"] = str(chrome_cache_seconds)


@contextmanager
def moto_aws() -> Iterator[None]:
    """moto in-process, with its item operations made atomic and the stage provisioned."""
    from moto import mock_aws

    from chalicelib.config import get_settings
    from local.emulator import behave_like_aws
    from ops.infra import provision

    logging.getLogger("moto").setLevel(logging.ERROR)  # moto's CloudFormation skips the bucket policy
    warnings.filterwarnings("ignore", message="Tried to parse AWS::S3::BucketPolicy")
    behave_like_aws()
    with mock_aws():
        provision(get_settings())
        yield
