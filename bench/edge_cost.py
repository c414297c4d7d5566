"""Benchmark: what a million article views cost, every service, today's design against the CDN's.

Measured in this run (bench/edge_requests.py), per view of the 24-photo demo article: each request's DynamoDB
requests and capacity units, our Lambda code's CPU time (DynamoDB replayed in-process), the bytes of the real
answers and of their log lines, the photos the page shows and their WebP bytes for a phone.

Modelled, and said so in the output: Lambda's duration = CPU ms × 1,769 / memory MB (Lambda gives one vCPU at
1,769 MB, a proportional share below) + 4 ms per DynamoDB request (an in-region round trip), billed per ms; a
reader scrolls through the whole article (every photo loads). Prices: bench/prices.py.

Designs: old = no CDN, COUNT_MODE=server, every view an API Gateway request and a full render, HTML as filed in
issue 14 (uncompressed) and gzipped (sites without a CDN); new = CDN with COUNT_MODE=beacon, at 0%, 90% and 99%
CDN hits on pages and photos, the count through API Gateway or through the function URL. The China profile (CNY,
bench/prices.py CHINA: which prices were read and which assumed) has no function URLs: its CDN counts through
API Gateway, and its sites without a CDN count on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.edge_requests import (
    DYNAMODB_ROUND_TRIP_MS,
    LAMBDA_FULL_CPU_MB,
    PHONE_RENDITION,
    Photos,
    Request,
    measure_requests,
    photo_bytes,
)
from bench.local_aws import configure_environment
from bench.prices import (
    ASIA_EDGE,
    CHINA,
    CHINA_ASSUMED,
    CHINA_PRICED_ON,
    CHINA_SOURCES,
    CNY_PER_USD,
    PRICED_ON,
    REGION,
    US_EDGE,
    Prices,
)
from bench.report import Row, arguments, finish, verdict

TARGET = 0.40  # new at 90% hits ≤ 40% of today's cost
HIT_RATES = (0.0, 0.9, 0.99)


@dataclass
class Cost:
    """USD per million views, by item; items named "photos: ..." are the article's photos, the rest its page and
    count."""

    items: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.items.values())

    @property
    def page(self) -> float:
        return sum(v for k, v in self.items.items() if not k.startswith("photos"))


def lambda_cost(request: Request, prices: Prices) -> float:
    return prices.lambda_per_million + request.gb_seconds * prices.lambda_per_gb_second * 1e6


def dynamodb_cost(request: Request, prices: Prices) -> float:
    writes = request.write_units * prices.dynamodb_write_per_million
    return writes + request.read_units * prices.dynamodb_read_per_million


def per_gb(nbytes: float, price: float) -> float:
    """USD per million views of `nbytes` each."""
    return nbytes * 1e6 / 1e9 * price


def old_design(requests: dict[str, Request], photos: Photos, prices: Prices, compressed: bool) -> Cost:
    page = requests["server page"]
    return Cost(
        {
            "API Gateway": prices.api_gateway_rest_per_million,
            "Lambda": lambda_cost(page, prices),
            "DynamoDB": dynamodb_cost(page, prices),
            "logs": per_gb(page.log_bytes, prices.logs_ingested_per_gb),
            "bytes out": per_gb(page.wire_bytes(compressed), prices.internet_out_per_gb),
            "photos: requests (S3 GET)": photos.per_view * prices.s3_get_per_1k * 1000,
            "photos: bytes out": per_gb(photos.per_view * photos.bytes_each, prices.internet_out_per_gb),
        }
    )


def new_design(requests: dict[str, Request], photos: Photos, prices: Prices, hits: float, via: str) -> Cost:
    """CDN: every view is a CloudFront request for the page and one for the count; a miss (1 - hits) also reaches
    API Gateway and the API function; the count always reaches its function (and, via API Gateway, API Gateway)."""
    page, count = requests["beacon page"], requests[f"count via {via}"]
    misses = 1 - hits
    cloudfront_request = prices.cloudfront_https_per_10k * 100  # per million
    return Cost(
        {
            "CloudFront requests": 2 * cloudfront_request,
            "API Gateway": prices.api_gateway_rest_per_million * (misses + (1 if via == "API Gateway" else 0)),
            "Lambda": misses * lambda_cost(page, prices) + lambda_cost(count, prices),
            "DynamoDB": misses * dynamodb_cost(page, prices) + dynamodb_cost(count, prices),
            "logs": per_gb(misses * page.log_bytes + count.log_bytes, prices.logs_ingested_per_gb),
            "bytes out": per_gb(page.wire_bytes(True) + count.wire_bytes(True), prices.cloudfront_per_gb),
            "photos: requests (S3 GET)": misses * photos.per_view * prices.s3_get_per_1k * 1000
            + photos.per_view * cloudfront_request,
            "photos: bytes out": per_gb(photos.per_view * photos.bytes_each, prices.cloudfront_per_gb),
        }
    )


def describe(requests: dict[str, Request], photos: Photos) -> None:
    print(f"prices: {REGION} list prices of {PRICED_ON}, on-demand, no free tier (bench/prices.py)")
    for prices in (US_EDGE, ASIA_EDGE):
        print(
            f"  CloudFront ({prices.cdn_edges} edges): ${prices.cloudfront_https_per_10k:.4f} per 10k HTTPS requests,"
            f" ${prices.cloudfront_per_gb:.3f}/GB out"
        )
    p = US_EDGE
    print(
        f"  API Gateway REST ${p.api_gateway_rest_per_million:.2f}/M; Lambda ${p.lambda_per_million:.2f}/M +"
        f" ${p.lambda_per_gb_second:.10f}/GB-s (x86); DynamoDB ${p.dynamodb_write_per_million}/M WRU,"
        f" ${p.dynamodb_read_per_million}/M RRU; S3 GET ${p.s3_get_per_1k}/1k; data out ${p.internet_out_per_gb}/GB;"
        f" CloudWatch Logs ${p.logs_ingested_per_gb}/GB"
    )
    print(
        f"per request (measured; Lambda duration = CPU × {LAMBDA_FULL_CPU_MB}/MB + {DYNAMODB_ROUND_TRIP_MS:g} ms"
        " per DynamoDB request, billed per ms):"
    )
    for r in requests.values():
        print(
            f"  {r.name:22} CPU {r.cpu_ms:5.2f} ms → {r.billed_ms:3d} ms at {r.memory_mb} MB = {r.gb_seconds:.5f} GB-s;"
            f" DynamoDB {r.dynamodb_requests} req, {r.read_units:g} RRU, {r.write_units} WRU;"
            f" body {r.body_bytes:,} B (gzip {r.gzip_bytes:,} B) + headers {r.header_bytes} B; logs {r.log_bytes:,} B"
        )
    print(
        f"  photos per view {photos.per_view} (every <img> of the page) × {photos.bytes_each:,} B"
        f" (WebP {PHONE_RENDITION[0]} px, a 390 px phone at DPR 2)"
    )


def designs_for(requests: dict[str, Request], photos: Photos, prices: Prices) -> dict[str, Cost]:
    designs: dict[str, Cost] = {
        OLD: old_design(requests, photos, prices, compressed=False),
        "old, gzip (no CDN, server count)": old_design(requests, photos, prices, compressed=True),
    }
    ways = ("API Gateway",) if prices is CHINA else ("function URL", "API Gateway")  # China: no function URLs
    for via in ways:
        for hits in HIT_RATES:
            designs[f"CDN {hits:.0%} hits, count via {via}"] = new_design(requests, photos, prices, hits, via)
    return designs


OLD = "old (no CDN, server count, uncompressed)"


def describe_china() -> None:
    p = CHINA
    print(
        f"China profile ({p.currency}; priced {CHINA_PRICED_ON}, read from {', '.join(CHINA_SOURCES)}):"
        f" CloudFront CNY {p.cloudfront_https_per_10k}/10k HTTPS requests, CNY {p.cloudfront_per_gb}/GB out;"
        f" DynamoDB CNY {p.dynamodb_write_per_million}/M WRU. ASSUMED, not read: {', '.join(CHINA_ASSUMED)}"
        f" (us-east-1's at {CNY_PER_USD} CNY/USD; reads = writes / 5; data out CNY {p.internet_out_per_gb}/GB)"
    )


def china_rows(requests: dict[str, Request], photos: Photos) -> list[Row]:
    describe_china()
    designs = designs_for(requests, photos, CHINA)
    old, gzipped = designs[OLD], designs["old, gzip (no CDN, server count)"]
    print("\nCNY per million article views, the China profile (CloudFront China, count via API Gateway):")
    print_table(designs)
    new = designs["CDN 90% hits, count via API Gateway"]
    rows = [
        Row(
            "Edge cost",
            "page + count, per million views, China profile, 90% CDN hits, count via API Gateway (CNY)",
            f"¥{new.page:.2f}",
            f"no CDN ¥{old.page:.2f} (gzip ¥{gzipped.page:.2f})",
            f"{new.page / old.page:.2f}",
            "",
            "",
        ),
        Row(
            "Edge cost",
            f"with the {photos.per_view} photos, same (China profile, CNY)",
            f"¥{new.total:.2f}",
            f"¥{old.total:.2f}",
            f"{new.total / old.total:.2f}",
            "",
            "",
        ),
    ]
    return rows


def print_table(designs: dict[str, Cost]) -> None:
    baseline = designs[OLD]
    items = list(dict.fromkeys(k for cost in designs.values() for k in cost.items))
    print("| design | " + " | ".join(items) + " | page + count | / old | with photos | / old |")
    print("|---" * (len(items) + 5) + "|")
    for name, cost in designs.items():
        cells = [f"{cost.items[k]:.2f}" if k in cost.items else "" for k in items]
        print(
            f"| {name} | " + " | ".join(cells) + f" | **{cost.page:.2f}** | {cost.page / baseline.page:.2f} |"
            f" {cost.total:.2f} | {cost.total / baseline.total:.2f} |"
        )


def measure(rounds: int) -> list[Row]:
    requests, per_view = measure_requests(rounds)
    photos = Photos(per_view, photo_bytes())
    describe(requests, photos)
    rows: list[Row] = []
    for prices in (US_EDGE, ASIA_EDGE):
        designs = designs_for(requests, photos, prices)
        old, gzipped = designs[OLD], designs["old, gzip (no CDN, server count)"]
        print(f"\nUSD per million article views, CloudFront at its {prices.cdn_edges} edges:")
        print_table(designs)
        for via in ("function URL", "API Gateway"):
            new = designs[f"CDN 90% hits, count via {via}"]
            ratio = new.page / old.page
            rows.append(
                Row(
                    "Edge cost",
                    f"page + count, per million views, 90% CDN hits, count via {via} ({prices.cdn_edges} edges)",
                    f"${new.page:.2f}",
                    f"today ${old.page:.2f} (gzip ${gzipped.page:.2f})",
                    f"{ratio:.2f}",
                    f"≤ {TARGET}" if via == "function URL" else "",
                    verdict(ratio <= TARGET) if via == "function URL" else "",
                )
            )
        new = designs["CDN 90% hits, count via function URL"]
        rows.append(
            Row(
                "Edge cost",
                f"with the {photos.per_view} photos a reader scrolls through, same ({prices.cdn_edges} edges)",
                f"${new.total:.2f}",
                f"${old.total:.2f}",
                f"{new.total / old.total:.2f}",
                "",
                "",
            )
        )
    return rows + china_rows(requests, photos)


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    configure_environment(chrome_cache_seconds=3600)  # a warm container's navigation copy: replay answers the rest
    finish(measure(rounds=3 if options.quick else 15), options.json)


if __name__ == "__main__":
    main()
