"""The help centre: every guide in both languages, reachable from every page, searchable."""

import pytest

from query.help import GUIDES

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en-US,en;q=0.9"}


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.slug)
def test_every_guide_reads_in_both_languages(client, guide):
    english = client.get(f"/help/{guide.slug}", headers=EN)
    chinese = client.get(f"/help/{guide.slug}", headers=ZH)
    assert english.status_code == chinese.status_code == 200
    assert str(guide.title) in english.text
    assert "帮助中心" in chinese.text
    # The body is the guide itself, not the other language's.
    assert english.text.count("<li>") >= 2 or "<dt>" in english.text
    body = chinese.text.split('class="help-guide"')[1].split("</article>")[0]
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in body) > 50


def test_help_is_linked_from_public_portal_and_console_pages(world, client, login):
    for page, who in (("/", None), ("/portal/", world.a.admin), ("/admin/", world.gansu)):
        browser = login(who) if who else client
        html = browser.get(page).text
        assert 'href="/help"' in html, page


def test_search_finds_guides_by_words_in_their_text(client):
    found = client.get("/help?q=zebra", headers=EN).text
    assert "/help/codes" in found and "/help/register" not in found
    assert "1 guide matches" in found
    none = client.get("/help?q=quantum+banana", headers=EN).text
    assert "No guide matches" in none
    chinese = client.get("/help?q=召回", headers=ZH).text
    assert "/help/recall" in chinese and "/help/register" not in chinese


def test_search_text_is_escaped(client):
    html = client.get("/help?q=<script>alert(1)</script>", headers=EN).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_unknown_guide_is_404(client):
    assert client.get("/help/nope").status_code == 404
