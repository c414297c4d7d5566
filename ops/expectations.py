"""What an account holds after `make deploy` of a stage, derived from what the deploy was given.

Sources, each read as the deploy reads it: `.chalice/config.json` (the stage's variables, each function's
memory, timeout and policy file) and the policy files it names, the chalice app itself (its routes,
functions, handlers, schedules and queue), and `infra/resources.json` (alarms, the alert topic). Nothing
is listed by hand: a route added to a blueprint is expected at once. `ops.account_check` compares.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ops import partitions

API_FUNCTION = "api_handler"  # chalice's name for the function serving the routes


@dataclass(frozen=True)
class Function:
    name: str  # as deployed: newsroom-{stage}[-{function}]
    handler: str
    memory: int
    timeout: int
    role: str
    policy: dict[str, Any]  # the role's one inline policy, as the policy file says


@dataclass(frozen=True)
class Expected:
    stage: str
    region: str
    partition: str
    runtime: str
    environment: dict[str, str]
    functions: dict[str, Function]  # chalice's function name (api_handler, process_photos...) -> what it is
    routes: frozenset[tuple[str, str]]  # (path, method) of every route the app defines
    api_stage: str
    schedules: dict[str, str]  # function -> schedule expression
    queue_sources: dict[str, tuple[str, int]]  # function -> (queue name, batch size)
    bucket: str
    upload_prefix: str
    site_origins: tuple[str, ...]
    alarms: frozenset[str]
    alert_topic: str
    alert_email: str
    extra_role_policies: dict[str, dict[str, Any]] = field(default_factory=dict)  # role -> {name: document}


def partition_of(region: str) -> str:
    """The partition a region belongs to, from botocore's partition data (aws, aws-cn, aws-us-gov...)."""
    return partitions.partition(region)


APP_FACTS = """
import json
from app import app
print(json.dumps({
    "routes": sorted([path, method] for path, methods in app.routes.items() for method in methods),
    "handlers": {**{s.name: s.handler_string for s in app.event_sources},
                 **{f.name: f.handler_string for f in app.pure_lambda_functions},
                 **{a.name: a.handler_string for a in app.builtin_auth_handlers}},
    "schedules": {s.name: getattr(s.schedule_expression, "to_string", lambda: s.schedule_expression)()
                  for s in app.event_sources if hasattr(s, "schedule_expression")},
    "queues": {s.name: [s.queue, s.batch_size] for s in app.event_sources if hasattr(s, "queue")},
}))
"""


def app_facts(project: Path, stage: str) -> dict[str, Any]:
    """The chalice app's routes, functions and event sources, imported as Lambda would with the stage's variables."""
    from ops.stages import environment_for_stage

    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env = environment_for_stage(stage, inherited, credentials="expectations", project_dir=project)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # chalice would ship the bytecode with the next deploy
    done = subprocess.run(  # noqa: S603 (this Python on a script of this module's)
        [sys.executable, "-c", APP_FACTS], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"importing the app failed:\n{done.stderr[-3000:]}")
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def expected(root: Path, stage: str, region: str, runtime: str) -> Expected:
    """Everything `make deploy SITE=stage` in the checkout `root` should leave in the account (read from the
    chalice project make generated for the site, build/sites/SITE, or the checkout's own for its stages)."""
    from chalicelib.media_keys import UPLOAD_PREFIX
    from ops.stages import stage_environment

    generated = root / "build" / "sites" / stage
    project = generated if generated.is_dir() else root
    config = json.loads((project / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stage_config = config["stages"][stage]
    environment = stage_environment(stage, project)
    facts = app_facts(project, stage)
    template = json.loads((root / "infra" / "resources.json").read_text(encoding="utf-8"))
    app_name = config["app_name"]
    functions = {}
    for name, settings in stage_config.get("lambda_functions", {}).items():
        policy_file = settings.get("iam_policy_file", stage_config.get("iam_policy_file"))
        policy = json.loads((project / ".chalice" / policy_file).read_text(encoding="utf-8"))
        deployed = f"{app_name}-{stage}" if name == API_FUNCTION else f"{app_name}-{stage}-{name}"
        handler = "app.app" if name == API_FUNCTION else facts["handlers"][name]
        functions[name] = Function(
            deployed,
            handler,
            int(settings["lambda_memory_size"]),
            int(settings["lambda_timeout"]),
            f"{app_name}-{stage}-{name}",
            policy,
        )
    from ops.tracing import POLICY_NAME, permission, tracing

    traced = tracing(stage, project)  # then each role has X-Ray's policy too (ops/tracing.py)
    return Expected(
        extra_role_policies={f.role: {POLICY_NAME: permission()} for f in functions.values()} if traced else {},
        stage=stage,
        region=region,
        partition=partition_of(region),
        runtime=runtime,
        environment=environment,
        functions=functions,
        routes=frozenset((path, method) for path, method in facts["routes"]),
        api_stage=stage_config.get("api_gateway_stage", config.get("api_gateway_stage", "api")),
        schedules=facts["schedules"],
        queue_sources={name: (queue, int(size)) for name, (queue, size) in facts["queues"].items()},
        bucket=environment["MEDIA_BUCKET"],
        upload_prefix=UPLOAD_PREFIX,
        site_origins=tuple(o.strip().rstrip("/") for o in environment.get("SITE_ORIGINS", "*").split(",") if o),
        alarms=frozenset(
            _sub(resource["Properties"]["AlarmName"], stage)
            for resource in template["Resources"].values()
            if resource["Type"] == "AWS::CloudWatch::Alarm" and "Condition" not in resource
        ),
        alert_topic=_sub(template["Resources"]["AlertTopic"]["Properties"]["TopicName"], stage),
        alert_email=environment.get("ALERT_EMAIL", ""),
    )


def _sub(name: Any, stage: str) -> str:
    """A template's name, `Fn::Sub` of the stage or plain."""
    return str(name["Fn::Sub"].replace("${Stage}", stage) if isinstance(name, dict) else name)
