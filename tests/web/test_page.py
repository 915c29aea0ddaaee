"""A fetched page as an article: main text only, title, published date, canonical URL, charsets."""

from __future__ import annotations

from datetime import date

import pytest
from pytest_httpserver import HTTPServer

from facts.ingest import IngestError
from facts.web.fetch import Fetched, fetch
from facts.web.page import document_from_text, page_document
from tests.web.conftest import page

TODAY = date(2025, 12, 1)
BOILERPLATE = [
    "Advertisement",
    "sneakers",
    "Related stories",
    "Markets rally",
    "First!",
    "Great reporting",
    "trackPageView",
    "console.log",
    "Subscribe now",
    "All rights reserved",
    "Cookie",
]


def fetched(body: bytes, content_type: str = "text/html", url: str = "https://news.example/p") -> Fetched:
    return Fetched(url, 200, content_type, body, None, None)


@pytest.mark.usefixtures("allow_loopback")
def test_a_served_page_gives_its_article_only(web: HTTPServer) -> None:
    web.expect_request("/2025/11/truce").respond_with_data(
        page("article-jsonld.html"), content_type="text/html; charset=utf-8"
    )
    document = page_document(fetch(web.url_for("/2025/11/truce")), today=TODAY)
    assert document.title == "Tariff truce extended by 90 days"
    assert document.published == date(2025, 11, 10)  # datePublished, not dateModified
    assert not document.published_inferred
    assert document.url == "https://news.example/2025/11/tariff-truce-extended"  # the canonical link
    assert document.path == web.url_for("/2025/11/truce")
    for sentence in [
        "agreed on Monday to extend their tariff truce by 90 days",
        "U.S. duties on Chinese goods stay at 30%",
        "Vice Premier He Lifeng is expected to meet Bessent again in December",
    ]:
        assert sentence in document.body
    for noise in BOILERPLATE:
        assert noise not in document.body, noise


def test_a_page_with_only_a_meta_date() -> None:
    document = page_document(
        fetched(page("article-meta-date.html"), url="https://eu.example/steel"), today=TODAY
    )
    assert document.published == date(2025, 10, 3)
    assert document.url == "https://eu.example/steel"  # no canonical link: the URL fetched
    assert document.title == "EU ministers weigh steel quotas ahead of carbon levy"
    assert "Maroš Šefčovič told reporters" in document.body
    for noise in ["Cheap flights", "Log in", "Celebrity chef", "Nobody reads this", "Imprint", "Facebook"]:
        assert noise not in document.body, noise


def test_paragraphs_stay_paragraphs() -> None:
    document = page_document(fetched(page("article-meta-date.html")), today=TODAY)
    paragraphs = document.body.split("\n\n")
    assert paragraphs[0] == "# EU ministers weigh steel quotas ahead of carbon levy"
    assert paragraphs[1].startswith("European trade ministers met in Brussels")
    assert paragraphs[2].startswith("The European Commission proposed")


def test_a_page_without_a_date_takes_today_and_says_so() -> None:
    html = page("article-meta-date.html").replace(b'<meta name="date" content="2025-10-03">', b"")
    document = page_document(fetched(html), today=TODAY)
    assert (document.published, document.published_inferred) == (TODAY, True)


def test_a_page_without_article_text() -> None:
    with pytest.raises(IngestError, match=r"^https://news.example/p: no article text found on the page$"):
        page_document(fetched(page("no-article.html")))


def test_the_fallback_title() -> None:
    html = page("article-meta-date.html").replace(b"<title>", b"<x>").replace(b"</title>", b"</x>")
    html = html.replace(b"<h1>EU ministers weigh steel quotas ahead of carbon levy</h1>", b"")
    document = page_document(fetched(html), fallback_title="From the feed", today=TODAY)
    assert document.title == "From the feed"


class TestCharsets:
    TEXT = "Le ministre a déclaré que les droits de douane resteront à 25 % jusqu’en mars. " * 5

    def html(self, declared: str = "") -> str:
        meta = f'<meta charset="{declared}">' if declared else ""
        return f"<html><head>{meta}<title>Café</title></head><body><article><p>{self.TEXT}</p></article></body></html>"

    def test_a_header_charset_that_lies_is_one_line_and_nothing(self) -> None:
        lying = fetched(self.html().encode("cp1252"), "text/html; charset=utf-8")
        with pytest.raises(IngestError) as caught:
            page_document(lying)
        assert str(caught.value) == (
            "https://news.example/p: the page declares charset utf-8 but its text is not utf-8"
        )

    def test_a_meta_charset_that_lies_is_one_line(self) -> None:
        lying = fetched(self.html("utf-8").encode("cp1252"), "text/html")
        with pytest.raises(IngestError, match="declares charset utf-8"):
            page_document(lying)

    def test_an_unknown_charset(self) -> None:
        with pytest.raises(IngestError, match="unknown charset 'klingon'"):
            page_document(fetched(self.html().encode(), "text/html; charset=klingon"))

    def test_a_true_single_byte_charset(self) -> None:
        document = page_document(
            fetched(self.html("windows-1252").encode("cp1252"), "text/html"), today=TODAY
        )
        assert "a déclaré que les droits de douane resteront à 25 % jusqu’en mars" in document.body

    def test_utf8_declared_as_latin1_is_read_as_utf8(self) -> None:
        document = page_document(fetched(self.html().encode(), "text/html; charset=iso-8859-1"), today=TODAY)
        assert "déclaré" in document.body and "Ã©" not in document.body

    def test_no_declaration_tries_utf8(self) -> None:
        document = page_document(fetched(self.html().encode(), "text/html"), today=TODAY)
        assert "déclaré" in document.body


class TestFeedEntryText:
    def test_html_content(self) -> None:
        html = (
            "<p>Officials said the tariff on steel will rise to 50% on June 4.</p><p>Second <b>part</b>.</p>"
        )
        document = document_from_text("https://news.example/e1", " Steel  tariff\n", date(2025, 6, 1), html)
        assert (
            document.body
            == "Officials said the tariff on steel will rise to 50% on June 4.\n\nSecond **part**."
        )
        assert (document.title, document.url, document.published) == (
            "Steel tariff",
            "https://news.example/e1",
            date(2025, 6, 1),
        )

    def test_plain_text_without_a_date(self) -> None:
        document = document_from_text(
            "https://news.example/e2", "T", None, "One line.\nAnother.", today=TODAY
        )
        assert document.body == "One line.\n\nAnother."
        assert (document.published, document.published_inferred) == (TODAY, True)

    def test_empty_content(self) -> None:
        with pytest.raises(IngestError, match="no article text"):
            document_from_text("https://news.example/e3", "T", None, "<p> </p>")
