"""`make run`: the whole of Newsroom on this machine, in one process.

moto's server stands in for AWS on 127.0.0.1; the app's resources are
provisioned by the same code as a real stage; the real Chalice app is served
with `chalice local` semantics. Data lives under NEWSROOM_DATA_DIR (default
.localdata/): every DynamoDB item write and S3 object write is journaled and
fsynced before it is acknowledged (local/journal.py), and compacted into a
snapshot every few seconds and on shutdown (local/snapshot.py).

Signals only note themselves and wake the main thread (through a pipe, Python's
wakeup fd): a handler never takes a lock, so Ctrl-C, SIGTERM, or both twice
(make forwards its own) cannot deadlock the shutdown, which stops accepting
requests before the final compaction.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import select
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
STAGE = "local"
AUTOSAVE_SECONDS = 15
LISTEN_BACKLOG = 128  # connections waiting to be accepted, as a load balancer in front would allow
FOLD_SECONDS = 2  # the search index's scheduled fold (every minute deployed): a new article is found this soon

log = logging.getLogger(__name__)


def configure_environment(aws_port: int, port: int = 8000) -> None:
    """The local stage's variables from .chalice/config.json, pointed at moto's port and the site's; the
    site's origins on `port` join SITE_ORIGINS, so the media bucket's CORS lets its browsers upload."""
    from ops.stages import use_stage

    # moto accepts any credentials; these never leave the machine. A fresh signing secret
    # per start (unless TOKEN_SECRET is given): tokens end with the process, never in the repo.
    use_stage(
        STAGE,
        credentials="local",
        endpoint=f"http://127.0.0.1:{aws_port}",
        token_secret=os.environ.get("TOKEN_SECRET") or secrets.token_urlsafe(32),
    )
    origins = [o for o in os.environ.get("SITE_ORIGINS", "").split(",") if o]
    for host in ("127.0.0.1", "localhost"):
        if f"http://{host}:{port}" not in origins:
            origins.append(f"http://{host}:{port}")
    os.environ["SITE_ORIGINS"] = ",".join(origins)
    os.environ["LOG_FORMAT"] = os.environ.get("LOG_FORMAT") or "human"  # "json" shows the lines Lambda writes
    os.environ["SITE_URL"] = f"http://127.0.0.1:{port}"  # absolute links (feeds, sitemap) name this port


class StopSignals:
    """SIGINT and SIGTERM, however many, become one request to stop that the main thread waits for.

    The handler only appends to a list (no lock is taken: the main thread may hold any lock when a
    signal arrives); Python's wakeup fd writes to a pipe, so `wait` returns at once.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self._read, write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(write, False)
        signal.set_wakeup_fd(write)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._note)

    def _note(self, signum: int, _frame: object) -> None:
        self.received.append(signum)

    def wait(self, timeout: float) -> bool:
        """True once a stop was asked for; otherwise after `timeout` seconds, False."""
        if not self.received:
            select.select([self._read], [], [], timeout)
            try:
                while os.read(self._read, 512):
                    pass
            except BlockingIOError:
                pass
        return bool(self.received)


def main() -> int:
    from chalicelib.logs import configure

    configure(human=True)  # the structured lines, readably; the app keeps this (LOG_FORMAT, below)
    signals = StopSignals()  # first: a stop asked for during start-up is honoured once started
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    aws_port = int(os.environ.get("NEWSROOM_AWS_PORT", "4566"))
    port = int(os.environ.get("NEWSROOM_PORT", "8000"))
    data_dir = Path(os.environ.get("NEWSROOM_DATA_DIR", PROJECT_DIR / ".localdata"))
    configure_environment(aws_port, port)

    from moto.server import ThreadedMotoServer

    from local.emulator import attach_journal, behave_like_aws

    behave_like_aws()

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=aws_port, verbose=False)
    moto.start()

    import boto3

    from chalicelib.config import get_settings
    from local import demo, snapshot
    from local.journal import Journal
    from ops.infra import provision

    settings = get_settings()
    provision(settings)
    dynamodb = boto3.client("dynamodb", region_name=settings.region)
    s3 = boto3.client("s3", region_name=settings.region)
    server = create_dev_server(port)  # imports the app, as chalice local does
    worker = start_photo_worker(settings)
    from chalicelib.routes.schedules import fold_search
    from local.worker import ScheduleWorker

    folds = ScheduleWorker("fold_search", fold_search, FOLD_SECONDS)
    if snapshot.exists(data_dir):
        replayed = snapshot.restore(data_dir, settings, dynamodb, s3)
        log.info("restored local data from %s (%d journaled writes replayed)", data_dir, replayed)
    journal = Journal(snapshot.journal_folder(data_dir))
    attach_journal(journal)  # from here on, every write is on disk before it is acknowledged
    if not snapshot.exists(data_dir):
        photo_ids = demo.load_demo()
        log.info("loaded demo content; waiting for its %d photos to be processed", len(photo_ids))
        wait_for_photos(photo_ids, timeout=180)
    demo_password = demo.ensure_demo_editor(os.environ.get("NEWSROOM_DEMO_PASSWORD", "demo-password"))
    snapshot.save(data_dir, settings, dynamodb, s3)

    http_thread = threading.Thread(target=server.serve_forever, name="chalice-local", daemon=True)
    http_thread.start()
    folds.start()

    print(f"Newsroom is running: http://127.0.0.1:{port}/", flush=True)
    print(f"  editor login: demo / {demo_password}   (POST /api/session)", flush=True)
    print(f"  AWS (moto) endpoint: http://127.0.0.1:{aws_port}  data: {data_dir}", flush=True)
    print("  Ctrl-C stops it; your changes are kept (make reset starts over).", flush=True)
    while not signals.wait(AUTOSAVE_SECONDS):
        if journal.entries:
            _save(data_dir, settings, dynamodb, s3)
    print("Stopping: saving local data...", flush=True)
    server.shutdown()  # no new requests; a request still running is journaled like any other
    server.server.server_close()  # and refuse connections rather than leave them waiting
    worker.stop()
    folds.stop()
    worker.join(timeout=30)
    folds.join(timeout=30)
    _save(data_dir, settings, dynamodb, s3)
    moto.stop()
    attach_journal(None)
    journal.close()
    print("Stopped.", flush=True)
    return 0


def start_photo_worker(settings: Any) -> Any:
    """Poll the photo queue and call the app's SQS handler, as Lambda's trigger would."""
    import boto3

    from chalicelib.routes.events import PHOTO_BATCH_SIZE, process_photos
    from local.worker import PhotoWorker

    sqs = boto3.client("sqs", region_name=settings.region)
    queue_url = sqs.get_queue_url(QueueName=settings.photo_queue)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    worker = PhotoWorker(sqs, queue_url, queue_arn, settings.region, process_photos, PHOTO_BATCH_SIZE)
    worker.start()
    return worker


def wait_for_photos(photo_ids: list[str], timeout: float) -> None:
    from chalicelib.models import PhotoModel

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = [p.photo_id for p in PhotoModel.batch_get(photo_ids) if p.status == "pending"]
        if not pending:
            return
        time.sleep(0.5)
    log.warning("%d demo photos still pending after %ss", len(pending), timeout)


def _save(data_dir: Path, settings: object, dynamodb: object, s3: object) -> None:
    from local import snapshot

    try:
        snapshot.save(data_dir, settings, dynamodb, s3)  # type: ignore[arg-type]
    except Exception:
        log.exception("could not save local data")


def create_dev_server(port: int):
    """The dev server `chalice local --stage local --no-autoreload` would start, compressing like API Gateway
    and answering unknown paths with the site's 404 page as the deployed API's gateway response does."""
    from chalice.cli.factory import CLIFactory

    # A copy of the environment: the stage's variables are already in place,
    # and the factory must not overwrite MEDIA_BASE_URL with the default port.
    factory = CLIFactory(str(PROJECT_DIR), environ=dict(os.environ))
    config = factory.create_config_obj(chalice_stage_name=STAGE)
    server = factory.create_local_server(config.chalice_app, config, "127.0.0.1", port)
    server.server.RequestHandlerClass = functools.partial(
        not_found_page_handler(), app_object=config.chalice_app, config=config
    )
    server.server.socket.listen(LISTEN_BACKLOG)  # socketserver's 5 would drop a burst of connections
    return server


def not_found_page_handler() -> type:
    """chalice local's request handler, with its answer to a path no route matches replaced.

    chalice local, like API Gateway, answers it with a 403 `Missing Authentication Token`; the
    deployed API's MISSING_AUTHENTICATION_TOKEN gateway response is the site's 404 page, so here
    the app renders its 404 page (a HEAD gets the headers alone).
    """
    from chalice.local import ForbiddenError, LocalGatewayException

    from chalicelib.routes.responses import not_found_response
    from local.compression import CompressingRequestHandler

    class NotFoundPageHandler(CompressingRequestHandler):
        def _send_error_response(self, error: LocalGatewayException) -> None:
            if isinstance(error, ForbiddenError) and error.body == MISSING_ROUTE:
                response = not_found_response(self.command).to_dict()
                headers = {**response["headers"], **response["multiValueHeaders"]}
                self._send_http_response(response["statusCode"], headers, response["body"])
                return
            super()._send_error_response(error)

    return NotFoundPageHandler


MISSING_ROUTE = b'{"message": "Missing Authentication Token"}'  # chalice local's (and API Gateway's) no-route body


if __name__ == "__main__":
    sys.exit(main())
