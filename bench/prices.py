"""AWS list prices the cost benchmarks use, in one place: us-east-1, on-demand, without free tiers, USD.

Read from the services' pricing pages on 2026-11-28. CloudFront's are those of its United States, Mexico and
Canada edges (first 10 TB a month); ASIA_EDGE gives Hong Kong, Singapore, Korea, Taiwan and the like, where a
Chinese association's readers are served from (mainland China needs CloudFront's China regions, priced apart).
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


US_EDGE = Prices("United States", cloudfront_https_per_10k=0.0100, cloudfront_per_gb=0.085)
ASIA_EDGE = Prices("Hong Kong, Singapore, Korea, Taiwan", cloudfront_https_per_10k=0.0120, cloudfront_per_gb=0.120)
