"""What each request of an article view uses, measured for bench/edge_cost.py: DynamoDB, Lambda CPU, bytes, logs.

In-process against moto, on the 24-photo demo article (bench/content.py): each request's DynamoDB requests and
capacity units (bench.dynamodb_cost.Recorder, units from item sizes); our Lambda code's CPU time with DynamoDB
answered in-process from recorded answers, so none of moto's time counts (as bench/render.py); the bytes of the
real answers (body, its gzip at level 6, headers) and of the log lines our code writes for them. The four
requests: the server-mode page, the beacon-mode page, the count through API Gateway (the API function) and
through the function URL (count_views, its payload 2.0 event). Lambda's duration is modelled from the CPU time
(`Request.billed_ms`). The photos: WebP bytes per pixel of imaging.process's renditions of scikit-image's real
photographs, at the rendition a phone picks.
"""

from __future__ import annotations

import gzip
import io
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.local_aws import moto_aws
from bench.report import median

LAMBDA_FULL_CPU_MB = 1769
DYNAMODB_ROUND_TRIP_MS = 4.0
PHONE_RENDITION = (1024, 683)  # 390 px × DPR 2 = 780 px: the smallest rendition at least that wide, 3:2
CALLS_PER_BATCH = 20
PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Request:
    """One kind of request a view makes, as measured."""

    name: str
    memory_mb: int  # of the Lambda that answers it
    cpu_ms: float  # our code's CPU per request
    dynamodb_requests: int
    read_units: float
    write_units: int
    body_bytes: int
    gzip_bytes: int
    header_bytes: int
    log_bytes: int  # what the function writes to CloudWatch Logs for it

    @property
    def billed_ms(self) -> int:
        cpu_share = self.memory_mb / LAMBDA_FULL_CPU_MB
        return math.ceil(self.cpu_ms / cpu_share + self.dynamodb_requests * DYNAMODB_ROUND_TRIP_MS)

    @property
    def gb_seconds(self) -> float:
        return self.billed_ms / 1000 * self.memory_mb / 1024

    def wire_bytes(self, compressed: bool) -> int:
        return (self.gzip_bytes if compressed else self.body_bytes) + self.header_bytes


@dataclass(frozen=True)
class Photos:
    per_view: int
    bytes_each: int


class Replay:
    """Records a botocore client's DynamoDB answers by request bytes, then answers the same requests with them."""

    def __init__(self, client: Any) -> None:
        self.answers: dict[tuple[str, bytes], tuple[int, dict[str, str], bytes]] = {}
        self.replaying = False
        self._pending: list[tuple[str, bytes]] = []
        client.meta.events.register("before-call.dynamodb", self._before)
        client.meta.events.register("after-call.dynamodb", self._after)
        client.meta.events.register("before-send.dynamodb", self._answer)

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if not self.replaying:
            self._pending.append((model.name, _bytes(params["body"])))

    def _after(self, http_response: Any, **_: Any) -> None:
        if not self.replaying:
            key = self._pending.pop()
            self.answers[key] = (http_response.status_code, dict(http_response.headers), http_response.content)

    def _answer(self, request: Any, event_name: str, **_: Any) -> Any:
        if not self.replaying:
            return None
        from botocore.awsrequest import AWSResponse

        status, headers, body = self.answers[(event_name.rsplit(".", 1)[-1], _bytes(request.body))]
        return AWSResponse(request.url, status, headers, _Body(body))


class LogSink(io.TextIOBase):
    """Where the functions' log lines go in the benchmark: counted (CloudWatch Logs bills them), not shown."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)


def capture_logs() -> LogSink:
    sink = LogSink()
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sink)
    return sink


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data


def _bytes(body: Any) -> bytes:
    return body.encode() if isinstance(body, str) else bytes(body or b"")


def header_bytes(status: int, headers: dict[str, Any], extra: dict[str, str]) -> int:
    """The status line and headers as HTTP/1.1 writes them (h2's are smaller: an upper bound)."""
    lines = [f"HTTP/1.1 {status} OK"] + [f"{k}: {v}" for k, v in {**headers, **extra}.items()]
    return sum(len(line.encode()) + 2 for line in lines) + 2


def api_event(method: str, path: str, app: Any) -> dict[str, Any]:
    from chalice.local import LambdaEventConverter, RouteMatcher

    converter = LambdaEventConverter(RouteMatcher(list(app.routes)), app.api.binary_types)
    headers = {"host": "news.example.org", "user-agent": "Mozilla/5.0 (iPhone) Mobile Safari/604.1"}
    body = b"" if method == "POST" else None
    return converter.create_lambda_event(method=method, path=path, headers=headers, body=body)


def lambda_context(memory_mb: int) -> Any:
    from chalice.local import LambdaContext

    return LambdaContext(function_name="bench", memory_size=memory_mb, max_runtime_ms=10_000)


def set_count_mode(mode: str) -> None:
    import os

    from chalicelib.config import get_settings, get_site

    os.environ["COUNT_MODE"] = mode
    get_settings.cache_clear()
    get_site.cache_clear()


def memory_of(function: str) -> int:
    from ops.site import FUNCTIONS

    (memory,) = [memory for name, memory, _ in FUNCTIONS.values() if name == function]
    return memory


def cpu_ms(function: Callable[[], object], calls: int = CALLS_PER_BATCH) -> float:
    start = time.process_time_ns()
    for _ in range(calls):
        function()
    return (time.process_time_ns() - start) / calls / 1e6


def measure_requests(rounds: int) -> tuple[dict[str, Request], int]:
    """The four kinds of request, measured; and the photos the article page shows."""
    from app import app
    from bench.content import make_site
    from bench.dynamodb_cost import Recorder
    from chalicelib.models import ArticleModel
    from chalicelib.routes.counting import count_views
    from tests.events import function_url_request

    api_memory, counter_memory = memory_of("api_handler"), memory_of("count_views")
    calls: dict[str, tuple[str, int, Callable[[], dict[str, Any]]]] = {}
    with moto_aws():
        article_id = make_site()
        page, count_path = f"/articles/{article_id}", f"/views/{article_id}"
        page_event, count_event = api_event("GET", page, app), api_event("POST", count_path, app)
        url_event = function_url_request(count_path, user_agent="Mozilla/5.0 (iPhone) Mobile Safari/604.1")
        calls = {
            "server page": ("server", api_memory, lambda: app(page_event, lambda_context(api_memory))),
            "beacon page": ("beacon", api_memory, lambda: app(page_event, lambda_context(api_memory))),
            "count via API Gateway": ("beacon", api_memory, lambda: app(count_event, lambda_context(api_memory))),
            "count via function URL": (
                "beacon",
                counter_memory,
                lambda: count_views(url_event, lambda_context(counter_memory)),
            ),
        }
        replay = Replay(ArticleModel._get_connection().connection.client)
        recorder = Recorder()
        recorder.attach()
        logs = capture_logs()
        answers: dict[str, dict[str, Any]] = {}
        units: dict[str, list[Any]] = {}
        log_bytes: dict[str, int] = {}
        for name, (mode, _, call) in calls.items():
            set_count_mode(mode)
            call()  # warm: clients, templates, the navigation copy
            recorder.take()
            logs.bytes = 0
            answers[name] = call()
            log_bytes[name] = logs.bytes
            assert answers[name]["statusCode"] == 200, (name, answers[name])
            units[name] = recorder.take()
    photos = answers["server page"]["body"].count("<img ")
    replay.replaying = True
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):  # interleaved, so machine noise hits every kind alike
        for name, (mode, _, call) in calls.items():
            set_count_mode(mode)
            samples[name].append(cpu_ms(call))
    requests = {}
    for name, (_, memory, _) in calls.items():
        answer = answers[name]
        body = answer["body"].encode()
        compressed = gzip.compress(body, compresslevel=6)
        extra = {"Content-Length": str(len(body))}
        requests[name] = Request(
            name=name,
            memory_mb=memory,
            cpu_ms=median(samples[name]),
            dynamodb_requests=len(units[name]),
            read_units=sum(c.read_units for c in units[name]),
            write_units=sum(c.write_units for c in units[name]),
            body_bytes=len(body),
            gzip_bytes=len(compressed) if len(body) >= 1024 else len(body),  # minimum_compression_size
            header_bytes=header_bytes(answer["statusCode"], answer.get("headers", {}), extra),
            log_bytes=log_bytes[name],
        )
    return requests, photos


def photo_bytes() -> int:
    """WebP bytes of the phone's rendition: bytes per pixel of imaging.process's WebP renditions ≥ 640 px wide of
    scikit-image's colour photographs, times the rendition's pixels."""
    import io

    import skimage
    from PIL import Image

    from chalicelib import imaging

    folder = Path(skimage.__file__).resolve().parent / "data"
    pixels = size = 0
    for name in ("rocket.jpg", "motorcycle_left.png", "hubble_deep_field.jpg", "retina.jpg", "coffee.png"):
        with Image.open(folder / name) as image:
            source = io.BytesIO()
            image.convert("RGB").save(source, "PNG")
        for rendition in imaging.process(source.getvalue()).renditions:
            if rendition.format == "webp" and rendition.width >= 600:
                pixels += rendition.width * rendition.height
                size += len(rendition.data)
    return round(size / pixels * PHONE_RENDITION[0] * PHONE_RENDITION[1])
