"""Checked rows travel from the bulk import's helper process to the importing one pickled
(``records.importing.checking``): what arrives is what was checked, every field in its place,
and the subject's name key the helper computed (not computed again, not lost)."""

from __future__ import annotations

import pickle
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from xinyong.records.rules import CleanRow, Problem
from xinyong.subjects.rules import SubjectRef, clean_name, normalize_name

NAMES = st.text(min_size=1, max_size=20)


@given(
    name=NAMES,
    kind=st.sampled_from([None, "uscc", "resident_id"]),
    severity=st.sampled_from([None, "general", "serious"]),
    decided=st.one_of(st.none(), st.dates()),
    document=st.one_of(st.none(), st.text(max_size=10)),
)
def test_a_checked_row_arrives_as_it_was_checked(
    name: str, kind: str | None, severity: str | None, decided: date | None, document: str | None
) -> None:
    ref = SubjectRef("legal_person", "91520100MA6DKXXX0X", name, kind)
    row = CleanRow(
        {"CF_WSH": document, "CF_NR_FK": "1.5"}, ref, "k-1", severity, decided, document,
        "ab" * 32, [Problem("CF_WSH", "whatever")], '{"x":1}',
    )  # fmt: skip
    back = pickle.loads(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == row
    assert (back.severity, back.decided_on, back.document_no) == (severity, decided, document)
    assert back.subject.name_key == normalize_name(clean_name(name)) == ref.name_key


def test_the_name_key_travels_with_the_reference() -> None:
    ref = SubjectRef("legal_person", "x", "㈱ 贵阳　商贸")
    data = pickle.dumps(ref)
    assert ref.name_key.encode() in data  # travels with the reference...
    assert pickle.loads(data).name_key == "(株)贵阳商贸"  # ... and is what arrives
