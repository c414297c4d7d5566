"""AWS list prices the cost benchmarks use, in one place: us-east-1, on-demand, without free tiers, USD; and
the China regions' (CHINA), in CNY.

Read from the services' pricing pages on 2026-11-28. CloudFront's are those of its United States, Mexico and
Canada edges (first 10 TB a month); ASIA_EDGE gives Hong Kong, Singapore, Korea, Taiwan and the like, where a
Chinese association's readers are served from outside the mainland. CHINA is the China profile's (cn-north-1
Beijing, cn-northwest-1 Ningxia): see its notes for which prices were read and which are assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICED_ON = "2026-11-28"
REGION = "us-east-1"

# DynamoDB on-demand, after the November 2024 price cut (per million request units).
DYNAMODB_WRITE_PER_MILLION = 0.625
DYNAMODB_READ_PER_MILLION = 0.125


@dataclass(frozen=True)
class Prices:
    cdn_edges: str
    cloudfront_https_per_10k: float  # HTTPS requests
    cloudfront_per_gb: float  # data transfer out to the internet, first 10 TB a month
    api_gateway_rest_per_million: float = 3.50  # REST API, first 333 million a month
    lambda_per_million: float = 0.20  # requests
    lambda_per_gb_second: float = 0.0000166667  # x86, first 6 billion GB-s a month
    dynamodb_write_per_million: float = DYNAMODB_WRITE_PER_MILLION
    dynamodb_read_per_million: float = DYNAMODB_READ_PER_MILLION
    s3_get_per_1k: float = 0.0004  # S3 Standard GET
    internet_out_per_gb: float = 0.09  # data transfer out of us-east-1 (API Gateway, S3, function URLs), first 10 TB
    logs_ingested_per_gb: float = 0.50  # CloudWatch Logs, standard class: the functions' log lines
    currency: str = "USD"


US_EDGE = Prices("United States", cloudfront_https_per_10k=0.0100, cloudfront_per_gb=0.085)
ASIA_EDGE = Prices("Hong Kong, Singapore, Korea, Taiwan", cloudfront_https_per_10k=0.0120, cloudfront_per_gb=0.120)

# The China regions, CNY, on-demand, first tier, no free tier. Read 2026-12-06 from the stored copies of
# www.amazonaws.cn/en/cloudfront/pricing/ (HTTPS requests, data out to the internet 0-10 TB) and
# www.amazonaws.cn/en/dynamodb/pricing/ (on-demand write requests); the pages' dates are not shown.
# ASSUMED (no China price page could be read here): every other price is us-east-1's at CNY_PER_USD, except the
# on-demand read, which is the write price / 5 as in every other region, and data out of the region, the commonly
# quoted first tier of CNY 0.933/GB. Check them on www.amazonaws.cn before relying on the result.
CNY_PER_USD = 7.2  # assumed exchange rate
CHINA_PRICED_ON = "2026-12-06"
CHINA_SOURCES = ("www.amazonaws.cn/en/cloudfront/pricing/", "www.amazonaws.cn/en/dynamodb/pricing/")
CHINA_ASSUMED = (
    "API Gateway",
    "Lambda",
    "DynamoDB reads",
    "S3 GET",
    "data out of the region",
    "CloudWatch Logs",
)
CHINA = Prices(
    "China (Sinnet/NWCD)",
    cloudfront_https_per_10k=0.15,  # read
    cloudfront_per_gb=0.30866,  # read
    api_gateway_rest_per_million=3.50 * CNY_PER_USD,  # assumed
    lambda_per_million=0.20 * CNY_PER_USD,  # assumed
    lambda_per_gb_second=0.0000166667 * CNY_PER_USD,  # assumed
    dynamodb_write_per_million=11.1538,  # read
    dynamodb_read_per_million=11.1538 / 5,  # assumed: writes cost 5x reads on-demand everywhere else
    s3_get_per_1k=0.0004 * CNY_PER_USD,  # assumed
    internet_out_per_gb=0.933,  # assumed
    logs_ingested_per_gb=0.50 * CNY_PER_USD,  # assumed
    currency="CNY",
)
