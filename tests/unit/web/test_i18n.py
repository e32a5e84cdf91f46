"""The language rules and the catalogues (PLT-3: Chinese by default, English by a switch)."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir

from xinyong.web import i18n
from xinyong.web.pages import TEMPLATES_DIR, safe_next

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def template_msgids() -> set[str]:
    """Every msgid the web package uses (templates and Python), found the way
    ``pybabel extract -F web/babel.cfg`` finds them."""
    found = extract_from_dir(
        str(TEMPLATES_DIR.parent),
        method_map=[("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")],
        options_map={"templates/**.html": {"encoding": "utf-8"}, "**.py": {}},
    )
    msgids: set[str] = set()
    for _filename, _lineno, message, _comments, _context in found:
        if isinstance(message, tuple):
            msgids.update(m for m in message if m)
        else:
            msgids.add(message)
    return msgids


def test_the_templates_use_messages() -> None:
    assert {"Credit search", "Log in", "Name or unified social credit code"} <= template_msgids()


def test_every_template_message_has_a_chinese_translation() -> None:
    zh = i18n.translations(i18n.ZH.locale)
    missing = sorted(m for m in template_msgids() if zh.gettext(m) == m)
    assert missing == [], f"add these to locale/zh_Hans_CN/LC_MESSAGES/messages.po: {missing}"


def test_the_catalogue_has_no_fuzzy_or_empty_translations() -> None:
    """A fuzzy entry is a guess ``pybabel update`` made and is never shown (issue 14 item 3):
    its msgid would be untranslated on the page."""
    from babel.messages.pofile import read_po

    po = i18n.LOCALE_DIR / i18n.ZH.locale / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=i18n.ZH.locale)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    empty = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str)
                                                       else all(m.string))]  # fmt: skip
    assert (fuzzy, empty) == ([], [])


def test_translations_keep_their_placeholders() -> None:
    zh = i18n.translations(i18n.ZH.locale)
    for msgid in template_msgids():
        expected = set(PLACEHOLDER.findall(msgid))
        assert set(PLACEHOLDER.findall(zh.gettext(msgid))) == expected, msgid


def test_chinese_and_english_gettext() -> None:
    zh = i18n.gettext_callables(i18n.ZH)["_"]
    en = i18n.gettext_callables(i18n.EN)["_"]
    assert zh("Credit search") == "信用查询"
    assert en("Credit search") == "Credit search"
    assert zh("clock frozen at %(when)s", when="2026-09-30 10:00") == "时钟冻结于 2026-09-30 10:00"
    assert en("Unknown message") == "Unknown message"


def test_ngettext_fills_num() -> None:
    en = i18n.gettext_callables(i18n.EN)["ngettext"]
    assert en("%(num)s record", "%(num)s records", 1) == "1 record"
    assert en("%(num)s record", "%(num)s records", 3) == "3 records"


@pytest.mark.parametrize(
    ("query", "cookie", "expected"),
    [
        (None, None, i18n.ZH),
        ("en", None, i18n.EN),
        (None, "en", i18n.EN),
        ("zh", "en", i18n.ZH),
        ("zh-CN", None, i18n.ZH),
        ("EN-us", None, i18n.EN),
        ("fr", "en", i18n.EN),
        ("fr", "klingon", i18n.ZH),
    ],
)
def test_query_beats_cookie_and_chinese_is_the_default(
    query: str | None, cookie: str | None, expected: i18n.Language
) -> None:
    assert i18n.choose_language(query, cookie) is expected


def test_active_language_is_restored_after_a_render() -> None:
    assert i18n.active_language() is i18n.DEFAULT
    with i18n.activate(i18n.EN):
        assert i18n.gettext_active("Credit search") == "Credit search"
    assert i18n.gettext_active("Credit search") == "信用查询"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/tools/deadline?start=2026-10-01", "/tools/deadline?start=2026-10-01"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("relative", "/"),
    ],
)
def test_the_language_switch_only_returns_inside_the_site(
    target: str | None, expected: str
) -> None:
    assert safe_next(target) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [(i18n.ZH, "公开 · 社会公众 · natural_personX"), (i18n.EN, "Public · Member of the public")],
)
def test_vocabulary_terms_follow_the_page_language(language: i18n.Language, expected: str) -> None:
    from xinyong.web.pages import templates

    template = templates.env.from_string(
        '{% from "partials/vocabulary.html" import term %}'
        '{{ term("publicity", "public") }} · {{ term("opinion_source", "public") }}'
        '{% if lang == "zh" %} · {{ term("no_such_vocabulary", "natural_person") }}X{% endif %}'
    )
    with i18n.activate(language):
        assert template.render(lang=language.code) == expected
