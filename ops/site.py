"""One site, one file: `sites/<site>.json`, and everything a deploy needs generated from it.

    python -m ops.site generate SITE    write build/sites/SITE/, a chalice project for the site (prints its path)
    python -m ops.site show SITE        the site's generated names and settings, as JSON

The site file holds the site's identity and choices (docs/deploy.md): its id, AWS account and region (the
partition follows from the region, by botocore's data), profile (`global` or `china`), domains, certificate,
ICP number, alert e-mail, and `cdn: false` to go without CloudFront. Everything else is generated: the stage's
environment, the resource names (each with the site id; the bucket's also with the account and region, so it
is unique without guessing), the functions' IAM policies (infra/policies/, rendered in the region's partition)
and the CloudFormation template merged into chalice's (ops/infra.py).

build/sites/SITE/ links app.py, chalicelib/, vendor/ and requirements.txt from the checkout, and holds the
generated `.chalice/config.json` (one stage, named after the site), `.chalice/policy-*.json` and `merge.json`.
Its `.chalice/deployed` and `.chalice/deployments` are links to the checkout's own: chalice's record of what
it deployed stays in `.chalice/deployed/SITE.json`, where `make clean` or a new build never removes it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from chalicelib.config import PROJECT_DIR, table_variable
from ops.site_file import FUNCTIONS, SiteError, SiteSpec, load

__all__ = ["FUNCTIONS", "SiteError", "SiteSpec", "chalice_config", "environment", "generate", "load", "policy"]

BUILD_DIR = PROJECT_DIR / "build" / "sites"
POLICIES_DIR = PROJECT_DIR / "infra" / "policies"
LINKED = ("app.py", "chalicelib", "vendor", "requirements.txt")


def environment(spec: SiteSpec) -> dict[str, str]:
    """The functions' environment variables (chalicelib/config.py reads them)."""
    env = {
        "NEWSROOM_STAGE": spec.site,
        **{table_variable(kind): name for kind, name in spec.tables.items()},
        "MEDIA_BUCKET": spec.bucket,
        "PHOTO_QUEUE": spec.queue,
        "MEDIA_BASE_URL": spec.media_base_url,
        "SITE_URL": spec.site_url,
        "SITE_ORIGINS": ",".join(f"https://{domain}" for domain in spec.domains),
        "TOKEN_SECRET_PARAMETER": spec.token_secret_parameter,
        "ALERT_EMAIL": spec.alert_email,
        "REVIEW_TOPIC_ARN": spec.review_topic_arn,
        "CDN": "on" if spec.cdn else "off",
        "COUNT_MODE": "server" if spec.counting == "page" else "beacon",
        "VIEWS_DOOR": spec.counting,
        # Behind CloudFront the client is the address it appended to X-Forwarded-For (chalicelib/client_address.py)
        "TRUSTED_PROXY_HOPS": "1" if spec.cdn else "0",
    }
    if spec.cdn:
        env["ORIGIN_SECRET_PARAMETER"] = spec.origin_secret_parameter
    if spec.icp:
        env["SITE_ICP_FILING"] = spec.icp
    return {**spec.content, **env}


def policy(spec: SiteSpec, name: str) -> dict[str, Any]:
    """infra/policies/NAME.json for the site: its partition, region, account and names."""
    values = {
        "Partition": spec.partition,
        "Region": spec.region,
        "Account": spec.account,
        "Prefix": spec.prefix,
        "Bucket": spec.bucket,
        "Site": spec.site,
    }
    text = (POLICIES_DIR / f"{name}.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], text))
    if not spec.cdn:  # no front door: no origin secret to read
        document["Statement"] = [s for s in document["Statement"] if s.get("Sid") != "FrontDoorSecret"]
    return document


def chalice_config(spec: SiteSpec) -> dict[str, Any]:
    """The generated .chalice/config.json: one stage, named after the site."""
    stage = {
        "api_gateway_stage": "api",
        # Behind the site's own CloudFront, or on its own custom domain: never edge-optimized (and China has no EDGE)
        "api_gateway_endpoint_type": "REGIONAL",
        "environment_variables": environment(spec),
        "autogen_policy": False,
        "iam_policy_file": "policy-api.json",
        "xray": spec.xray,
        "lambda_functions": {
            function: {
                "lambda_memory_size": memory,
                "lambda_timeout": timeout,
                "iam_policy_file": f"policy-{name}.json",
                **({"reserved_concurrency": 1} if function == "fold_search" else {}),  # search's one writer
            }
            for name, (function, memory, timeout) in spec.functions.items()
        },
    }
    return {"version": "2.0", "app_name": "newsroom", "minimum_compression_size": 1024, "stages": {spec.site: stage}}


def generate(spec: SiteSpec, root: Path = PROJECT_DIR, build_dir: Path = BUILD_DIR) -> Path:
    """build/sites/SITE/: the links to the code, the stage config and the policies (the merge template: `main`)."""
    project = build_dir / spec.site
    chalice_dir = project / ".chalice"
    chalice_dir.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        _link(project / name, root / name)
    for name in ("deployed", "deployments"):  # chalice's state and zip cache: the checkout's, shared by the sites
        (root / ".chalice" / name).mkdir(parents=True, exist_ok=True)
        _link(chalice_dir / name, root / ".chalice" / name)
    for old in chalice_dir.glob("policy-*.json"):
        old.unlink()
    for name in spec.functions:
        _write_json(chalice_dir / f"policy-{name}.json", policy(spec, name))
    _write_json(chalice_dir / "config.json", chalice_config(spec))
    return project


def _link(path: Path, target: Path) -> None:
    if path.is_symlink() and path.resolve() == target.resolve():
        return
    if path.is_symlink() or path.exists():
        path.unlink()
    path.symlink_to(target.resolve(), target_is_directory=target.is_dir())


def _write_json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ops.site", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["generate", "show"])
    parser.add_argument("site")
    args = parser.parse_args(argv)
    try:
        spec = load(args.site)
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "show":
        names = {"stack": spec.stack_name, "bucket": spec.bucket, "queue": spec.queue, "tables": spec.tables}
        shown = {"partition": spec.partition, "counting": spec.counting, **names, "environment": environment(spec)}
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return 0
    project = generate(spec)
    from ops.stages import use_stage

    use_stage(spec.site)  # the merge template renders the site's 404 page
    from chalicelib.config import get_settings
    from ops.merge import merge_template

    _write_json(project / "merge.json", merge_template(get_settings(), spec))
    print(project)
    return 0


if __name__ == "__main__":
    sys.exit(main())
