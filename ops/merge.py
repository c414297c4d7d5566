"""The one CloudFormation stack of a site: chalice's functions and API merged with infra/ (`make package`).

infra/resources.json holds what every site has; the site's fragment (FRAGMENTS, by how it counts views:
SiteSpec.counting) adds its profile's CDN, or the API's custom domain without one, so each profile's template
holds only resource types its partition has. What CloudFormation cannot know is rendered here: the service
principals of the site's partition (ops/partitions.py), and the origin secret's SSM reference.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from chalicelib.config import Settings
from ops import partitions
from ops.infra import INFRA, function_names, load_template, not_found_gateway_responses, parameter_values
from ops.site_file import SiteSpec, load
from ops.tracing import add_to_merge_template

# What a site merges into the resources, by its way in (SiteSpec.counting): each profile's template holds only
# resource types its partition has (cfn-lint --regions ... in tests/deploy/test_templates.py).
FRAGMENTS = {"function": "cdn-global.json", "api": "cdn-china.json", "page": "api-domain.json"}
PRINCIPAL = re.compile(r"@principal:(\w+)")  # a fragment's service principal, rendered for the site's region
# The value CloudFront sends in X-Newsroom-Origin: a placeholder, resolved from SSM by CloudFormation.
ORIGIN_SECRET = "@origin-secret"  # noqa: S105


def merge_template(settings: Settings, spec: SiteSpec | None = None) -> dict[str, Any]:
    """The resources for `chalice package --merge-template`, for one CloudFormation stack per site.

    infra/resources.json with the site's fragment merged in (FRAGMENTS: its profile's CDN, or the API's custom
    domain without one); parameters default to the site's names; the photo function's SQS trigger reports
    partial batch failures and waits for its queue.
    """
    spec = spec or load(settings.stage)
    template = profile_template(spec.counting)
    functions = {k: v for k, v in function_names(settings.stage).items() if k != "CounterFunctionName" or spec.cdn}
    defaults = {**parameter_values(settings), **_site_parameters(spec)}
    for key, parameter in template["Parameters"].items():
        if key in defaults:
            parameter["Default"] = defaults[key]
    for key in functions:  # in one stack, the alarms and the dashboard refer to chalice's functions
        template["Parameters"].pop(key, None)
    template["Resources"] = _refer(
        template["Resources"], {key: logical_id for key, (_, logical_id) in functions.items()}
    )
    # Unknown paths: API Gateway's answer, inside the API's definition so it is part of its deployment.
    template["Resources"]["RestAPI"] = {
        "Properties": {"DefinitionBody": {"x-amazon-apigateway-gateway-responses": not_found_gateway_responses()}}
    }
    template["Resources"]["ProcessPhotos"] = {
        "DependsOn": ["PhotoQueue"],
        "Properties": {
            "Events": {
                "ProcessPhotosSqsEventSource": {"Properties": {"FunctionResponseTypes": ["ReportBatchItemFailures"]}}
            }
        },
    }
    if spec.cdn:  # the distribution's pages come from the chalice API's stage (RestAPI exists only merged)
        del template["Parameters"]["PagesOriginDomain"]
        pages = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["Origins"][0]
        pages["DomainName"] = {"Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}
    if spec.xray:  # X-Ray, off by default and never in China: ops/tracing.py
        add_to_merge_template(template)
    rendered: dict[str, Any] = _render(template, spec)
    return rendered


def profile_template(counting: str) -> dict[str, Any]:
    """infra/resources.json with the fragment of a site that counts that way (SiteSpec.counting) merged in."""
    template = load_template()
    _merge(template, json.loads((INFRA / FRAGMENTS[counting]).read_text(encoding="utf-8")))
    return template


def _site_parameters(spec: SiteSpec) -> dict[str, str]:
    return {
        "CdnDomains": ",".join(spec.domains),
        "CdnCertificateId": spec.certificate,
        "ServerCertificateId": spec.server_certificate_id,
        "ApiDomain": spec.domains[0],
        "ApiCertificateId": spec.certificate,
    }


def _merge(template: dict[str, Any], fragment: dict[str, Any]) -> None:
    """A fragment's parameters, resources and outputs into the template; a resource it names again is merged into
    the template's, key by key (a fragment's MediaBucketPolicy statement replaces the public one)."""
    for section in ("Parameters", "Resources", "Outputs"):
        for name, value in fragment.get(section, {}).items():
            template.setdefault(section, {})[name] = _merged(template.get(section, {}).get(name), value)


def _merged(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{k: _merged(base.get(k), v) for k, v in override.items()}}
    return override


def _render(node: Any, spec: SiteSpec) -> Any:
    """Service principals in the site's partition, and the origin secret as CloudFormation's SSM reference."""
    if isinstance(node, dict):
        return {k: _render(v, spec) for k, v in node.items()}
    if isinstance(node, list):
        return [_render(v, spec) for v in node]
    if node == ORIGIN_SECRET:
        return "{{resolve:ssm:" + spec.origin_secret_parameter + "}}"
    if isinstance(node, str) and PRINCIPAL.fullmatch(node):
        return partitions.service_principal(PRINCIPAL.fullmatch(node).group(1), spec.region)  # type: ignore[union-attr]
    return node


def _refer(node: Any, renamed: Mapping[str, str]) -> Any:
    """`node` with each `Ref` to a key of `renamed` referring to its value instead; the rest as it is."""
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in renamed:
            return {"Ref": renamed[node["Ref"]]}
        return {k: _refer(v, renamed) for k, v in node.items()}
    if isinstance(node, list):
        return [_refer(v, renamed) for v in node]
    return node
