"""Fetching against a real loopback server: redirects, limits, robots.txt, conditional GET, failures."""

from __future__ import annotations

import gzip
import socket

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from facts.web import fetch as fetch_module
from facts.web.fetch import FEED_TYPES, FetchError, fetch, user_agent
from tests.web.conftest import SilentServer, page

HTML = "text/html; charset=utf-8"


def failure(url: str, **options: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, **options)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.usefixtures("allow_loopback")
class TestAnswers:
    def test_a_page_with_its_type_validators_and_user_agent(self, web: HTTPServer) -> None:
        web.expect_request("/story", headers={"User-Agent": user_agent()}).respond_with_data(
            page("article-jsonld.html"), content_type=HTML, headers={"ETag": '"v1"', "Last-Modified": "Mon"}
        )
        got = fetch(web.url_for("/story"))
        assert got.status == 200
        assert got.url == web.url_for("/story")
        assert got.body == page("article-jsonld.html")
        assert got.content_type == HTML
        assert (got.etag, got.last_modified) == ('"v1"', "Mon")
        assert user_agent().startswith("briefbot/") and "(+http" in user_agent()

    def test_gzip_is_decoded(self, web: HTTPServer) -> None:
        web.expect_request("/z").respond_with_data(
            gzip.compress(b"<p>zipped</p>"), content_type=HTML, headers={"Content-Encoding": "gzip"}
        )
        assert fetch(web.url_for("/z")).body == b"<p>zipped</p>"

    def test_conditional_get_gives_304_without_body(self, web: HTTPServer) -> None:
        web.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data(
            "", status=304, headers={"ETag": '"v1"'}
        )
        got = fetch(web.url_for("/feed"), accept=FEED_TYPES, etag='"v1"', last_modified=None)
        assert (got.status, got.body, got.content_type, got.etag) == (304, b"", "", '"v1"')

    def test_redirects_are_followed_to_the_final_url(self, web: HTTPServer) -> None:
        web.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/mid"})
        web.expect_request("/mid").respond_with_data(
            "", status=302, headers={"Location": web.url_for("/new")}
        )
        web.expect_request("/new").respond_with_data("<p>here</p>", content_type=HTML)
        got = fetch(web.url_for("/old"))
        assert got.url == web.url_for("/new")
        assert got.body == b"<p>here</p>"

    def test_five_redirects_are_fine_six_are_not(self, web: HTTPServer) -> None:
        for i in range(7):
            web.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
        web.expect_request("/r7").respond_with_data("<p>end</p>", content_type=HTML)
        assert fetch(web.url_for("/r2")).body == b"<p>end</p>"
        error = failure(web.url_for("/r1"))
        assert error.kind == "redirects"
        assert "more than 5 redirects" in str(error)

    def test_a_redirect_loop_is_one_line(self, web: HTTPServer) -> None:
        web.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
        web.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
        error = failure(web.url_for("/a"))
        assert error.kind == "redirects"
        assert "redirect loop" in str(error) and "\n" not in str(error)

    @pytest.mark.parametrize("status", [404, 500, 403])
    def test_error_statuses(self, web: HTTPServer, status: int) -> None:
        web.expect_request("/gone").respond_with_data("nope", status=status, content_type=HTML)
        error = failure(web.url_for("/gone"))
        assert error.kind == "status"
        assert f"answered {status}" in str(error)

    def test_other_content_types_are_refused(self, web: HTTPServer) -> None:
        web.expect_request("/img").respond_with_data(b"\x89PNG", content_type="image/png")
        error = failure(web.url_for("/img"))
        assert error.kind == "content-type"
        assert "image/png" in str(error)
        assert fetch(web.url_for("/img"), accept=()).body == b"\x89PNG"

    def test_a_feed_type_is_taken_only_when_asked_for(self, web: HTTPServer) -> None:
        web.expect_request("/rss").respond_with_data("<rss/>", content_type="application/rss+xml")
        assert failure(web.url_for("/rss")).kind == "content-type"
        assert fetch(web.url_for("/rss"), accept=FEED_TYPES).body == b"<rss/>"


@pytest.mark.usefixtures("allow_loopback")
class TestLimits:
    def test_over_five_megabytes_declared(self, web: HTTPServer) -> None:
        web.expect_request("/big").respond_with_data(b"x" * 5_000_001, content_type=HTML)
        error = failure(web.url_for("/big"))
        assert error.kind == "too-large"
        assert "5 MB" in str(error)

    def test_exactly_five_megabytes_is_fine(self, web: HTTPServer) -> None:
        web.expect_request("/edge").respond_with_data(b"x" * 5_000_000, content_type=HTML)
        assert len(fetch(web.url_for("/edge")).body) == 5_000_000

    def test_over_the_limit_without_a_declared_length(self, web: HTTPServer) -> None:
        def chunked(_request: Request) -> Response:
            return Response((b"y" * 100_000 for _ in range(60)), content_type=HTML)

        web.expect_request("/stream").respond_with_handler(chunked)
        error = failure(web.url_for("/stream"))
        assert error.kind == "too-large"
        assert fetch(web.url_for("/stream"), max_bytes=6_000_000).body == b"y" * 6_000_000

    def test_a_zip_bomb_counts_its_decoded_size(self, web: HTTPServer) -> None:
        bomb = gzip.compress(b"\0" * 6_000_000)
        assert len(bomb) < 100_000
        web.expect_request("/bomb").respond_with_data(
            bomb, content_type=HTML, headers={"Content-Encoding": "gzip"}
        )
        assert failure(web.url_for("/bomb")).kind == "too-large"

    def test_a_server_that_never_answers(self, silent: SilentServer) -> None:
        error = failure(silent.url("/story"), total_seconds=0.5)
        assert error.kind == "timeout"
        assert str(error).startswith(silent.url("/story") + ": ")

    def test_a_server_that_stalls_mid_page(self, web: HTTPServer, stalling: SilentServer) -> None:
        # robots.txt comes from another site here: redirect there from the loopback server.
        web.expect_request("/go").respond_with_data("", status=302, headers={"Location": stalling.url("/p")})
        fetch_module._ROBOTS.put(f"http://127.0.0.1:{stalling.port}", _robots_allowing_all())
        error = failure(web.url_for("/go"), total_seconds=0.5)
        assert error.kind == "timeout"

    def test_nothing_listening(self) -> None:
        with socket.create_server(("127.0.0.1", 0)) as sock:
            port = sock.getsockname()[1]
        error = failure(f"http://127.0.0.1:{port}/")
        assert error.kind == "connect"


def _robots_allowing_all() -> object:
    import urllib.robotparser

    parser = urllib.robotparser.RobotFileParser()
    parser.parse([])
    return parser


@pytest.mark.usefixtures("allow_loopback")
class TestRobots:
    def test_a_disallowed_path_is_not_fetched(self, web: HTTPServer) -> None:
        web.clear()
        web.expect_request("/robots.txt").respond_with_data(
            "User-agent: briefbot\nDisallow: /private/\n", content_type="text/plain"
        )
        web.expect_request("/private/x").respond_with_data("<p>secret</p>", content_type=HTML)
        web.expect_request("/public").respond_with_data("<p>ok</p>", content_type=HTML)
        error = failure(web.url_for("/private/x"))
        assert error.kind == "robots"
        assert fetch(web.url_for("/public")).body == b"<p>ok</p>"
        assert not [r for r, _ in web.log if r.path == "/private/x"]

    def test_rules_for_every_crawler_apply_too(self, web: HTTPServer) -> None:
        web.clear()
        web.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
        assert failure(web.url_for("/anything")).kind == "robots"

    def test_robots_txt_is_read_once_per_site(self, web: HTTPServer) -> None:
        web.expect_request("/one").respond_with_data("<p>1</p>", content_type=HTML)
        fetch(web.url_for("/one"))
        fetch(web.url_for("/one"))
        assert len([r for r, _ in web.log if r.path == "/robots.txt"]) == 1


class TestAllowSetting:
    def test_loopback_is_refused_by_default(self, web: HTTPServer) -> None:
        web.expect_request("/story").respond_with_data("<p>x</p>", content_type=HTML)
        error = failure(web.url_for("/story"))
        assert error.kind == "refused"
        assert "BRIEFBOT_FETCH_ALLOW" in str(error)
        assert not web.log  # not even robots.txt was asked for

    def test_the_environment_setting_allows_it(
        self, web: HTTPServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "10.0.0.0/8, 127.0.0.0/8")
        web.expect_request("/story").respond_with_data("<p>x</p>", content_type=HTML)
        assert fetch(web.url_for("/story")).body == b"<p>x</p>"

    def test_an_explicit_allow_overrides_the_environment(
        self, web: HTTPServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW", "127.0.0.1")
        assert failure(web.url_for("/story"), allow="").kind == "refused"

    def test_a_malformed_setting_is_one_line(self) -> None:
        error = failure("http://example.com/", allow="10.0.0.0/33x")
        assert error.kind == "invalid"
        assert str(error).startswith("BRIEFBOT_FETCH_ALLOW: ")
