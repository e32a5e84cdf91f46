"""The fast paths of bulk delivery give the same answers as the plain rules (COL-1).

The compiled field validator, the remembered identifier checks, the text normalisation and
the content hash are held, on generated rows, to what ``rules.validate_fields``,
``check_identifier``, NFKC and ``json.dumps`` say.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.core.identifiers import (
    IdentifierKind,
    check_identifier,
    resident_check_char,
    uscc_check_char,
)
from xinyong.records.rows import FieldValidator
from xinyong.records.rules import (
    FieldRule,
    SubjectRef,
    content_hash,
    hashed_content,
    validate_fields,
)
from xinyong.records.values import check_id, text_of

TODAY = date(2026, 9, 30)
ALLOW = frozenset({"91520000214434146A"})


def _uscc(body: str) -> str:
    return body + uscc_check_char(body)


def _resident(body: str) -> str:
    return body + resident_check_char(body)


#: Cells as providers write them: good values of each type, and the usual mistakes.
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "   ",
            "\u3000",
            "2026-09-01",
            "2026/9/1",
            "2026年9月1日",
            "２０２６-０９-０１",
            "2026-02-30",
            "2027-01-01",
            "1.50",
            "１２.５",
            "-3",
            "1e3",
            "12",
            "是",
            "no",
            "法人及非法人组织",
            "自然人",
            "身份证",
            "护照号",
            "一般",
            "serious",
            "91520000214434146R",
            "91520000214434146A",
            " 91520000214434146r ",
            "9152000021443 4146R",
            "11010519491231002X",
            "110105194912310021",
            "110105491231002",
            "E12345678",
            "经查，当事人未按规定期限公示年度报告。",
            "x" * 4001,
        ]
    ),
    st.builds(_uscc, st.from_regex(r"[0-9A-HJ-NPQRTUWXY]{17}", fullmatch=True)),
    st.builds(
        _resident,
        st.from_regex(r"52010219[5-9][0-9](0[1-9]|1[0-2])[0-2][1-9][0-9]{3}", fullmatch=True),
    ),
    st.text(max_size=30),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.none(),
)

PARTY_CODES = ("XDR_MC", "XDR_LB", "XDR_SHXYM", "XDR_ZJLX", "XDR_ZJHM", "FR_ZJLX", "FR_ZJHM")
FIELD_TYPES = ("string", "date", "decimal", "integer", "boolean", "identifier", "enum")


@st.composite
def schemas(draw: st.DrawFn) -> tuple[FieldRule, ...]:
    codes = draw(
        st.lists(
            st.sampled_from(
                [*PARTY_CODES, "CF_WSH", "CF_NR_FK", "CF_JDRQ", "CF_CFJGDM", "COUNT", "severity"]
            ),
            min_size=1,
            max_size=10,
            unique=True,
        )
    )
    rules = []
    for code in codes:
        kind = draw(st.sampled_from(FIELD_TYPES))
        enum: tuple[str, ...] = ()
        if kind == "enum" or (kind == "identifier" and draw(st.booleans())):
            enum = tuple(
                draw(st.lists(st.sampled_from(["身份证", "护照号", "一般", "12"]), max_size=3))
            )
        rules.append(FieldRule(code, f"字段{code}", kind, draw(st.booleans()), enum))
    return tuple(rules)


@st.composite
def rows(draw: st.DrawFn) -> tuple[tuple[FieldRule, ...], dict[str, Any]]:
    rules = draw(schemas())
    names = [r.code for r in rules] + ["UNKNOWN", "XDR_ZJLX"]
    values = draw(st.dictionaries(st.sampled_from(names), CELLS, max_size=12))
    return rules, values


@settings(max_examples=400, deadline=None)
@given(rows(), st.sampled_from([frozenset(), ALLOW]))
def test_compiled_validator_answers_as_validate_fields(
    row: tuple[tuple[FieldRule, ...], dict[str, Any]], allow: frozenset[str]
) -> None:
    rules, values = row
    known = frozenset(r.code for r in rules)
    expected = validate_fields(rules, values, today=TODAY, allow_list=allow, known=known)
    compiled = FieldValidator(rules, known)
    assert compiled(values, today=TODAY, allow_list=allow) == expected
    # Narrowed to the columns of a file that holds exactly these fields: the same answer.
    assert compiled.only(set(values))(values, today=TODAY, allow_list=allow) == expected
    # Field order is the schema's, as stored.
    assert list(compiled(values, today=TODAY, allow_list=allow)[0]) == list(expected[0])
    # Remembering answers (a file's validator): the same answer the first time and again,
    # and after another allow-list was used in between.
    memo = compiled.only(set(values), memo=True)
    other = ALLOW if allow != ALLOW else frozenset()
    assert memo(values, today=TODAY, allow_list=allow) == expected
    assert memo(values, today=TODAY, allow_list=allow) == expected
    memo(values, today=TODAY, allow_list=other)
    assert memo(values, today=TODAY, allow_list=allow) == expected


@settings(max_examples=300, deadline=None)
@given(CELLS.filter(lambda v: isinstance(v, str)), st.sampled_from([frozenset(), ALLOW]))
def test_remembered_identifier_checks_answer_as_check_identifier(
    value: str, allow: frozenset[str]
) -> None:
    # The field check (kind unknown, with today) first, then the subject's (kind known).
    first = check_id(value, None, allow, TODAY)
    assert first == check_identifier(value, allow_list=allow, today=TODAY)
    normalised = first.normalized or value
    for kind in (IdentifierKind.USCC, IdentifierKind.RESIDENT_ID):
        for allowed in (allow, frozenset()):
            assert check_id(normalised, kind, allowed, None) == check_identifier(
                normalised, kind=kind, allow_list=allowed
            )


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.sampled_from(["（１）", " ｘ ", "\u3000全角\u3000"])))
def test_text_of_is_trimmed_nfkc(value: str) -> None:
    assert text_of(value) == unicodedata.normalize("NFKC", value).strip()
    assert text_of(value) == text_of(value)  # remembered: the same answer again


def test_text_of_other_cells_unchanged() -> None:
    assert text_of(None) == ""
    assert text_of(3.0) == "3"
    assert text_of(datetime(2026, 9, 1, 8, 0)) == "2026-09-01"
    assert text_of(date(2026, 9, 1)) == "2026-09-01"


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(st.text(max_size=40), st.integers(), st.booleans(), st.none()),
        max_size=12,
    ),
    st.text(max_size=20),
    st.sampled_from([None, "minor", "general"]),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.text(max_size=20)),
)
def test_content_hash_is_the_canonical_json_one(
    fields: dict[str, Any],
    name: str,
    severity: str | None,
    decided: date | None,
    document: str | None,
) -> None:
    """Records already held were hashed this way: a redelivery must compare equal."""
    subject = SubjectRef("legal_person", "91520000214434146R", name)
    doc = {
        "f": fields,
        "s": [subject.type, subject.id_value, subject.name],
        "v": severity,
        "d": decided.isoformat() if decided else None,
        "n": document,
    }
    canon = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256(canon.encode()).hexdigest()
    got = content_hash(
        fields=fields, subject=subject, severity=severity, decided_on=decided, document_no=document
    )
    assert got == expected
    # The fields' own canonical JSON, which a bulk delivery's version digests reuse.
    assert hashed_content(
        fields=fields, subject=subject, severity=severity, decided_on=decided, document_no=document
    ) == (expected, json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
