"""A stage's environment off Lambda (the local stack, the CLI, tests, benchmarks): read from the repository's
`.chalice/config.json` and `sites/`, and made this process's before the models are imported. Never in the zip."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from chalicelib.config import PROJECT_DIR


def stage_environment(stage: str, project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """A stage's environment variables as Lambda gets them: the `local` stage's from `.chalice/config.json`, a
    site's (its stage is named after it) as ops/site.py generates them from `sites/<site>.json`."""
    config = json.loads((project_dir / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stages = config.get("stages", {})
    if stage not in stages and (project_dir / "sites" / f"{stage}.json").exists():
        from ops.site import environment, load  # off Lambda only: ops never ships (tests/deploy)

        return environment(load(stage, project_dir / "sites"))
    if stage not in stages:
        raise KeyError(f"no stage {stage!r} in .chalice/config.json and no sites/{stage}.json")
    env: dict[str, str] = dict(config.get("environment_variables", {}))
    env.update(stages[stage].get("environment_variables", {}))
    return env


def environment_for_stage(
    stage: str,
    inherited: Mapping[str, str],
    *,
    credentials: str | None = None,
    endpoint: str | None = None,
    token_secret: str | None = None,
    project_dir: Path = PROJECT_DIR,
) -> dict[str, str]:
    """The environment a stage's code runs with off Lambda: local stack, CLI, tests, benchmarks.

    `inherited`, then the stage's variables (a site's region too), then the explicit overrides: `credentials`
    replaces every inherited AWS_ variable (identity, profile, endpoint) with fake keys of that name (in
    us-east-1 unless a site says otherwise), for moto; `endpoint` sends AWS calls there and serves media
    from the bucket's path on it; `token_secret` signs editors' tokens in place of the SSM parameter.
    """
    env = dict(inherited)
    if credentials is not None:
        env = {name: value for name, value in env.items() if not name.startswith("AWS_")}
        env.update(
            AWS_ACCESS_KEY_ID=credentials,
            AWS_SECRET_ACCESS_KEY=credentials,
            AWS_SESSION_TOKEN=credentials,
            AWS_REGION="us-east-1",
            AWS_DEFAULT_REGION="us-east-1",
        )
    variables = stage_environment(stage, project_dir)
    env.update(variables)
    site_file = project_dir / "sites" / f"{stage}.json"
    if site_file.exists():  # a site's AWS calls go to its region (Lambda sets AWS_REGION itself)
        region = json.loads(site_file.read_text(encoding="utf-8"))["region"]
        env.update(AWS_REGION=region, AWS_DEFAULT_REGION=region)
    if endpoint is not None:
        env.update(AWS_ENDPOINT_URL=endpoint, MEDIA_BASE_URL=f"{endpoint.rstrip('/')}/{variables['MEDIA_BUCKET']}")
    if token_secret is not None:
        env["TOKEN_SECRET"] = token_secret
    return env


def use_stage(
    stage: str, *, credentials: str | None = None, endpoint: str | None = None, token_secret: str | None = None
) -> None:
    """Make this process's environment the stage's (`environment_for_stage`), before models are imported."""
    env = environment_for_stage(
        stage, os.environ, credentials=credentials, endpoint=endpoint, token_secret=token_secret
    )
    for name in set(os.environ) - set(env):
        del os.environ[name]
    os.environ.update(env)
