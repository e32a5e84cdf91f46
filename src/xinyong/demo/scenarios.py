"""The demo province through the services (issue 14 item 8): subjects' records from several
departments over three years, objections and repairs in every state, list procedures at every
step, inquiries and checks by several organs, commitments and a red list.

Everything goes through the same service functions the pages and the API call, so provenance,
audit entries and marks are real. ``load_province`` runs once: a second ``demo load`` finds
the province's first subject registered and leaves everything as it is.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.catalogue.models import CatalogueItem, CatalogueItemVersion, VersionStatus
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import XinyongError
from xinyong.demo.province import (
    SEED,
    ProvinceSubject,
    day_within,
    field_value,
    state_organs,
    subjects,
)
from xinyong.records.delivery import operator_for_org
from xinyong.records.schemas import RecordBatchCreate, RecordCreate
from xinyong.records.service import deliver_records
from xinyong.subjects import service as subjects_service

#: How many records the province's departments deliver (besides registration records).
RECORDS = 2800
#: Items delivered only by their registered source (Art. 25, 26), and by whom.
ITEM_PROVIDER = {
    "judgment_default": "GZ-HPC",
    "court_judgment": "GZ-HPC",
    "serious_dishonesty": "GZ-SAMR",
    "tax_arrears": "GZ-TAX",
    "business_abnormality": "ZY-SAMR",
    "registration_basic": "GZ-SAMR",
}
#: Departments that deliver every other item, in turn.
GENERAL_PROVIDERS = ("GZ-SAMR", "ZY-SAMR", "GZ-HRSS", "GZ-TAX")
#: Items that come through their own procedures, not as a department's delivery.
OWN_PATH = frozenset({"red_list", "credit_commitment", "voluntary_statement"})
SEVERITIES = ("minor", "general", "serious")
#: What a demo subject account shows, as its display name says (Chinese: it is a name).
_STATE_ZH = {
    "received": "已受理", "assistance": "协助核查中", "upheld": "成立", "rejected": "不成立",
    "repaired": "已修复", "refused": "不予修复", "proposed": "已提议",
    "statement_period": "陈述申辩期", "decided": "已决定", "served": "已送达",
    "published": "已公示",
}  # fmt: skip


@dataclass
class ProvinceResult:
    subjects: int = 0
    records: int = 0
    rejected: list[str] = field(default_factory=list)


def _published_items(session: Session) -> list[tuple[str, dict[str, Any]]]:
    rows = session.execute(
        select(CatalogueItem.code, CatalogueItemVersion)
        .join(CatalogueItemVersion, CatalogueItemVersion.item_id == CatalogueItem.id)
        .where(CatalogueItemVersion.status == VersionStatus.PUBLISHED)
        .order_by(CatalogueItem.code)
    ).all()
    out = []
    for code, version in rows:
        out.append(
            (
                code,
                {
                    "fields": list(version.fields),
                    "types": list(version.subject_types),
                    "severity": None
                    if version.default_severity is None
                    else str(version.default_severity.value),
                },
            )
        )
    return out


def _provider_uscc(session: Session, org_code: str) -> tuple[str, str]:
    from xinyong.accounts.models import Organisation

    org = session.scalar(select(Organisation).where(Organisation.code == org_code))
    assert org is not None
    return org.name, org.uscc or ""


def _payload(
    code: str,
    spec: dict[str, Any],
    subject: ProvinceSubject,
    provider: tuple[str, str],
    rng: random.Random,
    today: date,
    n: int,
) -> RecordCreate:
    day = day_within(rng, today)
    fields: dict[str, Any] = {}
    for f in spec["fields"]:
        value = field_value(f, subject=subject, provider=provider, rng=rng, day=day, n=n)
        wanted = f.get("required") or f.get("source_required") or str(f["code"]).startswith("XDR")
        if value is not None and (wanted or rng.random() < 0.7):
            fields[str(f["code"])] = value
    data: dict[str, Any] = {
        "item": code,
        "source_id": f"DEMO-{code}-{n:05d}",
        "fields": fields,
        "decided_on": day.isoformat(),
    }
    if code == "registration_basic":
        data["fields"]["XDR_SHXYM"] = subject.code
    if spec["severity"] is not None:
        data["severity"] = (
            "serious" if code in ("judgment_default", "serious_dishonesty") else (SEVERITIES[n % 3])
        )
    data["subject"] = {"type": subject.type, "id": subject.code, "name": subject.name}
    return RecordCreate.model_validate(data)


def _fits(spec: dict[str, Any], subject: ProvinceSubject) -> bool:
    return subject.type in spec["types"]


def load_province(session: Session, *, at: datetime, records: int = RECORDS) -> ProvinceResult:
    """The province once (a second call finds it and returns). ``records``: fewer for tests
    that need the pages filled, not the volume."""
    result = ProvinceResult()
    today = local_date(at)
    rng = random.Random(SEED)
    people = subjects(rng, today=today)
    organs = state_organs(rng)
    if subjects_service.find_by_code(session, people[0].code) is not None:
        return result  # loaded before: the province is the same every time
    items = dict(_published_items(session))
    providers = {
        c: _provider_uscc(session, c) for c in {*ITEM_PROVIDER.values(), *GENERAL_PROVIDERS}
    }
    batches: dict[str, list[RecordCreate]] = defaultdict(list)
    n = 0
    # Every organisation has its registration record (the subject page's header card).
    for s in people:
        if s.type in items["registration_basic"]["types"]:
            batches["GZ-SAMR"].append(
                _payload("registration_basic", items["registration_basic"], s,
                         providers["GZ-SAMR"], rng, today, n)
            )  # fmt: skip
            n += 1
    codes = sorted(c for c in items if c not in OWN_PATH and c != "registration_basic")
    everyone = people + organs
    for k in range(records):
        code = codes[k % len(codes)]
        spec = items[code]
        candidates = [s for s in everyone if _fits(spec, s)]
        subject = candidates[rng.randrange(len(candidates))]
        org = ITEM_PROVIDER.get(code) or GENERAL_PROVIDERS[k % len(GENERAL_PROVIDERS)]
        batches[org].append(_payload(code, spec, subject, providers[org], rng, today, n))
        n += 1
    for org, payloads in sorted(batches.items()):
        actor = operator_for_org(session, org)
        for start in range(0, len(payloads), 500):
            chunk = payloads[start : start + 500]
            out = deliver_records(
                session, actor=actor, data=RecordBatchCreate(records=chunk), at=at
            )
            result.records += out.accepted
            for r in out.results:
                if r.outcome == "rejected":
                    result.rejected.append(
                        f"{chunk[r.index].item}: {json.dumps(r.error, ensure_ascii=False)}"
                    )
    result.subjects = len(people) + len(organs)
    _Scenes(session, at, rng, people, result).run()
    return result


class _Scenes:
    """The procedures of the province, each step through its service at the platform's now."""

    def __init__(
        self,
        session: Session,
        at: datetime,
        rng: random.Random,
        people: list[ProvinceSubject],
        result: ProvinceResult,
    ) -> None:
        self.db, self.at, self.rng, self.people, self.result = session, at, rng, people, result
        self.today = local_date(at)

    def run(self) -> None:
        for scene in (
            self.objections,
            self.repairs,
            self.list_procedures,
            self.red_list,
            self.commitments,
        ):
            try:
                with self.db.begin_nested():  # only this scene is undone
                    scene()
            except XinyongError as exc:  # a scene that cannot run must not hide the others
                self.result.rejected.append(f"{scene.__name__}: {exc.code}: {exc.message}")
        # Last and outside any savepoint: a refused inquiry is committed at once with its log
        # entry (Art. 20, a kept write), which a savepoint around it could not survive.
        self.inquiries_and_checks()

    # -- accounts --------------------------------------------------------------------------
    def user(self, username: str) -> Actor:
        from xinyong.accounts.models import UserAccount
        from xinyong.accounts.sessions import actor_for

        user = self.db.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None, username
        return actor_for(user, subject_id=self._subject_id(user.subject_code))

    def _subject_id(self, code: str | None) -> int | None:
        if code is None:
            return None
        found = subjects_service.find_by_code(self.db, code)
        return None if found is None else found.id

    def subject_account(self, s: ProvinceSubject, n: int, shows: str = "") -> Actor:
        from xinyong.accounts import service as accounts
        from xinyong.demo.data import DEMO_PASSWORD

        username = f"demo-subject-{n:02d}"
        accounts.add_user(
            self.db, actor=accounts.OPERATOR, username=username, password=DEMO_PASSWORD,
            org_code=None, role="subject", display_name=f"{s.name} · {shows}"[:100],
            subject_code=s.code,
            at=self.at, demo_account=True,
        )  # fmt: skip
        self.db.flush()
        return self.user(username)

    def records_of(self, s: ProvinceSubject, *, negative: bool = True) -> list[Any]:
        from xinyong.records.models import Record

        found = subjects_service.find_by_code(self.db, s.code)
        if found is None:
            return []
        q = select(Record).where(Record.subject_id == found.id).order_by(Record.id)
        rows = list(self.db.scalars(q))
        return [r for r in rows if not negative or str(r.polarity) == "negative"]

    def with_negative(self, kinds: tuple[str, ...], count: int, skip: set[str]) -> list[Any]:
        out = []
        for s in self.people:
            if s.kind in kinds and s.code not in skip and self.records_of(s):
                out.append(s)
                skip.add(s.code)
                if len(out) == count:
                    break
        return out

    # -- scenes ----------------------------------------------------------------------------
    def objections(self) -> None:
        """Objections in every state: received, assistance, upheld, rejected (Art. 32)."""
        from xinyong.objections import decisions
        from xinyong.objections import service as objections

        self.used: set[str] = set()
        office = self.user("office")
        plan = ("received", "assistance", "upheld", "rejected", "received", "rejected")
        for n, (s, state) in enumerate(
            zip(
                self.with_negative(("legal_person", "natural_person"), 6, self.used),
                plan,
                strict=False,
            )
        ):
            subject = self.subject_account(s, n + 1, "异议" + _STATE_ZH[state])
            record = self.records_of(s)[0]
            o, _ = objections.file_objection(
                self.db, actor=subject, record_id=record.id, at=self.at,
                reason="该记录的处罚决定已被复议机关变更，信息与事实不符，请予核查更正。",
            )  # fmt: skip
            if state == "assistance":
                objections.request_assistance(
                    self.db, actor=office, objection_id=o.id, at=self.at,
                    assisting_unit="遵义市市场监督管理局",
                )  # fmt: skip
            elif state in ("upheld", "rejected"):
                decisions.decide_objection(
                    self.db, actor=office, objection_id=o.id, outcome=state, at=self.at,
                    reason="经与信息提供单位核实，" + ("异议成立，予以更正。" if state == "upheld"
                                                      else "原记录与处罚决定书一致，异议不成立。"),
                    action="withdraw" if state == "upheld" else None,
                )  # fmt: skip
            self.db.flush()

    def repairs(self) -> None:
        """Repair applications received, repaired and refused (Art. 36)."""
        from xinyong.repair import decisions
        from xinyong.repair import service as repair

        office = self.user("office")
        plan: tuple[str, ...] = ("received", "repaired", "refused", "received", "repaired")
        n = 10
        for s in self.people:
            if len(plan) == 0:
                break
            if s.code in self.used or s.kind not in ("legal_person", "individual_business"):
                continue
            candidates = [
                r for r in self.records_of(s)
                if str(r.severity) in ("minor", "general") and r.item_code in (
                    "admin_penalty", "business_abnormality", "tax_arrears"
                )
            ]  # fmt: skip
            if not candidates:
                continue
            n += 1
            self.used.add(s.code)
            subject = self.subject_account(s, n, "信用修复" + _STATE_ZH[plan[0]])
            try:
                with self.db.begin_nested():
                    application = repair.apply_for_repair(
                        self.db, actor=subject, record_id=candidates[0].id, evidence=None,
                        statement="已全额缴纳罚款并完成整改，现申请信用修复。", commitment=None,
                        obligations_fulfilled=True, at=self.at,
                    )  # fmt: skip
            except XinyongError:  # not yet eligible (Art. 36 minimum periods): the next one
                continue
            state, plan = plan[0], plan[1:]
            if state != "received":
                decisions.decide_repair(
                    self.db, actor=office, repair_id=application.id, outcome=state, at=self.at,
                    reason="整改材料齐全，符合修复条件。" if state == "repaired"
                    else "尚未满足最短公示期限，不予修复。",
                )  # fmt: skip
            self.db.flush()

    def list_procedures(self) -> None:
        """Serious dishonesty list procedures stopped at every step (Art. 25–27, 29)."""
        from xinyong.lists import service as lists
        from xinyong.lists.models import ServiceMethod
        from xinyong.lists.schemas import DecisionCreate, ProcedureCreate, ServiceCreate

        office = self.user("office")
        organ = self.user("inquirer")
        steps = ("proposed", "statement_period", "decided", "served", "published", "published")
        people = [s for s in self.people if s.kind == "natural_person" and s.code not in self.used]
        for n, (s, last) in enumerate(zip(people, steps, strict=False)):
            self.used.add(s.code)
            records = [r.id for r in self.records_of(s)][:2]
            p = lists.propose(
                self.db, actor=organ, at=self.at,
                data=ProcedureCreate(
                    subject=s.code, ground="market_order", records=records,
                    legal_basis="《贵州省社会信用条例》第二十五条第二项",
                    facts="当事人多次拒不履行生效行政处罚决定，严重扰乱市场秩序。",
                ),
            )  # fmt: skip
            if last != "proposed":
                lists.send_prior_notice(self.db, actor=office, procedure_id=p.id, at=self.at)
            if last in ("decided", "served", "published"):
                subject = self.subject_account(s, 20 + n, "名单程序" + _STATE_ZH[last])
                lists.record_statement(
                    self.db, actor=subject, procedure_id=p.id, kind="waiver",
                    text="放弃陈述申辩", at=self.at,
                )  # fmt: skip
                lists.decide(
                    self.db, actor=office, procedure_id=p.id, at=self.at,
                    data=DecisionCreate(
                        reasons="经查证属实，当事人拒不履行法定义务，情节严重。",
                        measures="依法限制参与政府采购、评优评先。",
                    ),
                )  # fmt: skip
            if last in ("served", "published"):
                lists.record_service(
                    self.db, actor=office, procedure_id=p.id, at=self.at,
                    data=ServiceCreate(method=ServiceMethod.PLATFORM),
                )  # fmt: skip
            if last == "published":
                lists.publish_entry(self.db, actor=office, procedure_id=p.id, at=self.at)
            self.db.flush()

    def red_list(self) -> None:
        """Typical trustworthy subjects adopted by the credit office (Art. 22)."""
        from xinyong.lists import service as lists
        from xinyong.lists.schemas import RedListCreate

        office = self.user("office")
        chosen = [s for s in self.people if s.kind in ("legal_person", "natural_person")
                  and s.code not in self.used and not self.records_of(s)][:8]  # fmt: skip
        for n, s in enumerate(chosen):
            self.used.add(s.code)
            lists.adopt_red_list_entry(
                self.db, actor=office, at=self.at,
                data=RedListCreate(
                    subject=s.code,
                    title="诚信示范企业" if s.kind == "legal_person" else "诚信之星",
                    basis="《贵州省社会信用条例》第二十二条",
                    reason="连续三年无失信记录，积极履行社会责任。",
                    adopted_on=self.today - timedelta(days=30 * (n + 1)),
                ),
            )  # fmt: skip
            self.db.flush()

    def commitments(self) -> None:
        """Commitments in licensing matters, open, fulfilled and breached (Art. 8)."""
        from xinyong.measures import commitments
        from xinyong.measures.schemas import CommitmentClose, CommitmentCreate

        provider = self.user("provider")
        unit = _provider_uscc(self.db, "GZ-SAMR")[1]
        chosen = [s for s in self.people if s.kind == "legal_person" and s.code not in self.used]
        for n, s in enumerate(chosen[:9]):
            c = commitments.record_commitment(
                self.db, actor=provider, at=self.at,
                data=CommitmentCreate(
                    subject=s.code, matter="食品经营许可（告知承诺制）", unit_uscc=unit,
                    terms="承诺所提交材料真实有效，并在三个月内补齐消防验收材料。",
                    due_on=self.today + timedelta(days=90 - 40 * (n % 3)),
                ),
            )  # fmt: skip
            close = CommitmentClose(note="经核查")
            if n % 3 == 1:
                commitments.mark_fulfilled(
                    self.db, actor=provider, commitment_id=c.id, data=close, at=self.at
                )
            elif n % 3 == 2:
                commitments.mark_breached(
                    self.db, actor=provider, commitment_id=c.id, data=close, at=self.at
                )
            self.db.flush()

    def inquiries_and_checks(self) -> None:
        """Inquiries and credit checks by several organs (Art. 19–21, 23)."""
        from xinyong.inquiry import service as inquiry
        from xinyong.measures import checks

        organs = ("inquirer", "inquirer-zy", "inquirer-qdn")
        purposes = ("licensing", "public_resource_trading", "inspection")
        for n, s in enumerate(self.people[::12]):
            actor = self.user(organs[n % 3])
            try:  # a refusal writes only its own log entry, committed before it is raised
                if n % 2:
                    checks.run_check(
                        self.db, actor=actor, subject_code=s.code, matter=purposes[n % 3],
                        at=self.at,
                    )  # fmt: skip
                else:
                    inquiry.inquire(
                        self.db, actor=actor, subject_code=s.code, purpose=purposes[n % 3],
                        at=self.at,
                    )  # fmt: skip
            except XinyongError as exc:
                self.result.rejected.append(f"inquiry: {exc.code}: {exc.message}"[:300])


def example_subjects(session: Session) -> list[tuple[str, str, str]]:
    """(username, subject code, what it shows) of the province's subject accounts, for
    ``xinyong demo accounts``; empty before ``demo load``."""
    from xinyong.accounts.models import UserAccount

    rows = session.scalars(
        select(UserAccount)
        .where(UserAccount.username.like("demo-subject-%"))
        .order_by(UserAccount.username)
    )
    return [(u.username, u.subject_code or "", u.display_name or "") for u in rows]
