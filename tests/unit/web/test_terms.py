"""The ``term`` macro's words (``web.terms``): in the page's language, one at a time."""

from __future__ import annotations

from xinyong.web import i18n
from xinyong.web.pages import templates

MACRO = '{% from "partials/vocabulary.html" import term %}'


def _render(source: str, language: i18n.Language, **values: object) -> str:
    with i18n.activate(language):
        return templates.env.from_string(MACRO + source).render(**values)


def test_a_term_is_worded_in_the_page_language() -> None:
    source = '{{ term("publicity", "authorized") }}|{{ term("opinion_source", "public") }}'
    assert _render(source, i18n.EN) == "Authorised inquiry only|Member of the public"
    chinese = _render(source, i18n.ZH)
    assert "Authorised" not in chinese
    assert chinese.split("|")[0] == i18n.translations(i18n.ZH.locale).gettext(
        "Authorised inquiry only"
    )


def test_a_code_without_a_word_here_takes_its_label_and_nothing_names_nothing() -> None:
    assert _render('{{ term("severity", "serious") }}', i18n.ZH) == "严重失信"
    assert _render('{{ term("no_such_vocabulary", "some_code") }}', i18n.EN) == "some_code"
    assert _render('[{{ term("severity", missing) }}][{{ term("severity", none) }}]', i18n.ZH) == (
        "[][]"
    )
