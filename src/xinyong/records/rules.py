"""Pure rules of collection: validating a delivered row against its item's field schema
(Art. 13: timely, accurate, complete), deriving the subject, the record's identity and its
content hash (COL-1), and the conditions of amendment and withdrawal (Art. 18, 33, 44; COL-5).

No I/O, no session. Messages are Chinese first, then English.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from json.encoder import encode_basestring
from typing import Any

from xinyong.core.bounds import EARLIEST_DECISION
from xinyong.core.errors import InvalidInput, RuleViolation
from xinyong.core.identifiers import IdentifierKind
from xinyong.records.values import (
    MAX_TEXT,
    RESIDENT_ID_TYPES,
    check_id,
    parse_amount,
    parse_boolean,
    parse_date,
    text_of,
)
from xinyong.subjects.rules import SubjectRef

#: Columns a delivery file may carry besides its item's fields.
SOURCE_ID_HEADERS = ("source_id", "来源编号", "数据标识")
SEVERITY_HEADERS = ("severity", "严重程度", "失信严重程度")

#: 行政相对人类别 (XDR_LB) of the double-publicity layout → kind of party.
PARTY_PERSON = "natural_person"
PARTY_ORG = "organisation"
PARTY_INDIVIDUAL_BUSINESS = "individual_business"
PARTY_CATEGORIES = {
    "法人及非法人组织": PARTY_ORG,
    "法人和非法人组织": PARTY_ORG,
    "法人": PARTY_ORG,
    "非法人组织": PARTY_ORG,
    "自然人": PARTY_PERSON,
    "个体工商户": PARTY_INDIVIDUAL_BUSINESS,
    "legal_person": PARTY_ORG,
    "unincorporated_org": PARTY_ORG,
    "state_organ": PARTY_ORG,
    "natural_person": PARTY_PERSON,
}


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One field of an item's schema (a catalogue ``FieldSpec``, as records need it)."""

    code: str
    name_zh: str
    type: str
    required: bool = False
    enum: tuple[str, ...] = ()
    #: Required of a collection source's delivery, not of the platform's own list procedure.
    source_required: bool = False

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> FieldRule:
        return cls(
            code=str(spec["code"]),
            name_zh=str(spec.get("name_zh", spec["code"])),
            type=str(spec.get("type", "string")),
            required=bool(spec.get("required", False)),
            enum=tuple(str(v) for v in spec.get("enum") or ()),
            source_required=bool(spec.get("source_required", False)),
        )

    def for_source(self) -> FieldRule:
        """The rule as a collection source's delivery meets it (Art. 26: a listing decision
        comes with its document number, date and the day its prior notice was served)."""
        if not self.source_required or self.required:
            return self
        return replace(self, required=True)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row (or a field of it) is refused; ``line`` is the file's line (header = 1)."""

    field: str | None
    reason: str
    line: int | None = None

    def at_line(self, line: int) -> Problem:
        return Problem(self.field, self.reason, line)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(slots=True)
class CleanRow:
    """A row that passed validation, with the values the record is built from."""

    fields: dict[str, Any]
    subject: SubjectRef
    source_key: str
    severity: str | None
    decided_on: date | None
    document_no: str | None
    content_hash: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: The canonical JSON of ``fields`` (:func:`hashed_content`), when it was computed.
    fields_json: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (from the bulk import's helper) as its values in field order: a fraction of
        # the default state's cost, which sets each field in turn.
        return CleanRow, (
            self.fields, self.subject, self.source_key, self.severity, self.decided_on,
            self.document_no, self.content_hash, self.problems, self.fields_json,
        )  # fmt: skip


# --- fields -----------------------------------------------------------------------------------


def _foreign_id(code: str, values: Mapping[str, Any]) -> bool:
    """An ID number (``*_ZJHM``) whose ID type (``*_ZJLX``) is not the resident identity card
    (a passport, …) cannot be verified; it is kept as given (SUB-2: accepted, unverified)."""
    if not code.upper().endswith("ZJHM"):
        return False
    return text_of(values.get(code[:-4] + "ZJLX")) not in RESIDENT_ID_TYPES


def field_value(
    rule: FieldRule,
    raw: Any,
    allow_list: frozenset[str],
    today: date,
    context: Mapping[str, Any],
) -> Any:
    """The stored (JSON) form of one value, or ValueError with the reason."""
    kind = rule.type
    if kind == "date":
        return parse_date(raw).isoformat()
    if kind == "decimal":
        # Normalised so that "1.50" and "1.5" are the same content; "f" avoids "1E+1".
        return format(parse_amount(raw).normalize(), "f")
    if kind == "integer":
        text = text_of(raw)
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"'{text}' 不是整数 / '{text}' is not an integer")
        return int(text)
    if kind == "boolean":
        return parse_boolean(raw)
    text = text_of(raw)
    if rule.enum:
        if text not in rule.enum:
            allowed = " / ".join(rule.enum)
            raise ValueError(
                f"'{text}' 不在可选值中（{allowed}）/ '{text}' is not one of {allowed}"
            )
        return text
    if kind == "identifier" and not _foreign_id(rule.code, context):
        check = check_id(text, None, allow_list, today)
        if not check.valid:
            raise ValueError(check.error or "invalid identifier")
        return check.normalized
    if len(text) > MAX_TEXT:
        raise ValueError(f"超过 {MAX_TEXT} 字 / longer than {MAX_TEXT} characters")
    return text


def validate_fields(
    rules: Sequence[FieldRule],
    values: Mapping[str, Any],
    *,
    today: date,
    allow_list: frozenset[str] = frozenset(),
    known: frozenset[str] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check ``values`` (by field code) against the schema: required fields present, each value
    of its type. Empty values are absent. Returns the cleaned fields and the problems.

    The plain statement of the rule; delivery runs it compiled per item version
    (``rows.FieldValidator``), which tests hold to the same answers as this function."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for rule in rules:
        raw = values.get(rule.code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if rule.required:
                problems.append(
                    Problem(rule.code, f"必填项 {rule.name_zh} 为空 / {rule.code} is required")
                )
            continue
        try:
            clean[rule.code] = field_value(rule, raw, allow_list, today, values)
        except ValueError as exc:
            problems.append(Problem(rule.code, str(exc)))
    unknown = sorted(
        set(values).difference(known if known is not None else (r.code for r in rules))
    )
    for code in unknown:
        problems.append(Problem(code, f"该事项没有字段 {code} / the item has no field {code}"))
    return clean, problems


# --- derived values ---------------------------------------------------------------------------


def decision_date_field(rules: Iterable[FieldRule]) -> str | None:
    """The field holding the decision date (``CF_JDRQ``, ``XK_JDRQ``, …) of a 双公示 layout, or
    a list's adoption date (``HM_RDRQ``) where it has no other."""
    rules = tuple(rules)
    found = next((r.code for r in rules if r.code.upper().endswith("_JDRQ")), None)
    return found or next((r.code for r in rules if r.code.upper().endswith("_RDRQ")), None)


def document_no_field(rules: Iterable[FieldRule]) -> str | None:
    """The field holding the decision document number (``CF_WSH``, ``XK_WSH``, …; a list's
    ``YZ_RDWH``, ``HM_RDWH``)."""
    return next((r.code for r in rules if r.code.upper().endswith(("_WSH", "_RDWH"))), None)


def org_subject_type(uscc: str) -> str:
    """Subject type of an organisation from its USCC: registration authority 1 + type 1 is a
    state organ (机关, GB 32100-2015 table 1); other codes are legal persons."""
    return "state_organ" if uscc.startswith("11") else "legal_person"


def subject_from_fields(
    fields: Mapping[str, Any],
    *,
    allowed_types: Container[str] | None = None,
    allow_list: frozenset[str] = frozenset(),
) -> tuple[SubjectRef | None, list[Problem]]:
    """The party of a double-publicity row (Art. 2: the credit subject the record is about).

    ``XDR_LB`` says whether it is a natural person (identified by ``XDR_ZJHM``) or an
    organisation or individual business (identified by ``XDR_SHXYM``, the USCC); without
    ``XDR_LB`` the identifier present decides. Fields arrive already validated."""
    name = str(fields.get("XDR_MC") or "").strip()
    category = fields.get("XDR_LB")
    party = PARTY_CATEGORIES.get(str(category)) if category else None
    if category and party is None:
        return None, [Problem("XDR_LB", f"未知的行政相对人类别 '{category}' / unknown category")]
    if party is None:
        party = (
            PARTY_PERSON if fields.get("XDR_ZJHM") and not fields.get("XDR_SHXYM") else (PARTY_ORG)
        )
    if not name:
        return None, [Problem("XDR_MC", "行政相对人名称为空 / XDR_MC (party name) is required")]
    if party == PARTY_PERSON:
        id_value = str(fields.get("XDR_ZJHM") or "")
        id_type = str(fields.get("XDR_ZJLX") or "")
        if not id_value:
            return None, [
                Problem("XDR_ZJHM", "自然人须填写证件号码 / a natural person needs XDR_ZJHM")
            ]
        if id_type in RESIDENT_ID_TYPES:
            check = check_id(id_value, IdentifierKind.RESIDENT_ID, frozenset(), None)
            if not check.valid:
                return None, [Problem("XDR_ZJHM", check.error or "invalid")]
            id_value = check.normalized or id_value
            ref = SubjectRef("natural_person", id_value, name, "resident_id")
        else:
            kind = "passport" if "护照" in id_type or id_type == "passport" else "other"
            ref = SubjectRef("natural_person", id_value.strip().upper(), name, kind)
    else:
        uscc = str(fields.get("XDR_SHXYM") or "")
        if not uscc:
            return None, [
                Problem(
                    "XDR_SHXYM",
                    "法人、非法人组织和个体工商户须填写统一社会信用代码 / "
                    "XDR_SHXYM (Unified Social Credit Code) is required for this party",
                )
            ]
        check = check_id(uscc, IdentifierKind.USCC, allow_list, None)
        if not check.valid:
            return None, [Problem("XDR_SHXYM", check.error or "invalid")]
        uscc = check.normalized or uscc
        # An individual business (个体工商户) registers by USCC like an unincorporated body.
        org_type = "unincorporated_org" if party == PARTY_INDIVIDUAL_BUSINESS else None
        ref = SubjectRef(org_type or org_subject_type(uscc), uscc, name, "uscc")
    if allowed_types is not None and ref.type not in allowed_types:
        return None, [
            Problem(
                "XDR_LB",
                f"该事项不收集 {ref.type} 类主体 / the item does not cover subjects of type "
                f"{ref.type}",
            )
        ]
    return ref, []


def source_key(
    *, item: str, source_id: str | None, document_no: str | None, subject_code: str
) -> str:
    """The record's identity within its provider and item (COL-1): the provider's own id when
    given, else item + decision document number + subject code."""
    if source_id:
        return f"sid:{source_id}"
    if not document_no:
        raise ValueError(
            "没有 source_id 也没有决定文书号，无法确定记录身份 / "
            "neither source_id nor a decision document number: the row has no identity"
        )
    return f"doc:{item}|{document_no}|{subject_code}"


#: The canonical JSON of :func:`content_hash` (what ``json.dumps(doc, ensure_ascii=False,
#: sort_keys=True, separators=(",", ":"))`` writes), built once rather than on every row.
#: Records delivered by the API and by file are hashed alike: a redelivery compares equal.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
#: A string as that encoder writes it (``ensure_ascii=False``).
_quoted = encode_basestring


def content_hash(
    *,
    fields: Mapping[str, Any],
    subject: SubjectRef,
    severity: str | None,
    decided_on: date | None,
    document_no: str | None,
) -> str:
    """SHA-256 of the canonical content: equal content delivered again is "unchanged"."""
    return hashed_content(
        fields=fields,
        subject=subject,
        severity=severity,
        decided_on=decided_on,
        document_no=document_no,
    )[0]


def hashed_content(
    *,
    fields: Mapping[str, Any],
    subject: SubjectRef,
    severity: str | None,
    decided_on: date | None,
    document_no: str | None,
) -> tuple[str, str]:
    """:func:`content_hash`, and the canonical JSON of ``fields`` it covers (a bulk delivery
    puts it in the digest of the version row too, rather than encoding the fields again).

    The canonical document ``{"d": decided_on, "f": fields, "n": document_no, "s": [type,
    code, name], "v": severity}`` is written key by key, in its sorted order."""
    fields_json = _CANONICAL.encode(fields)
    j = _json
    text = (
        f'{{"d":{j(decided_on.isoformat() if decided_on else None)},"f":{fields_json},'
        f'"n":{j(document_no)},"s":[{j(subject.type)},{j(subject.id_value)},{j(subject.name)}],'
        f'"v":{j(severity)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest(), fields_json


def _json(value: Any) -> str:
    if value.__class__ is str:
        return _quoted(value)
    return "null" if value is None else _CANONICAL.encode(value)


def check_decided_on(decided_on: date | None, *, today: date) -> Problem | None:
    """A decision cannot be dated after today (Art. 18: no fabricated information), nor before
    1949-10-01: no organ whose decision the law records existed then (issue 12 item 3)."""
    if decided_on is not None and decided_on < EARLIEST_DECISION:
        return Problem(
            None,
            f"决定日期 {decided_on} 早于 {EARLIEST_DECISION}，不可能存在 / decision date "
            f"{decided_on} is before {EARLIEST_DECISION}: no organ could have decided then",
        )
    if decided_on is not None and decided_on > today:
        return Problem(
            None,
            f"决定日期 {decided_on} 晚于今天 / decision date {decided_on} is in the future",
        )
    return None


def resolve_severity(
    *, polarity: str, given: str | None, default: str | None
) -> tuple[str | None, Problem | None]:
    """A negative record carries a class (minor/general/serious) — the row's own or the item's
    default; other records carry none (NDRC Order 36 periods apply to negative information)."""
    if polarity != "negative":
        if given:
            return None, Problem(
                "severity", "只有失信（负面）信息有严重程度 / only negative records have a severity"
            )
        return None, None
    return given or default, None


# --- corrections (COL-5) ----------------------------------------------------------------------


def require_reason(reason: str | None, *, what: str) -> str:
    """A correction or withdrawal states its reason (Art. 33, 44: no silent change)."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(f"{what}须说明理由 / a {what} needs a reason", code="reason_required")
    return text


def require_basis(basis: str | None) -> str:
    """A withdrawal states its basis (the document revoking the decision, Art. 34)."""
    text = (basis or "").strip()
    if not text:
        raise InvalidInput(
            "撤回须说明依据（如撤销决定的文书）/ a withdrawal needs its basis "
            "(e.g. the document revoking the decision)",
            code="basis_required",
        )
    return text


def ensure_active(status: str) -> None:
    if status != "active":
        raise RuleViolation(
            "该记录已撤回，不能再更正或撤回 / the record is withdrawn; it cannot be changed",
            code="record_withdrawn",
        )


def merge_fields(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """An amendment names the fields it changes; ``null`` removes a field."""
    merged = dict(current)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def chunk_digest(hashes: Iterable[str]) -> str:
    """One SHA-256 over the content hashes of a chunk: the chunk's audit entry commits to
    every record the bulk path wrote in it."""
    h = hashlib.sha256()
    for item in hashes:
        h.update(item.encode())
        h.update(b"\n")
    return h.hexdigest()
