"""The one fetcher: it reaches only public addresses of the hosts its purpose allows, however it is led there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from chalicelib import config
from chalicelib.fetching import Fetcher, FetchFailed, FetchRefused, Purpose, public_address, system_resolver
from tests.fixture_server import serving
from tests.local_stack import wait_until

ROOT = Path(__file__).resolve().parent.parent
ANY_HOST = Purpose("tests", None, 1024, timeout=5, allow_http=True, ports=None)  # fixture servers' ports
INTERNAL = ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:127.0.0.1", "fd00:ec2::254", "100.100.100.200"]


def resolving(table: dict[str, list[str]]) -> tuple[list[str], object]:
    """A resolver answering from `table` (the DNS an attacker controls), and the names it was asked."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return table.get(host, [])

    return asked, resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/admin",
        "http://10.0.0.8/photo.jpg",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:8080/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 as a number: not a name; does not resolve here, refused either way
    ],
)
def test_internal_addresses_are_refused_before_any_connection(url):
    with serving() as server, pytest.raises((FetchRefused, FetchFailed)) as refused:
        Fetcher(ANY_HOST).get(url.replace(":8000", f":{server.port}"))
    assert refused.value.code in ("fetch_address", "fetch_dns") and server.seen == []


@pytest.mark.parametrize("address", INTERNAL)
def test_a_name_resolving_to_an_internal_address_is_refused(address):
    asked, resolve = resolving({"images.example.com": ["93.184.216.34", address]})
    with pytest.raises(FetchRefused) as refused:
        Fetcher(ANY_HOST, resolver=resolve).get("http://images.example.com/a.jpg")
    assert refused.value.code == "fetch_address" and asked == ["images.example.com"]


def test_the_name_is_resolved_once_and_the_connection_goes_to_the_checked_address():
    """DNS rebinding: the second answer would be loopback; nothing asks a second time, nothing reaches it."""
    with serving({"/": (200, {}, b"internal")}) as server:
        answers = iter([["192.0.2.1"], ["127.0.0.1"]])  # TEST-NET-1: refused as not global either
        asked, _ = resolving({})
        resolve = lambda host, port: (asked.append(host), next(answers))[1]  # noqa: E731
        with pytest.raises(FetchRefused):
            Fetcher(ANY_HOST, resolver=resolve).get(f"http://rebind.example:{server.port}/")
        answers = iter([["198.51.100.7"], ["127.0.0.1"]])  # documentation range: not global: refused
        with pytest.raises(FetchRefused):
            Fetcher(ANY_HOST, resolver=resolve).get(f"http://rebind.example:{server.port}/")
        assert asked == ["rebind.example", "rebind.example"] and server.seen == []


def test_redirects_are_checked_again_each_time():
    with serving() as internal, serving() as outside:
        internal.routes["/secret"] = (200, {}, b"internal data")
        outside.routes.update(
            {
                "/to-loopback": (302, {"Location": f"{internal.origin}/secret"}, b""),
                "/to-metadata": (301, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
                "/to-v6": (307, {"Location": "http://[::1]/"}, b""),
                "/to-name": (302, {"Location": "http://corp.example/"}, b""),
                "/loop": (302, {"Location": "/loop"}, b""),
                "/ok": (302, {"Location": "/photo"}, b""),
                "/photo": (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff photo"),
            }
        )
        _, resolve = resolving({"corp.example": ["10.20.30.40"]})
        fetcher = Fetcher(ANY_HOST, loopback=[outside.pair], resolver=resolve)
        for path in ("/to-loopback", "/to-metadata", "/to-v6", "/to-name"):
            with pytest.raises(FetchRefused) as refused:
                fetcher.get(f"{outside.origin}{path}")
            assert refused.value.code == "fetch_address", path
        with pytest.raises(FetchRefused) as looping:
            fetcher.get(f"{outside.origin}/loop")
        assert looping.value.code == "fetch_redirects" and len([p for p, _ in outside.seen if p == "/loop"]) == 5
        fetched = fetcher.get(f"{outside.origin}/ok")
        assert fetched.body == b"\xff\xd8\xff photo" and fetched.url == f"{outside.origin}/photo"
    assert internal.seen == []


def test_only_the_purposes_hosts_are_reached_and_only_over_https():
    wechat = Purpose("WeChat images", frozenset({"mmbiz.qpic.cn"}), 1024)
    _, resolve = resolving({"mmbiz.qpic.cn": ["93.184.216.34"], "evil.example": ["93.184.216.34"]})
    fetcher = Fetcher(wechat, resolver=resolve)
    assert fetcher.check("https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg")[3] == "93.184.216.34"
    for url, code in [
        ("https://evil.example/a.jpg", "fetch_host"),
        ("https://mmbiz.qpic.cn.evil.example/a.jpg", "fetch_host"),
        ("http://mmbiz.qpic.cn/a/640", "fetch_scheme"),
        ("file:///etc/passwd", "fetch_url"),
        ("ftp://mmbiz.qpic.cn/a", "fetch_url"),
        ("https://user:pw@mmbiz.qpic.cn/a", "fetch_url"),
        ("https://mmbiz.qpic.cn:99999/a", "fetch_url"),
    ]:
        with pytest.raises(FetchRefused) as refused:
            fetcher.check(url)
        assert refused.value.code == code, url


def test_only_the_web_ports_are_reached_unless_the_purpose_allows_any_or_lists_the_pair():
    _, resolve = resolving({"www.gov.cn": ["93.184.216.34"], "mmbiz.qpic.cn": ["93.184.216.34"]})
    web = Fetcher(Purpose("web images", None, 1024, allow_http=True), resolver=resolve)
    for port in (80, 443, 8080, 8443):
        assert web.check(f"http://www.gov.cn:{port}/a.jpg")[2] == port
    for port in (21, 22, 25, 3306, 6379, 8000, 9200):
        with pytest.raises(FetchRefused) as refused:
            web.check(f"http://www.gov.cn:{port}/a.jpg")
        assert refused.value.code == "fetch_port" and refused.value.field == "url", port
        assert "80, 443, 8080, 8443" in refused.value.message
    assert Fetcher(ANY_HOST, resolver=resolve).check("http://www.gov.cn:6379/")[2] == 6379  # ports=None: any
    listed = Purpose("WeChat images", frozenset({"mmbiz.qpic.cn", "mmbiz.qpic.cn:9443"}), 1024)
    assert Fetcher(listed, resolver=resolve).check("https://mmbiz.qpic.cn:9443/a")[2] == 9443
    with pytest.raises(FetchRefused) as unlisted:
        Fetcher(listed, resolver=resolve).check("https://mmbiz.qpic.cn:9444/a")
    assert unlisted.value.code == "fetch_port"


def test_a_loopback_pair_is_reached_only_on_its_own_port_with_a_browsers_headers():
    with serving({"/a": (200, {"Content-Type": "text/html"}, b"<p>hi</p>")}) as server, serving() as other:
        purpose = Purpose("WeChat articles", frozenset({"mp.weixin.qq.com"}), 1024)
        fetched = Fetcher(purpose, loopback=[server.pair]).get(f"{server.origin}/a")
        assert fetched.body == b"<p>hi</p>" and fetched.content_type == "text/html"
        path, headers = server.seen[0]
        assert "referer" not in headers and headers["user-agent"].startswith("Mozilla/5.0 (")
        with pytest.raises(FetchRefused):
            Fetcher(purpose, loopback=[server.pair]).get(f"{other.origin}/a")
        assert other.seen == []


def test_size_and_time_are_bounded():
    with serving({"/big": (200, {}, b"x" * 4096), "/slow": (200, {}, b"late")}) as server:
        fetcher = Fetcher(Purpose("tests", None, 1024, timeout=0.5, allow_http=True), loopback=[server.pair])
        with pytest.raises(FetchRefused) as big:
            fetcher.get(f"{server.origin}/big")
        assert big.value.code == "fetch_size"
        server.stall_seconds = 3
        with pytest.raises(FetchFailed) as slow:
            fetcher.get(f"{server.origin}/slow")
        assert (slow.value.code, slow.value.message) == (
            "fetch_timeout",
            f"{server.origin}/slow: took longer than 0.5 s",
        )
        server.stall_seconds = 0
        with pytest.raises(FetchFailed) as missing:
            fetcher.get(f"{server.origin}/gone")
        assert missing.value.status == 404


LIMIT = 100 * 1024  # more than one read of the fetcher's (64 KB)
UNDECLARED = {"Content-Length": ""}  # the body ends when the server closes the connection


def test_a_body_of_exactly_the_limit_is_read_whole_declared_or_not_and_one_byte_more_is_refused():
    whole = b"x" * LIMIT
    routes = {
        "/declared": (200, {}, whole),
        "/undeclared": (200, UNDECLARED, whole),
        "/declared-over": (200, {}, whole + b"y"),
        "/undeclared-over": (200, UNDECLARED, whole + b"y"),
    }
    with serving(routes) as server:
        fetcher = Fetcher(Purpose("tests", None, LIMIT, timeout=5, allow_http=True), loopback=[server.pair])
        assert fetcher.get(f"{server.origin}/declared").body == whole
        assert fetcher.get(f"{server.origin}/undeclared").body == whole
        for path in ("/declared-over", "/undeclared-over"):
            with pytest.raises(FetchRefused) as over:
                fetcher.get(f"{server.origin}{path}")
            assert (over.value.code, str(over.value)) == ("fetch_size", f"{server.origin}{path}: larger than 100 KB")


def test_a_body_without_a_length_is_read_no_further_than_the_limit():
    """A server sending without end (or 64 MB) is cut off once the limit is passed, not read to the end first."""
    endless = b"x" * (64 * 1024 * 1024)
    with serving({"/endless": (200, UNDECLARED, endless)}) as server:
        fetcher = Fetcher(Purpose("tests", None, LIMIT, timeout=30, allow_http=True), loopback=[server.pair])
        with pytest.raises(FetchRefused) as refused:
            fetcher.get(f"{server.origin}/endless")
        assert refused.value.code == "fetch_size"
        wait_until(lambda: server.sent or server.cut_short, timeout=30, what=lambda: "the server is still writing")
        assert (server.sent, server.cut_short) == ([], ["/endless"])


def test_a_failures_message_names_an_address_of_up_to_120_characters_whole_and_a_longer_one_cut():
    with serving() as server:
        fetcher = Fetcher(Purpose("tests", None, 1024, allow_http=True), loopback=[server.pair])
        short = f"{server.origin}/gone"
        exact = f"{server.origin}/{'a' * (119 - len(server.origin))}"
        longer = exact + "b"
        messages = []
        for url in (short, exact, longer):
            with pytest.raises(FetchFailed) as missing:
                fetcher.get(url)
            messages.append(missing.value.message)
    assert len(exact) == 120
    assert messages == [f"{short}: HTTP 404", f"{exact}: HTTP 404", f"{longer[:117]}...: HTTP 404"]


def test_public_addresses_are_told_from_the_rest():
    assert public_address("93.184.216.34") and public_address("2606:2800:220:1:248:1893:25c8:1946")
    assert not any(public_address(a) for a in [*INTERNAL, "224.0.0.1", "not an address", "192.168.1.1"])


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("2002:5db8:d822::1", True),  # 6to4 of 93.184.216.34
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:a247:27dd", True),  # Teredo, its client 93.184.216.34
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, its client 127.0.0.1
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("::ffff:93.184.216.34", True),
        ("2606:2800:220:1::a00:1", True),  # a public address whose last 32 bits read 10.0.0.1: no NAT64
        ("fe80::1%eth0", False),  # link-local, with the zone the resolver gives it
        ("2606:2800:220:1:248:1893:25c8:1946%eth0", True),
        ("93.184.216.34%eth0", False),  # no zone on IPv4: not an address
    ],
)
def test_ipv6_forms_of_an_ipv4_address_are_judged_by_it(address, public):
    """An IPv6 address that carries an IPv4 one (mapped, 6to4, Teredo's client, NAT64) reaches that host."""
    assert public_address(address) is public


def test_the_systems_resolver_gives_each_address_of_a_name_once():
    """The fetchers' resolver, asked without a network: a numeric name is its own address, localhost the
    loopback (which a fetch then refuses)."""
    assert system_resolver("93.184.216.34", 443) == ["93.184.216.34"]
    assert system_resolver("2606:2800:220:1:248:1893:25c8:1946", 80) == ["2606:2800:220:1:248:1893:25c8:1946"]
    assert "127.0.0.1" in system_resolver("localhost", 443)


def test_loopback_pairs_are_for_the_local_stage_only(monkeypatch):
    monkeypatch.setenv("FETCH_LOOPBACK_HOSTS", "127.0.0.1:8123")
    config.get_settings.cache_clear()
    try:
        assert config.get_settings().fetch_loopback_hosts == {"127.0.0.1:8123"}
        monkeypatch.setenv("NEWSROOM_STAGE", "prod")
        config.get_settings.cache_clear()
        with pytest.raises(RuntimeError, match="local stage only"):
            config.get_settings()
        monkeypatch.setenv("NEWSROOM_STAGE", "local")
        monkeypatch.setenv("FETCH_LOOPBACK_HOSTS", "10.0.0.1:80")
        config.get_settings.cache_clear()
        with pytest.raises(RuntimeError, match="127.0.0.1:port"):
            config.get_settings()
    finally:
        monkeypatch.undo()
        config.get_settings.cache_clear()
    assert config.get_settings().wechat_image_hosts == {"mmbiz.qpic.cn", "mmbiz.qlogo.cn"}


# Modules that take in remote content: none may reach the network except through chalicelib/fetching.py.
INTAKE_MODULES = [
    "chalicelib/photo_intake.py",
    "chalicelib/routes/intake.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ops" / "dedecms").glob("*.py")),
]
INTAKE_GLOBS = ["chalicelib/wechat*.py", "chalicelib/docx*.py", "chalicelib/attachments*.py", "chalicelib/videos*.py"]
HTTP_CLIENTS = {
    "requests",
    "urllib.request",
    "urllib3",
    "http.client",
    "httpx",
    "aiohttp",
    "socket",
    "pycurl",
    "botocore.httpsession",
}


def test_intake_code_reaches_the_network_only_through_the_fetcher():
    paths = INTAKE_MODULES + sorted(str(p.relative_to(ROOT)) for g in INTAKE_GLOBS for p in ROOT.glob(g))
    offenders = []
    for path in paths:
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            offenders += [f"{path}: {n}" for n in names if n in HTTP_CLIENTS or n.split(".")[0] in HTTP_CLIENTS]
    assert "ops/dedecms/pages.py" in paths and offenders == []


def test_a_fetch_sends_a_browsers_headers_and_asks_for_the_body_as_it_is():
    """What a server sees: the headers of a Chinese reader's browser (some sites answer a script with an error
    page), and no compression (the size limit is of the body as sent)."""
    from chalicelib.fetching import USER_AGENT

    with serving({"/a": (200, {}, b"x")}) as server:
        Fetcher(ANY_HOST, loopback=[server.pair]).get(f"{server.origin}/a")
    (_, headers), *_ = server.seen
    assert headers == {
        "host": server.pair,
        "user-agent": USER_AGENT,
        "accept": "text/html,application/xhtml+xml,image/avif,image/webp,image/*,*/*;q=0.8",
        "accept-language": "zh-CN,zh;q=0.9",
        "accept-encoding": "identity",
    }


def test_the_host_header_names_the_port_only_when_it_is_not_the_schemes_own():
    from chalicelib.fetching import _headers

    assert _headers("photos.example.cn", 443, "https")["Host"] == "photos.example.cn"
    assert _headers("photos.example.cn", 80, "http")["Host"] == "photos.example.cn"
    assert _headers("photos.example.cn", 443, "http")["Host"] == "photos.example.cn:443"
    assert _headers("photos.example.cn", 80, "https")["Host"] == "photos.example.cn:80"
    assert _headers("photos.example.cn", 8443, "https")["Host"] == "photos.example.cn:8443"


@pytest.fixture
def certificates(tmp_path, monkeypatch):
    """A certificate authority the system trusts for the test (SSL_CERT_FILE, read by the default context), and
    `server(name)`: a server context with a certificate for `name` (signed by `signer`, the trusted one unless told)."""
    import ssl

    import trustme

    authority = trustme.CA()
    trusted = tmp_path / "trusted.pem"
    authority.cert_pem.write_to_path(str(trusted))
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted))

    def server(name: str, signer: trustme.CA = authority) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        signer.issue_cert(name).configure_cert(context)
        return context

    return server


def test_an_https_fetch_is_verified_against_the_name_and_tells_the_server_which_name(certificates):
    with serving({"/a": (200, {"Content-Type": "image/jpeg"}, b"photo")}, tls=certificates("localhost")) as server:
        got = Fetcher(ANY_HOST, loopback=[f"localhost:{server.port}"]).get(f"https://localhost:{server.port}/a")
    assert (got.status, got.content_type, got.body) == (200, "image/jpeg", b"photo")
    assert server.server_names == ["localhost"] and server.sent == ["/a"]


def test_the_connection_goes_to_the_checked_address_and_tls_checks_the_name(certificates):
    """The name is not resolved again (photos.example.cn resolves nowhere here): the socket reaches the address
    that was checked, while the certificate and SNI are for the name in the URL."""
    from chalicelib.fetching import _PinnedConnection

    with serving({"/a": (200, {}, b"ok")}, tls=certificates("photos.example.cn")) as server:
        connection = _PinnedConnection("https", "photos.example.cn", server.port, "127.0.0.1", 5)
        try:
            connection.request("GET", "/a")
            with connection.getresponse() as response:
                assert (response.status, response.read()) == (200, b"ok")
        finally:
            connection.close()
    assert server.server_names == ["photos.example.cn"]


@pytest.mark.parametrize("case", ["another name", "an unknown authority", "plain http to a tls server"])
def test_a_certificate_that_does_not_prove_the_name_fails_the_fetch(certificates, case):
    import trustme

    context = {
        "another name": certificates("photos.example.cn"),
        "an unknown authority": certificates("localhost", signer=trustme.CA()),
        "plain http to a tls server": certificates("localhost"),
    }[case]
    scheme = "http" if case.startswith("plain") else "https"
    with serving({"/a": (200, {}, b"photo")}, tls=context) as server:
        fetcher = Fetcher(ANY_HOST, loopback=[f"localhost:{server.port}"])
        with pytest.raises(FetchFailed) as refused:
            fetcher.get(f"{scheme}://localhost:{server.port}/a")
    assert refused.value.code == "fetch_network" and server.seen == []


def test_https_to_a_plain_server_fails_the_fetch():
    with serving({"/a": (200, {}, b"photo")}) as server, pytest.raises(FetchFailed) as refused:
        Fetcher(ANY_HOST, loopback=[server.pair]).get(f"https://{server.pair}/a")
    assert refused.value.code == "fetch_network" and server.seen == []


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http:///a.jpg", "fetch_url"),
        ("https://editor@mmbiz.qpic.cn/a", "fetch_url"),
        ("https://:pw@mmbiz.qpic.cn/a", "fetch_url"),
    ],
)
def test_an_address_without_a_host_or_with_a_login_half_given_is_refused(url, code):
    with pytest.raises(FetchRefused) as refused:
        Fetcher(ANY_HOST, resolver=lambda host, port: ["93.184.216.34"]).check(url)
    assert refused.value.code == code


def test_a_fetch_of_a_bare_origin_asks_for_the_root_and_an_answer_without_a_type_has_none():
    with serving({"/": (200, {}, b"home"), "/?q=1": (200, {"Content-Type": "text/html"}, b"q")}) as server:
        fetcher = Fetcher(ANY_HOST, loopback=[server.pair])
        bare = fetcher.get(server.origin)
        query = fetcher.get(f"{server.origin}?q=1")
    assert [path for path, _ in server.seen] == ["/", "/?q=1"]
    assert (bare.content_type, bare.body, query.content_type, query.body) == ("", b"home", "text/html", b"q")


def test_a_redirects_own_body_is_not_read_however_large():
    routes = {
        "/old": (302, {"Location": "/new", "Content-Length": str(10 * 1024)}, b"x" * 10 * 1024),
        "/new": (200, {}, b"ok"),
    }
    with serving(routes) as server:
        got = Fetcher(ANY_HOST, loopback=[server.pair]).get(f"{server.origin}/old")  # ANY_HOST: 1 KB at most
    assert (got.body, got.url) == (b"ok", f"{server.origin}/new")


def test_an_address_without_a_port_is_reached_on_its_schemes_port_and_a_name_that_does_not_resolve_says_so():
    asked, resolve = resolving({"www.gov.cn": ["93.184.216.34"]})
    fetcher = Fetcher(Purpose("web images", None, 1024, allow_http=True), resolver=resolve)
    assert fetcher.check("http://www.gov.cn/a.jpg") == ("http", "www.gov.cn", 80, "93.184.216.34")
    assert fetcher.check("https://www.gov.cn/a.jpg") == ("https", "www.gov.cn", 443, "93.184.216.34")
    with pytest.raises(FetchFailed) as unknown:
        fetcher.check("https://nowhere.example/a.jpg")
    assert (unknown.value.code, unknown.value.message) == ("fetch_dns", "nowhere.example: the name does not resolve")
    assert asked == ["www.gov.cn", "www.gov.cn", "nowhere.example"]


def test_a_purposes_short_time_bounds_a_stall_even_when_no_byte_of_body_ever_comes():
    """Each socket wait gets at least 0.1 s, however little time is left, and not much more: a server silent for
    0.6 s, then closing an empty body, is too slow for a purpose of 0.05 s."""
    with serving({"/empty": (200, UNDECLARED, b"")}) as server:
        server.stall_seconds = 0.6
        fetcher = Fetcher(Purpose("tests", None, 1024, timeout=0.05, allow_http=True), loopback=[server.pair])
        with pytest.raises(FetchFailed) as slow:
            fetcher.get(f"{server.origin}/empty")
    assert slow.value.code == "fetch_timeout"
