"""A stage's environment off Lambda: one function builds it for the CLI, local stack, tests and benchmarks."""

from __future__ import annotations

import pytest

from chalicelib.config import get_settings
from ops.stages import environment_for_stage, stage_environment

REAL = {"AWS_PROFILE": "work", "AWS_ACCESS_KEY_ID": "AKIAREAL", "AWS_ENDPOINT_URL": "http://elsewhere", "HOME": "/h"}


def test_the_stage_variables_are_added_to_what_is_inherited():
    env = environment_for_stage("example-global", {"HOME": "/h", "SITE_NAME": "old"})
    region = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}  # the site's
    assert env == {"HOME": "/h", **stage_environment("example-global"), **region}


def test_fake_credentials_replace_every_inherited_aws_variable():
    env = environment_for_stage("local", REAL, credentials="testing")
    aws = {name: value for name, value in env.items() if name.startswith("AWS_")}
    assert aws == {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    assert env["HOME"] == "/h"


def test_without_credentials_the_inherited_aws_identity_is_kept():
    env = environment_for_stage("example-china", REAL)
    assert env["AWS_PROFILE"] == "work" and env["AWS_ENDPOINT_URL"] == "http://elsewhere"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "cn-north-1"  # the site's, whatever the shell says


def test_an_endpoint_serves_aws_and_the_media_from_the_bucket_on_it():
    env = environment_for_stage("local", REAL, credentials="local", endpoint="http://127.0.0.1:9", token_secret="s")
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:9"
    assert env["MEDIA_BASE_URL"] == "http://127.0.0.1:9/newsroom-local-media"
    assert env["TOKEN_SECRET"] == "s"


def test_an_unknown_stage_is_refused():
    with pytest.raises(KeyError, match="no stage 'staging'"):
        environment_for_stage("staging", {})


def test_a_counting_door_that_does_not_exist_is_refused(configure):
    with pytest.raises(RuntimeError, match="VIEWS_DOOR must be one of any, function, api, page"):
        configure(VIEWS_DOOR="functoin")


def test_the_media_client_waits_and_retries_as_configured(configure):
    from chalicelib.photos import media_bucket_client

    configure(AWS_CONNECT_TIMEOUT_SECONDS="3", AWS_READ_TIMEOUT_SECONDS="7", AWS_MAX_ATTEMPTS="4")
    media_bucket_client.cache_clear()
    try:
        config = media_bucket_client().meta.config
        assert (config.connect_timeout, config.read_timeout) == (3.0, 7.0)  # not botocore's 60 s each
        assert config.retries == {"mode": "standard", "total_max_attempts": 4}
    finally:
        media_bucket_client.cache_clear()


def test_without_a_retry_budget_set_aws_is_tried_twice_not_botocores_three_times(configure, monkeypatch):
    from chalicelib.photos import media_bucket_client

    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    configure()
    media_bucket_client.cache_clear()
    try:
        assert media_bucket_client().meta.config.retries == {"mode": "standard", "total_max_attempts": 2}
    finally:
        media_bucket_client.cache_clear()


def test_upload_forms_are_signed_with_sigv4_also_in_us_east_1(configure):
    from chalicelib.photos import media_bucket_client

    configure(AWS_REGION="us-east-1")
    media_bucket_client.cache_clear()
    try:
        form = media_bucket_client().generate_presigned_post("media", "uploads/x")
        assert form["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"  # botocore would sign it with SigV2
    finally:
        media_bucket_client.cache_clear()


@pytest.mark.parametrize("value", [None, ""])
def test_a_required_variable_unset_or_empty_is_refused_by_name(configure, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("MEDIA_BUCKET")
    with pytest.raises(RuntimeError) as refused:
        configure(**({} if value is None else {"MEDIA_BUCKET": value}))
    assert str(refused.value) == "environment variable MEDIA_BUCKET is not set"


def test_the_local_stage_reads_each_loopback_pair_of_a_comma_separated_list(configure):
    configure(NEWSROOM_STAGE="local", FETCH_LOOPBACK_HOSTS=" 127.0.0.1:8001,127.0.0.1:8002 ,")
    assert get_settings().fetch_loopback_hosts == {"127.0.0.1:8001", "127.0.0.1:8002"}


def test_the_sites_address_is_read_without_its_trailing_slashes_and_refused_with_a_path(configure):
    configure(SITE_URL="https://news.example.org//")
    assert get_settings().site_url == "https://news.example.org"
    configure(SITE_URL="https://WWW.EXAMPLE.BOX/")  # as typed, in capitals
    assert get_settings().site_url == "https://WWW.EXAMPLE.BOX"
    with pytest.raises(RuntimeError) as refused:
        configure(SITE_URL="https://news.example.org/news/")
    assert "without a path" in str(refused.value)


OPTIONAL = (
    *("SITE_NAME", "SITE_LANGUAGE", "SITE_TIMEZONE", "SITE_CONTACT_URL", "SITE_DESCRIPTION", "SITE_ICON_URL"),
    *("SITEMAP_MAX_URLS", "SITE_ADDRESS", "SITE_PHONE", "SITE_ICP_FILING", "SITE_PUBLIC_SECURITY_FILING"),
    *("SITE_BASE_PATH", "CHROME_CACHE_SECONDS", "PAGE_SIZE", "HOME_PAGE_SIZE", "SITE_ORIGINS", "TOKEN_HOURS"),
    *("PREVIEW_HOURS", "MAX_UPLOAD_BYTES", "UPLOAD_EXPIRES_SECONDS", "TRUSTED_PROXY_HOPS", "SEARCH_BACKEND"),
    *("AWS_CONNECT_TIMEOUT_SECONDS", "AWS_READ_TIMEOUT_SECONDS", "AWS_MAX_ATTEMPTS", "SEARCH_REFRESH_SECONDS"),
    *("LOG_FORMAT", "COUNT_MODE", "PAGE_CACHE_SECONDS", "CDN", "VIEWS_DOOR", "ORIGIN_SECRET_PARAMETER"),
    *("WECHAT_ARTICLE_HOSTS", "WECHAT_IMAGE_HOSTS", "FETCH_LOOPBACK_HOSTS", "MAX_ATTACHMENT_BYTES"),
    *("SESSION_IDLE_MINUTES", "REVIEW_TOPIC_ARN", "AUDIT_DAYS", "NEWSROOM_STAGE"),
)


def test_every_optional_variable_unset_takes_the_default_docs_configuration_md_names(configure, monkeypatch):
    for name in OPTIONAL:
        monkeypatch.delenv(name, raising=False)
    configure()
    settings = get_settings()
    defaults = {
        "site_name": "Newsroom",
        "site_language": "zh-CN",
        "site_timezone": "Asia/Shanghai",
        "site_contact_url": "mailto:office@example.org",
        "site_description": "Newsroom",  # SITE_NAME's
        "site_icon_url": None,  # the shipped icon
        "sitemap_max_urls": 50_000,
        "site_address": "",
        "site_phone": "",
        "site_icp_filing": "",
        "site_public_security_filing": "",
        "base_path": "",
        "stage": "dev",
        "chrome_cache_seconds": 30,
        "page_size": 20,
        "home_page_size": 6,
        "site_origins": ("*",),
        "token_hours": 12,
        "preview_hours": 72,
        "max_upload_bytes": 25 * 1024 * 1024,
        "upload_expires_seconds": 300,
        "trusted_proxy_hops": 0,
        "aws_connect_timeout": 1,
        "aws_read_timeout": 2,
        "aws_max_attempts": 2,
        "search_backend": "sqlite",
        "search_refresh_seconds": 20,
        "log_format": "json",
        "count_mode": "server",
        "page_cache_seconds": 60,
        "cdn": False,
        "views_door": "",  # any of the three
        "origin_secret_parameter": None,
        "wechat_article_hosts": {"mp.weixin.qq.com"},
        "wechat_image_hosts": {"mmbiz.qpic.cn", "mmbiz.qlogo.cn"},
        "fetch_loopback_hosts": set(),
        "max_attachment_bytes": 50 * 1024 * 1024,
        "session_idle_minutes": 30,
        "review_topic_arn": None,
        "audit_days": 400,
    }
    assert {name: getattr(settings, name) for name in defaults} == defaults


def test_settings_past_their_bounds_are_held_at_them_and_a_description_defaults_to_the_sites_name(
    configure, monkeypatch
):
    monkeypatch.delenv("SITE_DESCRIPTION", raising=False)
    configure(
        SITEMAP_MAX_URLS="60000",
        UPLOAD_EXPIRES_SECONDS="3600",
        AWS_MAX_ATTEMPTS="0",
        PAGE_CACHE_SECONDS="-5",
        AUDIT_DAYS="30",
        SITE_NAME="中国物业管理协会",
        SITE_ORIGINS=" https://a.example.org/ ,, https://b.example.org",
        LOG_FORMAT="human",
    )
    settings = get_settings()
    assert (settings.sitemap_max_urls, settings.upload_expires_seconds, settings.aws_max_attempts) == (50_000, 300, 1)
    assert (settings.page_cache_seconds, settings.audit_days, settings.log_format) == (0, 190, "human")
    assert settings.site_origins == ("https://a.example.org", "https://b.example.org")
    assert settings.site_description == "中国物业管理协会"


def test_every_variable_is_read_by_its_name(configure, monkeypatch):
    given = {
        "SITE_NAME": "中国物业管理协会",
        "SITE_LANGUAGE": "en",
        "SITE_TIMEZONE": "Asia/Urumqi",
        "SITE_CONTACT_URL": "https://www.ecpmi.org.cn/contact",
        "SITE_DESCRIPTION": "协会官网",
        "SITE_ICON_URL": "https://www.ecpmi.org.cn/icon.png",
        "SITEMAP_MAX_URLS": "1000",
        "SITE_ADDRESS": " 北京市 ",
        "SITE_PHONE": " 010-1 ",
        "SITE_ICP_FILING": " 京ICP备1号 ",
        "SITE_PUBLIC_SECURITY_FILING": " 京公网安备1号 ",
        "SITE_BASE_PATH": "/NEWSBOX/",  # a stage name, kept as given, without the slash after it
        "CHROME_CACHE_SECONDS": "7",
        "PAGE_SIZE": "15",
        "HOME_PAGE_SIZE": "8",
        "TOKEN_HOURS": "4",
        "PREVIEW_HOURS": "24",
        "MAX_UPLOAD_BYTES": "1000",
        "UPLOAD_EXPIRES_SECONDS": "120",
        "TRUSTED_PROXY_HOPS": "1",
        "AWS_CONNECT_TIMEOUT_SECONDS": "3",
        "AWS_READ_TIMEOUT_SECONDS": "4",
        "AWS_MAX_ATTEMPTS": "5",
        "SEARCH_REFRESH_SECONDS": "9",
        "COUNT_MODE": "beacon",
        "PAGE_CACHE_SECONDS": "11",
        "CDN": "on",
        "VIEWS_DOOR": "page",
        "ORIGIN_SECRET_PARAMETER": "/newsroom/origin",
        "WECHAT_ARTICLE_HOSTS": "MP.example.cn",
        "WECHAT_IMAGE_HOSTS": "img.example.cn",
        "MAX_ATTACHMENT_BYTES": "2000",
        "SESSION_IDLE_MINUTES": "10",
        "REVIEW_TOPIC_ARN": "arn:aws-cn:sns:cn-north-1:123456789012:newsroom-reviews",
        "AUDIT_DAYS": "200",
        "NEWSROOM_STAGE": "prod",
        "TOKEN_SECRET_PARAMETER": "/newsroom/token",
    }
    monkeypatch.delenv("FETCH_LOOPBACK_HOSTS", raising=False)  # the local stage's only
    configure(**given)
    settings = get_settings()
    read = {
        "site_name": "中国物业管理协会",
        "site_language": "en",
        "site_timezone": "Asia/Urumqi",
        "site_contact_url": "https://www.ecpmi.org.cn/contact",
        "site_description": "协会官网",
        "site_icon_url": "https://www.ecpmi.org.cn/icon.png",
        "sitemap_max_urls": 1000,
        "site_address": "北京市",
        "site_phone": "010-1",
        "site_icp_filing": "京ICP备1号",
        "site_public_security_filing": "京公网安备1号",
        "base_path": "/NEWSBOX",
        "chrome_cache_seconds": 7,
        "page_size": 15,
        "home_page_size": 8,
        "token_hours": 4,
        "preview_hours": 24,
        "max_upload_bytes": 1000,
        "upload_expires_seconds": 120,
        "trusted_proxy_hops": 1,
        "aws_connect_timeout": 3,
        "aws_read_timeout": 4,
        "aws_max_attempts": 5,
        "search_refresh_seconds": 9,
        "count_mode": "beacon",
        "page_cache_seconds": 11,
        "cdn": True,
        "views_door": "page",
        "origin_secret_parameter": "/newsroom/origin",
        "wechat_article_hosts": {"mp.example.cn"},
        "wechat_image_hosts": {"img.example.cn"},
        "max_attachment_bytes": 2000,
        "session_idle_minutes": 10,
        "review_topic_arn": "arn:aws-cn:sns:cn-north-1:123456789012:newsroom-reviews",
        "audit_days": 200,
        "stage": "prod",
        "token_secret_parameter": "/newsroom/token",
    }
    assert {name: getattr(settings, name) for name in read} == read
