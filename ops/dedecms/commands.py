"""The CLI's `import-dedecms` and `import-page`: their options and their runs (ops/cli.py adds them).

The help texts are wording, not behaviour, so mutation testing leaves them alone (`# pragma: no mutate`);
docs/migration-dedecms.md is where the options are explained, and tests pin it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def add_commands(commands: argparse._SubParsersAction) -> None:
    _site_options(
        commands.add_parser(
            "import-dedecms",
            help="import a DedeCMS site: its database and uploads/",  # pragma: no mutate (wording)
        )
    )
    _page_options(
        commands.add_parser(
            "import-page",
            help="import one saved DedeCMS article page (HTML file and its images)",  # pragma: no mutate (wording)
        )
    )


def _site_options(site: argparse.ArgumentParser) -> None:
    site.add_argument(
        "--database-url",
        help="mysql://user:password@host:3306/database",  # pragma: no mutate (wording)
    )
    site.add_argument("--host", default="127.0.0.1")
    site.add_argument("--port", type=int, default=3306)
    site.add_argument("--user", default="root")
    site.add_argument(
        "--database",
        help="the DedeCMS database (without --database-url)",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin (else prompted)",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--prefix",
        default="dede_",
        help="table prefix (default: dede_)",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--web-root",
        type=Path,
        help="the old site's folder holding uploads/",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--cmspath",
        default="",
        help="what {cmspath} stands for in channel folders (default: empty)",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--site-host",
        action="append",
        default=[],
        help="the old site's host (its images: local)",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--stored-as",
        help="the charset of text stored in latin1 tables (usually gbk)",  # pragma: no mutate (wording)
    )
    site.add_argument(
        "--timezone",
        help="the old server's time zone (default: the site's, SITE_TIMEZONE)",  # pragma: no mutate (wording)
    )
    _shared_options(site)


def _page_options(page: argparse.ArgumentParser) -> None:
    page.add_argument(
        "file",
        help="the saved page (its images in the folder beside it), or its URL",  # pragma: no mutate (wording)
    )
    page.add_argument(
        "--category",
        help="the category's slug (default: from the breadcrumb)",  # pragma: no mutate (wording)
    )
    _shared_options(page)


def _shared_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--remote-images",
        action="store_true",
        help="also download images from other sites",  # pragma: no mutate (wording)
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="write nothing; print what would happen",  # pragma: no mutate (wording)
    )


def run(args: argparse.Namespace) -> int:
    if args.command == "import-page":
        return _import_page(args)
    return _import_dedecms(args)


def _import_dedecms(args: argparse.Namespace) -> int:
    from chalicelib.config import get_settings
    from ops.dedecms.images import Images
    from ops.dedecms.importer import Options, import_site
    from ops.dedecms.source import Connection, Source

    if args.database_url:
        connection = Connection.from_url(args.database_url, prefix=args.prefix, stored_as=args.stored_as)
    elif args.database:
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Database password: ")
        connection = Connection(
            host=args.host,
            port=args.port,
            user=args.user,
            password=password,
            database=args.database,
            prefix=args.prefix,
            stored_as=args.stored_as,
        )
    else:
        print("error: give --database-url or --database", file=sys.stderr)
        return 2
    settings = get_settings()
    source = Source(connection)
    try:
        hosts = tuple(args.site_host)
        images = Images(args.web_root, hosts, args.remote_images, args.dry_run, settings.max_upload_bytes)
        options = Options(
            cmspath=args.cmspath,
            timezone=args.timezone or settings.site_timezone,
            dry_run=args.dry_run,
            base_url=f"http://{hosts[0]}/" if hosts else None,  # relative links in bodies point there
        )
        report = import_site(source, images, options, progress=sys.stderr)
    finally:
        source.close()
    print("\n".join(report.lines()))
    return 0


def _import_page(args: argparse.Namespace) -> int:
    from chalicelib.fetching import FetchFailed, FetchRefused
    from ops.dedecms.pages import import_page

    try:
        report = import_page(args.file, args.category, args.remote_images, args.dry_run)
    except (FetchRefused, FetchFailed) as problem:
        print(f"error: {problem.message}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0 if report.created or report.updated or report.unchanged else 1
