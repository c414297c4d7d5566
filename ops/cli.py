"""Ops commands against any stage: `python -m ops.cli COMMAND --stage STAGE`.

    create-editor USERNAME [--password-stdin] [--role editor|admin]
                                                add an account (password prompted); the first: --role admin
    provision                                   create or update the stage's resources
    configure                                   bucket settings and upload notifications only
                                                (after deploying `make package`'s single stack)
    merge-template OUT                          write infra/ for `chalice package --merge-template`
    enable-batch-failures                       let the photo trigger report partial batch failures
    index-search                                put every published article into the site search index
    seed-site-settings                          upgrade: the stage's site values into the settings item, once
    date-the-trash                              upgrade: revisions and counts of trashed articles go with them
    not-found-page                              after `chalice deploy`: unknown paths get the 404 page
    origin-secret [--rotate]                    a site with a CDN: the secret CloudFront sends the API, put in
                                                SSM once (chalicelib/client_address.py); before `make package`'s deploy
    tracing-permission                          after `chalice deploy`: the roles may send X-Ray traces iff
                                                the stage has "xray": true (ops/tracing.py)
    optimise-package ZIP                        add bytecode, drop unused botocore models
    redrive-photos [--limit N]                  after a fix: dead-lettered photo messages back to the queue
    status                                      alarms in ALARM, dead letters, last deploy, table item counts
    logs [--request-id ID] [--minutes M]        the functions' recent log lines (one request's, given its id)
    import-dedecms --database-url URL --web-root DIR [--dry-run]
                                                import a DedeCMS site (docs/migration-dedecms.md)
    import-page FILE [--category SLUG]          import one saved DedeCMS article page

`--stage SITE` is a site of sites/ (its stage is named after it): its names and region come from its site
file (ops/site.py); AWS credentials from the usual AWS environment. `--stage local` talks to `make run`'s
moto server (NEWSROOM_AWS_PORT, default 4566), named in `.chalice/config.json`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from chalicelib.config import endpoint_url
from ops.stages import use_stage


def enter_stage(stage: str) -> None:
    """Set the stage's variables, as Lambda would, before any model is imported.

    `local` is `make run`'s moto server: AWS_ENDPOINT_URL if set, else 127.0.0.1:NEWSROOM_AWS_PORT.
    """
    if stage == "local":
        endpoint = endpoint_url() or f"http://127.0.0.1:{os.environ.get('NEWSROOM_AWS_PORT', '4566')}"
        use_stage(stage, credentials="local", endpoint=endpoint)
    else:
        use_stage(stage)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="local", help="a site of sites/, or local (the default)")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-editor", help="add an editor account")
    create.add_argument("username")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.add_argument("--role", choices=["admin", "editor"], default="editor", help="admins also manage accounts")
    commands.add_parser("provision", help="create or update the stage's tables, bucket and queues")
    commands.add_parser("configure", help="bucket settings and upload notifications (single-stack deploys)")
    merge = commands.add_parser("merge-template", help="write the resources template to merge into chalice's")
    merge.add_argument("out")
    commands.add_parser("index-search", help="put every published article into the site search index")
    commands.add_parser("seed-site-settings", help="upgrade: the stage's site values into the settings item, once")
    commands.add_parser("date-the-trash", help="upgrade: revisions and counts of trashed articles go with them")
    commands.add_parser("enable-batch-failures", help="after `chalice deploy`: ReportBatchItemFailures on the trigger")
    commands.add_parser("not-found-page", help="after `chalice deploy`: the site's 404 page for unknown paths")
    commands.add_parser("tracing-permission", help="after `chalice deploy`: X-Ray permission iff the stage traces")
    secret = commands.add_parser("origin-secret", help="put the secret CloudFront sends the API in SSM, once")
    secret.add_argument("--rotate", action="store_true", help="replace it (then deploy the stack again)")
    optimise = commands.add_parser("optimise-package", help="precompile a deployment zip for a faster cold start")
    optimise.add_argument("zip", nargs="?", help="default: the zip chalice cached for this code")
    redrive = commands.add_parser("redrive-photos", help="move dead-lettered photo messages back to the queue")
    redrive.add_argument("--limit", type=int, help="move at most this many (default: all)")
    commands.add_parser("status", help="alarms in ALARM, dead letters, last deploy, table item counts")
    tail = commands.add_parser("logs", help="the functions' recent log lines, readably")
    tail.add_argument("--request-id", help="only this request's lines (its answer's X-Request-Id)")
    tail.add_argument("--minutes", type=float, default=15, help="how far back (default: 15)")
    from ops.dedecms.commands import add_commands

    add_commands(commands)
    args = parser.parse_args(argv)
    enter_stage(args.stage)

    from chalicelib.errors import NewsroomError

    try:
        if args.command == "create-editor":
            return _create_editor(args.username, args.password_stdin, args.role)
        if args.command == "merge-template":
            return _merge_template(args.out)
        if args.command == "configure":
            from chalicelib.config import get_settings
            from ops.infra import configure

            configure(get_settings())
            print("configured the bucket and its upload notifications")
            return 0
        if args.command == "optimise-package":
            return _optimise_package(args.zip)
        if args.command == "index-search":
            from ops.migrations import index_search

            print(f"marked {index_search()} published articles for site search: the scheduled fold indexes them")
            return 0
        if args.command == "seed-site-settings":
            from ops.migrations import seed_site_settings

            print("seeded the site settings" if seed_site_settings() else "site settings were there: left as they are")
            return 0
        if args.command == "date-the-trash":
            from ops.migrations import date_the_trash

            print(f"dated the revisions and views of {date_the_trash()} trashed articles to go with them")
            return 0
        if args.command == "origin-secret":
            from chalicelib.config import get_settings
            from ops.front_door import put_origin_secret

            name = put_origin_secret(get_settings(), rotate=args.rotate)
            print(f"{name}: {'set' if name else 'no CDN, no secret'}")
            return 0
        if args.command == "not-found-page":
            return _not_found_page(args.stage)
        if args.command == "tracing-permission":
            from ops.tracing import put_permission, tracing

            changed = put_permission(args.stage)
            print(f"X-Ray {'on' if tracing(args.stage) else 'off'}: {', '.join(changed) or 'no role changed'}")
            return 0
        if args.command in ("import-dedecms", "import-page"):
            from ops.dedecms.commands import run

            return run(args)
        if args.command == "enable-batch-failures":
            return _enable_batch_failures(args.stage)
        if args.command in ("redrive-photos", "status", "logs"):
            return _operations(args)
        return _provision()
    except NewsroomError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2


def _create_editor(username: str, from_stdin: bool, role: str) -> int:
    from chalicelib.accounts import create_editor, valid_role

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    create_editor(username, password, valid_role(role))
    print(f"created {role} {username}")
    return 0


def _provision() -> int:
    from chalicelib.config import get_settings
    from ops.infra import provision

    settings = get_settings()
    if settings.cdn:  # its pages and renditions would point at a distribution make deploy never creates
        print(
            f"error: stage {settings.stage} has CDN=on: its CloudFront distribution is part of `make package`'s "
            "single stack (docs/cdn-and-counting.md); deploy it with `make package`, or set CDN=off and "
            "SITE_URL/MEDIA_BASE_URL for `make deploy`",
            file=sys.stderr,
        )
        return 2
    outputs = provision(settings)
    for key, value in sorted(outputs.items()):
        print(f"{key}: {value}")
    return 0


def _merge_template(out: str) -> int:
    import json
    from pathlib import Path

    from chalicelib.config import get_settings
    from ops.merge import merge_template

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merge_template(get_settings()), indent=2, ensure_ascii=False), encoding="utf-8")
    print(path)
    return 0


def _optimise_package(zip_path: str | None) -> int:
    from pathlib import Path

    from chalicelib.config import PROJECT_DIR
    from ops.lambda_package import cached_package, optimise

    path = Path(zip_path) if zip_path else cached_package(PROJECT_DIR)
    if not path.exists():
        print(f"error: {path} does not exist; run chalice package first", file=sys.stderr)
        return 2
    before, after = optimise(path)
    print(f"{path}: {before / 1048576:.1f} MB -> {after / 1048576:.1f} MB unzipped, with bytecode")
    return 0


def _enable_batch_failures(stage: str) -> int:
    """chalice deploy creates the SQS trigger without ReportBatchItemFailures; turn it on."""
    import boto3

    from chalicelib.config import endpoint_url, get_settings
    from ops.infra import function_names

    client = boto3.client("lambda", region_name=get_settings().region, endpoint_url=endpoint_url())
    function, _ = function_names(stage)["PhotoFunctionName"]
    # By ARN, as chalice created the mapping: moto matches the name given literally, AWS takes either.
    arn = client.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    mappings = client.list_event_source_mappings(FunctionName=arn)["EventSourceMappings"]
    if not mappings:
        print(f"error: {function} has no SQS trigger; run chalice deploy first", file=sys.stderr)
        return 2
    for mapping in mappings:
        if "ReportBatchItemFailures" not in mapping.get("FunctionResponseTypes", []):  # a redeploy keeps it
            client.update_event_source_mapping(UUID=mapping["UUID"], FunctionResponseTypes=["ReportBatchItemFailures"])
        print(f"{function}: partial batch failures reported for {mapping['EventSourceArn']}")
    return 0


def _not_found_page(stage: str) -> int:
    """Put the static 404 page on the API chalice deployed (its id is in .chalice/deployed/STAGE.json)."""
    import json
    from pathlib import Path

    from chalicelib.config import PROJECT_DIR
    from ops.infra import put_not_found_page

    deployed = Path(PROJECT_DIR) / ".chalice" / "deployed" / f"{stage}.json"
    if not deployed.exists():
        print(f"error: {deployed} does not exist; run chalice deploy first", file=sys.stderr)
        return 2
    resources = json.loads(deployed.read_text(encoding="utf-8"))["resources"]
    api = next((r for r in resources if r.get("resource_type") == "rest_api"), None)
    if api is None:
        print(f"error: {deployed} has no rest_api", file=sys.stderr)
        return 2
    config = json.loads((Path(PROJECT_DIR) / ".chalice" / "config.json").read_text(encoding="utf-8"))
    api_stage = config["stages"].get(stage, {}).get("api_gateway_stage", config.get("api_gateway_stage", "api"))
    put_not_found_page(api["rest_api_id"], api_stage)
    print(f"{api['rest_api_id']}: unknown paths answer the 404 page")
    return 0


def _operations(args: argparse.Namespace) -> int:
    """Operations on a running stage (docs/operations.md)."""
    from chalicelib.config import get_settings

    settings = get_settings()
    if args.command == "redrive-photos":
        from ops.redrive import redrive_photos

        print(f"moved {redrive_photos(settings, args.limit)} photo messages back to {settings.photo_queue}")
        return 0
    if args.command == "status":
        from ops.status import stage_status

        status = stage_status(settings)
        print("\n".join(status.lines()))
        return 1 if status.alarms or status.dead_letters else 0
    from ops.log_tail import recent_lines

    for line in recent_lines(settings, args.minutes, args.request_id):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
