"""What a credit report holds and how it is numbered and verified (RGT-1; Art. 31).

Pure functions. Sections follow the public credit information report standard (2022): for
persons and organisations alike, registration basics, administrative management (licences,
penalties), honour and trustworthiness (red list, awards), serious-dishonesty list entries,
business abnormality, credit commitments and their fulfilment, credit evaluation, judicial
information, other information, and the local supplementary content of the catalogue.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from xinyong.disclosure.masking import mask_identity_number, mask_person_name

PERSON = "natural_person"
NUMBER_PREFIX = "XYBG"
#: Crockford's base 32 (no I, L, O, U): read aloud and typed back without ambiguity.
TOKEN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: 8 characters of 32 = 40 bits: numbers cannot be enumerated by guessing (Art. 18).
TOKEN_LENGTH = 8
_NUMBER = re.compile(rf"^{NUMBER_PREFIX}-\d{{8}}-[{TOKEN_ALPHABET}]{{{TOKEN_LENGTH}}}$")


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    title_zh: str
    title_en: str


SECTIONS: tuple[Section, ...] = (
    Section("registration", "登记注册基本信息", "Registration basics"),
    Section("administrative", "行政管理信息（行政许可、行政处罚）", "Administrative management"),
    Section("honours", "诚实守信相关荣誉信息", "Honour and trustworthiness"),
    Section("serious_dishonesty", "严重失信主体名单信息", "Serious-dishonesty list entries"),
    Section("abnormality", "经营（活动）异常名录信息", "Business abnormality"),
    Section("commitments", "信用承诺及履行情况信息", "Credit commitments and fulfilment"),
    Section("evaluation", "信用评价结果信息", "Credit evaluation"),
    Section("judicial", "司法裁判及执行信息", "Judicial information"),
    Section("other", "其他信息", "Other information"),
    Section("local", "地方补充信息", "Local supplementary content"),
)
SECTION_CODES = tuple(s.code for s in SECTIONS)

#: Catalogue category (national basic catalogue, 2024) → report section.
_BY_CATEGORY = {
    "registration_basic": "registration",
    "administrative": "administrative",
    "qualification": "administrative",
    "honours": "honours",
    "serious_dishonesty_list": "serious_dishonesty",
    "abnormal_operation": "abnormality",
    "credit_commitment": "commitments",
    "credit_evaluation": "evaluation",
    "judicial": "judicial",
}


def section_of(*, category: str, tier: str) -> str:
    """The report section of a catalogue item: every local supplementary item goes to the
    local section (CAT-1), national items by their category, the rest to "other"."""
    if tier == "local":
        return "local"
    return _BY_CATEGORY.get(category, "other")


class RecordState(StrEnum):
    """A record as its subject sees it (Art. 31): whether it is still in effect, and why not."""

    IN_EFFECT = "in_effect"
    WITHDRAWN = "withdrawn"  # Art. 18, 33, 34
    REPAIRED = "repaired"  # Art. 36
    EXPIRED = "expired"  # past its query period, Art. 35


def record_state(
    *, withdrawn: bool, repaired: bool, window_ends_on: date | None, today: date
) -> RecordState:
    """Withdrawal wins over repair, repair over expiry."""
    if withdrawn:
        return RecordState.WITHDRAWN
    if repaired:
        return RecordState.REPAIRED
    if window_ends_on is not None and today > window_ends_on:
        return RecordState.EXPIRED
    return RecordState.IN_EFFECT


def in_report(state: RecordState) -> bool:
    """Whether a record is printed in the credit report. A report is handed to third parties,
    so it carries only information still in effect: a withdrawn, repaired or expired record
    would defeat Art. 33–36 once printed. The subject still sees all of it (self-query)."""
    return state is RecordState.IN_EFFECT


#: Double-publicity party columns (DESIGN §3a): who the record is about. The report's head
#: already names the subject, so outside the registration section they only repeat it.
PARTY_FIELD_PREFIXES = ("XDR_", "FR_", "FRDB")


def printed_field(code: str, value: object, *, section: str, heading: Collection[str] = ()) -> bool:
    """Whether a record's field is printed in the report: not empty, not a value its heading
    already shows (document number, decision date), and not a repetition of the subject's own
    name and identifiers — except in the registration section, where they are the information
    itself. Every field stays in the self-query."""
    if value is None or value == "" or (isinstance(value, str) and value in heading):
        return False
    return section == "registration" or not code.startswith(PARTY_FIELD_PREFIXES)


def report_number(day: date, token: str) -> str:
    """``XYBG-20260930-7K3QX9MD``: issue date (platform zone) and a random token."""
    return f"{NUMBER_PREFIX}-{day:%Y%m%d}-{token}"


def normalise_number(value: str) -> str | None:
    """A report number as typed (spaces, lower case, full-width characters) in its stored form,
    or ``None`` when it cannot be one."""
    v = unicodedata.normalize("NFKC", value).strip().upper()
    return v if _NUMBER.match(v) else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(content: Any) -> bytes:
    """Sorted keys, no insignificant white space, UTF-8: equal content, equal bytes."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable
    ).encode("utf-8")


def content_digest(content: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of a report's content."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


def masked_subject(*, type_: str, code: str, name: str) -> str:
    """The subject as public verification shows it: the code keeps its first 6 characters
    (region) and its check character; a natural person's name is masked (Art. 18; DIS-3)."""
    shown = mask_person_name(name) if type_ == PERSON else name
    return f"{shown}（{mask_identity_number(code)}）"
