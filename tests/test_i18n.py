"""The zh-CN catalog: complete against the source, well-formed, and actually served.

The source is extracted here the same way ``pybabel extract -F babel.cfg -k _l`` does, so a
string wrapped for translation but missing from ``messages.po`` fails this test until the
catalog is updated and translated.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from suyuan import create_app

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "suyuan" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# Same as the extraction command's --ignore-dirs (dot- and underscore-dirs are skipped anyway).
IGNORED_DIRS = {"build", "tests", "bench", "migrations", "instance", "node_modules", "dist"}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en-US,en;q=0.9"}


def load_catalog():
    with PO_PATH.open("rb") as po_file:
        return read_po(po_file, locale="zh")


def source_msgids() -> dict[str, str]:
    """Every msgid wrapped for translation in the source, with one place it occurs."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")

    def keep_dir(path: str) -> bool:
        name = Path(path).name
        return not (name.startswith((".", "_")) or name in IGNORED_DIRS)

    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=keep_dir
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


# (a) Complete: nothing untranslated or fuzzy, and nothing in the source missing from the .po.


def test_catalog_has_no_untranslated_or_fuzzy_entries():
    catalog = load_catalog()
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    entries = [m for m in catalog if m.id]
    assert len(entries) > 100
    untranslated = [m.id for m in entries if not m.string or not str(m.string).strip()]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_every_source_string_is_in_the_catalog_and_translated():
    catalog = load_catalog()
    found = source_msgids()
    assert "Log in" in found and "Trace a product to its source" in found  # extraction works
    missing = {
        msgid: where
        for msgid, where in found.items()
        if catalog.get(msgid) is None or not str(catalog.get(msgid).string or "").strip()
    }
    assert not missing, (
        "strings without a zh translation (run the translations extract/update and translate): "
        + "; ".join(f"{where}: {msgid!r}" for msgid, where in sorted(missing.items()))
    )


# (c) Well-formed: every translation keeps exactly the msgid's %(name)s placeholders.


def test_translations_keep_the_placeholders():
    catalog = load_catalog()
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(msgid))
        for string in strings:
            got = sorted(PLACEHOLDER.findall(string))
            if expected != got:
                wrong.append(f"{msgid!r}: {expected} != {got}")
    assert not wrong, "\n".join(wrong)


def test_catalog_passes_babel_format_checks():
    errors = [
        f"{message.id!r}: {'; '.join(map(str, problems))}"
        for message, problems in load_catalog().check()
        if problems
    ]
    assert not errors, "\n".join(errors)


# (b) Served: the start and login pages speak Chinese or English, and ?lang= switches.


@pytest.fixture(scope="module")
def i18n_client(tmp_path_factory):
    """A fresh app (so no translations are cached yet) over a freshly compiled catalog."""
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        with MO_PATH.open("wb") as mo_file:  # gitignored build artefact, as `make test` does
            write_mo(mo_file, load_catalog())
    instance = tmp_path_factory.mktemp("i18n")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "CODE_KEY": "test-code-key",
            "DATABASE_URL": f"sqlite:///{instance / 'i18n.db'}",
            "BASE_URL": "http://suyuan.test",
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    return app.test_client


def page(client, url, headers=None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "zh_text", "en_text"),
    [
        ("/", "追溯产品源头", "Trace a product to its source"),
        ("/auth/login", "注册企业", "Register your enterprise"),
    ],
)
def test_pages_follow_accept_language(i18n_client, url, zh_text, en_text):
    chinese = page(i18n_client(), url, ZH)
    assert zh_text in chinese and en_text not in chinese
    assert '<html lang="zh-CN">' in chinese

    english = page(i18n_client(), url, EN)
    assert en_text in english and zh_text not in english
    assert '<html lang="en">' in english


def test_login_page_is_chinese_throughout(i18n_client):
    html = page(i18n_client(), "/auth/login", ZH)
    for text in ("登录", "电子邮箱", "密码", "新生产企业？"):
        assert text in html
    for text in ("Log in", "Password", "New producer?", "Suyuan — trace to the source"):
        assert text not in html


def test_lang_parameter_switches_and_is_remembered(i18n_client):
    client = i18n_client()
    assert "追溯产品源头" in page(client, "/", ZH)

    switched = page(client, "/?lang=en", ZH)
    assert "Trace a product to its source" in switched and "追溯产品源头" not in switched
    # Remembered for the session, over the browser's Accept-Language.
    assert "Register your enterprise" in page(client, "/auth/login", ZH)

    back = page(client, "/auth/login?lang=zh", EN)
    assert "注册企业" in back and "Register your enterprise" not in back
    assert "追溯产品源头" in page(client, "/", EN)


def test_unknown_lang_parameter_is_ignored(i18n_client):
    html = page(i18n_client(), "/?lang=xx", EN)
    assert "Trace a product to its source" in html
