"""Every route of the OpenAPI document × every role × own/other object, against ONE table.

Separation of duties (issue 12 item 7, PLT-1): the table below says, for each operation, which
roles may use it. An operation missing from the table fails the test — a new route is added to
the table when it is written. Every mismatch is reported at once.

How an answer is judged (bodies are generated minimal-valid from the OpenAPI schema):

* an allowed role must not be answered 401/403 (nor 404 on a real object it may see); 2xx and
  the other 4xx (a 409, a 422 for a body the service finds wanting) count as "allowed";
* a refused role must be answered 401, 403, 404 or 405 — anything else means it got through;
* a 5xx is always a mismatch.

Routes whose objects the world below does not build use an id that does not exist: there an
allowed role's 404 is accepted (the role-level check is what is exercised).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.documents.models
import xinyong.feed.models
import xinyong.lists.models
import xinyong.objections.models
import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import PASSWORD, actor_of, make_org, make_user
from tests.factories.disclosure import penalty, resident_id, uscc
from tests.factories.lists import proposal
from tests.factories.objections import make_world
from xinyong.accounts.models import Organisation
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.institutions import repository as institutions_repo
from xinyong.lists import proposal as lists_proposal
from xinyong.objections import service as objections
from xinyong.subjects import service as subjects

ROLES = (
    "public",
    "subject",
    "provider",
    "inquirer",
    "institution",
    "credit_office",
    "sysadmin",
    "secadmin",
    "auditor",
)
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"public"}
ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})
NONE: frozenset[str] = frozenset()


def only(*roles: str) -> frozenset[str]:
    assert set(roles) <= ALL, roles
    return frozenset(roles)


OFFICE = only("credit_office")

#: (method, path template) → the roles allowed; or, where the object matters, a mapping from a
#: named object of the world (:data:`OBJECTS`: "own" or "other" in its name says to whom it
#: belongs) to the roles allowed on it.
Expect = frozenset[str] | Mapping[str, frozenset[str]]
TABLE: dict[tuple[str, str], Expect] = {
    # platform and authentication
    ("GET", "/healthz"): ALL,
    # the periodic jobs (issue 15 item 4); /metrics and /readyz are outside the API document
    ("GET", "/api/v1/office/jobs"): OFFICE,
    ("POST", "/api/v1/auth/token"): ALL,
    ("GET", "/api/v1/auth/totp"): SIGNED_IN,
    # a second factor is for the accounts that may hold one: the office and the administrators
    ("POST", "/api/v1/auth/totp"): OFFICE | ADMINS,
    ("POST", "/api/v1/auth/totp/confirm"): OFFICE | ADMINS,
    ("POST", "/api/v1/auth/totp/disable"): OFFICE | ADMINS,
    ("GET", "/api/v1/auth/me"): ALL,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/api/v1/security/policy"): only("secadmin"),
    ("PUT", "/api/v1/security/policy"): only("secadmin"),
    ("GET", "/api/v1/security/second-factors"): only("secadmin"),
    ("POST", "/api/v1/security/second-factors/{username}/reset"): only("secadmin"),
    # accounts and organisations: the system administrator's alone (PLT-1, DESIGN §6)
    ("GET", "/api/v1/admin/users"): only("sysadmin"),
    ("POST", "/api/v1/admin/users"): only("sysadmin"),
    ("POST", "/api/v1/admin/users/{username}/disable"): only("sysadmin"),
    ("POST", "/api/v1/admin/users/{username}/enable"): only("sysadmin"),
    ("POST", "/api/v1/admin/users/{username}/password"): only("sysadmin"),
    ("PUT", "/api/v1/admin/users/{username}/subject"): only("sysadmin"),
    ("PUT", "/api/v1/admin/users/{username}/authority"): only("sysadmin"),
    ("GET", "/api/v1/admin/organisations"): only("sysadmin"),
    ("POST", "/api/v1/admin/organisations"): only("sysadmin"),
    ("GET", "/api/v1/identifiers/check"): ALL,
    ("GET", "/api/v1/calendar/deadline"): ALL,
    ("GET", "/api/v1/calendar/overrides"): ALL,
    ("POST", "/api/v1/calendar/overrides"): OFFICE,
    ("POST", "/api/v1/calendar/years"): OFFICE,
    # the audit log: its checkpoint is public, its entries and proofs the auditor's (PLT-1)
    ("GET", "/api/v1/audit/checkpoint"): ALL,
    ("POST", "/api/v1/audit/checkpoint"): only("auditor"),
    ("GET", "/api/v1/audit/entries"): only("auditor"),
    ("GET", "/api/v1/audit/proofs/inclusion"): only("auditor"),
    ("GET", "/api/v1/audit/proofs/consistency"): only("auditor"),
    ("GET", "/api/v1/audit/checkpoints"): only("auditor"),
    ("POST", "/api/v1/audit/verification"): only("auditor"),
    # catalogue (CAT-3): published items are public; the office drafts, comments are open
    ("GET", "/api/v1/catalogue/items"): ALL,
    ("POST", "/api/v1/catalogue/items"): OFFICE,
    ("GET", "/api/v1/catalogue/items/{code}"): ALL,
    ("POST", "/api/v1/catalogue/items/{code}/versions"): OFFICE,
    ("POST", "/api/v1/catalogue/items/{code}/comment"): OFFICE,
    ("POST", "/api/v1/catalogue/items/{code}/opinions"): OFFICE,
    ("POST", "/api/v1/catalogue/items/{code}/report"): OFFICE,
    ("POST", "/api/v1/catalogue/items/{code}/publish"): OFFICE,
    ("GET", "/api/v1/catalogue/items/{code}/sources"): OFFICE,
    ("POST", "/api/v1/catalogue/items/{code}/sources"): OFFICE,
    ("DELETE", "/api/v1/catalogue/items/{code}/sources/{org}"): OFFICE,
    # supervision and dashboard (the office's; a provider its own figures)
    ("GET", "/api/v1/supervision/providers"): OFFICE,
    ("GET", "/api/v1/supervision/providers.csv"): OFFICE,
    ("GET", "/api/v1/supervision/mine"): only("provider", "institution"),
    ("GET", "/api/v1/supervision/mine.csv"): only("provider", "institution"),
    ("GET", "/api/v1/dashboard"): OFFICE,
    ("GET", "/api/v1/dashboard/{panel}.csv"): OFFICE,
    # change feed and webhooks
    ("GET", "/api/v1/changes"): only("provider", "inquirer", "credit_office"),
    ("GET", "/api/v1/webhooks"): only("provider", "inquirer", "credit_office"),
    ("POST", "/api/v1/webhooks"): only("provider", "inquirer", "credit_office"),
    ("GET", "/api/v1/webhooks/{subscription_id}/deliveries"): only(
        "provider", "inquirer", "credit_office"
    ),
    # records (COL): the provider its own, the office any; changes only by the provider, the
    # office through the correction procedures (Art. 33, 34)
    ("GET", "/api/v1/records/export.csv"): only("provider", "institution", "credit_office"),
    ("POST", "/api/v1/records"): only("provider", "institution", "subject"),
    ("POST", "/api/v1/records/batches"): only("provider", "institution"),
    ("GET", "/api/v1/records/{record_id}"): {
        "provider_own_record": only("provider", "credit_office"),
        "other_provider_record": OFFICE,
    },
    ("DELETE", "/api/v1/records/{record_id}"): {"provider_own_record": NONE},
    ("POST", "/api/v1/records/{record_id}/amendments"): {
        "provider_own_record": only("provider"),
        "other_provider_record": NONE,
    },
    ("POST", "/api/v1/records/{record_id}/withdrawal"): {
        "provider_own_record": only("provider"),
        "other_provider_record": NONE,
    },
    # disclosure and reports
    ("GET", "/api/v1/public/subjects"): ALL,
    ("GET", "/api/v1/public/subjects/{code}"): ALL,
    ("GET", "/api/v1/public/lists"): ALL,
    # open data of public records (issue 17 item 5): anyone
    ("GET", "/api/v1/public/open-data"): ALL,
    ("GET", "/api/v1/public/open-data/{item}/{day}.csv"): ALL,
    ("GET", "/api/v1/public/open-data/{item}/{day}.json"): ALL,
    ("GET", "/api/v1/me/credit"): only("subject"),
    ("GET", "/api/v1/me/report.pdf"): only("subject"),
    ("GET", "/api/v1/reports/{number}"): ALL,
    ("GET", "/api/v1/special-report/domains"): ALL,
    ("GET", "/api/v1/me/special-report.pdf"): only("subject"),
    ("POST", "/api/v1/watches"): only("inquirer", "institution"),
    ("GET", "/api/v1/watches"): only("inquirer", "institution"),
    ("DELETE", "/api/v1/watches/{watch_id}"): only("inquirer", "institution"),
    ("GET", "/api/v1/me/watchers"): only("subject"),
    # batch checks (批量比对): an account reads only its own batches (others' ids are 404)
    ("POST", "/api/v1/checks/batches"): only("inquirer", "institution"),
    ("GET", "/api/v1/checks/batches"): only("inquirer", "institution"),
    ("GET", "/api/v1/checks/batches/{batch_id}"): only("inquirer", "institution"),
    ("GET", "/api/v1/checks/batches/{batch_id}/results.csv"): only("inquirer", "institution"),
    ("GET", "/api/v1/records/{record_id}/repair-notice.pdf"): only(
        "provider", "institution", "credit_office"
    ),
    # inquiries (INQ)
    ("POST", "/api/v1/inquiries"): only("inquirer"),
    # the inquiry log is read by the auditor (INQ, PLT-1)
    ("GET", "/api/v1/inquiries"): only("auditor"),
    ("POST", "/api/v1/authorized-inquiries"): only("institution"),
    ("POST", "/api/v1/window-inquiries"): OFFICE,
    ("GET", "/api/v1/inquiries.csv"): only("auditor"),
    ("GET", "/api/v1/me/inquiries"): only("subject"),
    ("GET", "/api/v1/me/consents"): only("subject"),
    ("POST", "/api/v1/consents"): only("subject"),
    ("DELETE", "/api/v1/consents/{consent_id}"): only("subject"),
    ("GET", "/api/v1/violations"): OFFICE,
    # objections (Art. 32) and corrections (Art. 33, 34)
    ("POST", "/api/v1/objections"): only("subject"),
    ("GET", "/api/v1/objections"): only("subject", "provider", "institution", "credit_office"),
    ("GET", "/api/v1/objections/{objection_id}"): {
        "subject_own_objection": only("subject", "provider", "credit_office"),
    },
    ("POST", "/api/v1/objections/{objection_id}/assistance"): {
        "subject_own_objection": only("provider", "credit_office"),
    },
    ("POST", "/api/v1/objections/{objection_id}/decision"): {
        "subject_own_objection": only("provider", "credit_office"),
    },
    ("GET", "/api/v1/corrections"): only("provider", "institution", "credit_office"),
    ("POST", "/api/v1/corrections"): only("provider", "institution", "credit_office"),
    ("POST", "/api/v1/corrections/{duty_id}/fulfilment"): only(
        "provider", "institution", "credit_office"
    ),
    # documents (PLT-4): their recipient and the credit office; never an administrator
    ("GET", "/api/v1/me/inbox"): SIGNED_IN - ADMINS,
    ("GET", "/api/v1/documents/{number}.pdf"): {
        "subject_own_document": only("subject", "credit_office"),
        "office_own_document": OFFICE,
        "office_org_document": OFFICE,
    },
    ("GET", "/api/v1/documents/{number}"): {
        "subject_own_document": only("subject", "credit_office"),
        "office_own_document": OFFICE,
        "office_org_document": OFFICE,
    },
    # credit repair (Art. 40-42)
    ("POST", "/api/v1/repairs"): only("subject"),
    ("GET", "/api/v1/repairs"): only("subject", "provider", "institution", "credit_office"),
    ("GET", "/api/v1/repairs/eligibility"): only("subject"),
    ("GET", "/api/v1/repairs/{repair_id}"): only(
        "subject", "provider", "institution", "credit_office"
    ),
    ("POST", "/api/v1/repairs/{repair_id}/decision"): only(
        "provider", "institution", "credit_office"
    ),
    ("GET", "/api/v1/repairs/{repair_id}/evidence/{file_id}"): only(
        "subject", "provider", "institution", "credit_office"
    ),
    # list procedures (Art. 25-29): the proposing organ its own, the subject its own, the
    # office all; never an administrator
    ("POST", "/api/v1/lists/procedures"): only("inquirer", "credit_office"),
    ("GET", "/api/v1/lists/procedures"): only("inquirer", "credit_office"),
    ("GET", "/api/v1/lists/procedures/{procedure_id}"): {
        "inquirer_own_procedure": only("inquirer", "subject", "credit_office"),
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/notice"): {
        "inquirer_own_procedure": OFFICE,
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/statements"): {
        "inquirer_own_procedure": only("subject", "credit_office"),
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/objection"): {
        # the subject objects; the office may register it on the subject's behalf
        "inquirer_own_procedure": only("subject", "credit_office"),
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/objection-answer"): {
        "inquirer_own_procedure": OFFICE,
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/decision"): {
        # the deciding organ decides (Art. 26): this organ is no listing department of the
        # item, so the office does
        "inquirer_own_procedure": OFFICE,
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/service"): {
        "inquirer_own_procedure": OFFICE,
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/publication"): {
        "inquirer_own_procedure": OFFICE,
        "office_own_procedure": OFFICE,
    },
    ("POST", "/api/v1/lists/procedures/{procedure_id}/drop"): {
        "inquirer_own_procedure": OFFICE,
        "office_own_procedure": OFFICE,
    },
    ("GET", "/api/v1/lists/entries"): ALL,
    ("POST", "/api/v1/lists/entries/{entry_id}/removal"): only("inquirer", "credit_office"),
    ("GET", "/api/v1/me/lists"): only("subject"),
    ("GET", "/api/v1/red-list"): ALL,
    ("POST", "/api/v1/red-list"): OFFICE,
    ("POST", "/api/v1/red-list/{entry_id}/publication"): OFFICE,
    # measures (Art. 30, 31): checks by the deciding organs, the list of measures public
    ("POST", "/api/v1/checks"): only("inquirer"),
    ("POST", "/api/v1/checks/{check_id}/applied"): only("inquirer"),
    ("GET", "/api/v1/checks/{check_id}/measures"): only("inquirer"),
    ("POST", "/api/v1/checks/{check_id}/measures/{code}/decision"): only("inquirer"),
    ("POST", "/api/v1/checks/{check_id}/measures/{code}/statement-answer"): only("inquirer"),
    ("POST", "/api/v1/me/measures/{applied_id}/statement"): only("subject"),
    # the public and the subjects read the published lists; staff who apply them all
    ("GET", "/api/v1/measures"): ALL - {"institution", "sysadmin", "secadmin"},
    ("POST", "/api/v1/measures"): OFFICE,
    ("POST", "/api/v1/measures/{code}/comment"): OFFICE,
    ("POST", "/api/v1/measures/{code}/opinions"): OFFICE,
    ("POST", "/api/v1/measures/{code}/report"): OFFICE,
    ("POST", "/api/v1/measures/{code}/publication"): OFFICE,
    ("GET", "/api/v1/me/measures"): only("subject"),
    ("GET", "/api/v1/spot-checks"): OFFICE,
    ("POST", "/api/v1/spot-checks"): OFFICE,
    ("GET", "/api/v1/spot-checks/{draw_id}"): OFFICE,
    # credit commitments: taken and followed by the units that accept them (provider, organ);
    # a subject reads its own
    ("POST", "/api/v1/commitments"): only("provider", "inquirer"),
    ("GET", "/api/v1/commitments"): only("subject", "provider", "inquirer"),
    ("POST", "/api/v1/commitments/{commitment_id}/fulfilment"): only("provider", "inquirer"),
    ("POST", "/api/v1/commitments/{commitment_id}/breach"): only("provider", "inquirer"),
    # the register of credit service institutions (Art. 37, 38): public; the office files
    ("GET", "/api/v1/institutions"): ALL,
    ("POST", "/api/v1/institutions"): OFFICE,
    ("GET", "/api/v1/institutions.csv"): OFFICE,
    ("GET", "/api/v1/institutions/{filing_id}"): {"institution_own_filing": ALL},
    ("POST", "/api/v1/institutions/{filing_id}/status"): {"institution_own_filing": OFFICE},
    ("POST", "/api/v1/institutions/{filing_id}/supervision"): {"institution_own_filing": OFFICE},
    ("GET", "/api/v1/institutions/{filing_id}/supervision"): {
        # the supervision file is the office's (CSI-1), not shown to the institution
        "institution_own_filing": OFFICE,
    },
    # delivery agreements with non-public providers (Art. 14)
    ("GET", "/api/v1/agreements"): OFFICE,
    ("POST", "/api/v1/agreements"): OFFICE,
    # Purposes in force are published to anyone (Art. 19 ¶3); the office runs their lifecycle
    # and the inquirers' daily caps (Art. 18).
    ("GET", "/api/v1/purposes"): ALL,
    ("GET", "/api/v1/purposes/lifecycle"): OFFICE,
    ("POST", "/api/v1/purposes"): OFFICE,
    ("POST", "/api/v1/purposes/{code}/publication"): OFFICE,
    ("POST", "/api/v1/purposes/{code}/retirement"): OFFICE,
    ("GET", "/api/v1/inquiry-caps"): OFFICE,
    ("PUT", "/api/v1/inquiry-caps/default"): OFFICE,
    ("PUT", "/api/v1/inquiry-caps/accounts/{user_id}"): OFFICE,
}


def test_every_route_every_role(
    app: FastAPI, client: TestClient, db: Session, clock: Clock
) -> None:
    objects = build_world(db, clock)
    tokens = {role: login(client, USERNAMES[role]) for role in ROLES if role != "public"}
    spec = app.openapi()
    operations = [
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    missing = sorted(op for op in operations if op not in TABLE)
    stale = sorted(op for op in TABLE if op not in operations)
    problems: list[str] = [f"not in the table: {m} {p}" for m, p in missing]
    problems += [f"in the table but not a route: {m} {p}" for m, p in stale]
    observed: list[str] = []
    # Logging out revokes the token: those operations go last.
    operations.sort(key=lambda op: op[1].endswith("/logout"))
    for method, path in operations:
        expect = TABLE.get((method, path))
        if expect is None:
            continue
        op = spec["paths"][path][method.lower()]
        cases: list[tuple[str | None, frozenset[str]]] = (
            [(None, expect)] if isinstance(expect, frozenset) else list(expect.items())
        )
        for obj, allowed in cases:
            params = objects[obj] if obj else {}
            for role in ROLES:
                status, code = call(client, spec, method, path, op, params, tokens.get(role))
                observed.append(f"{method} {path} [{obj or '-'}] {role}: {status} {code}")
                verdict = judge(status, code, allowed=role in allowed, real=obj is not None)
                if verdict:
                    problems.append(
                        f"{method} {path} [{obj or '-'}] as {role}: {status} {code} ({verdict})"
                    )
    if os.environ.get("XINYONG_AUTHZ_DUMP"):  # every answer, to look at when the table changes
        with open(os.environ["XINYONG_AUTHZ_DUMP"], "w") as fh:
            fh.write("\n".join(observed))
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)


#: Refusals about the content of a request, not the role: a wrong password at the login, a
#: purpose outside the account's authority (the generated bodies cannot know them).
CONTENT_REFUSALS = frozenset({"invalid_credentials", "purpose_not_authorised"})


def judge(status: int, code: str, *, allowed: bool, real: bool) -> str | None:
    if status >= 500:
        return "server error"
    if allowed:
        if status in (401, 403) and code not in CONTENT_REFUSALS:
            return "refused but allowed by the table"
        if status == 404 and real:
            return "hidden from a role the table allows"
        return None
    if status in (401, 403, 404, 405):
        return None
    if status == 422 and code == "invalid_input":
        # The request's shape refused by the framework before any service ran: nothing was
        # read or done. A service's own 422 to a refused role means it examined the request
        # before asking the role — a mismatch.
        return None
    return "answered but refused by the table"


USERNAMES = {
    "subject": "subject501",
    "provider": "sjj_staff",
    "inquirer": "organ_staff",
    "institution": "csi_staff",
    "credit_office": "office_staff",
    "sysadmin": "sys_admin",
    "secadmin": "sec_admin",
    "auditor": "audit_staff",
}


def login(client: TestClient, username: str) -> str:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def build_world(db: Session, clock: Clock) -> dict[str, dict[str, Any]]:
    """One account per role and the objects the routes need, "own" to one account and
    "other" (someone else's)."""
    at = clock.now()
    w = make_world(db, at=at, seq=501)  # provider sjj_staff, its record, subject501, office
    other_code = uscc(502)
    other_record = penalty(
        db, w.other_provider, person=False, name="贵州他人示例有限公司", code=other_code,
        decided_on=date(2026, 9, 1), severity="general", at=at, doc="筑税罚〔2026〕502号",
    )  # fmt: skip
    make_org(db, at=at, code="GY-YJJ", kind="organ", name="贵阳市应急管理局")
    organ = actor_of(make_user(db, at=at, role=Role.INQUIRER, username="organ_staff",
                               org_code="GY-YJJ"))  # fmt: skip
    make_org(db, at=at, code="GZ-CSI", kind="institution", name="贵州示例信用服务有限公司")
    make_user(db, at=at, role=Role.INSTITUTION, username="csi_staff", org_code="GZ-CSI")
    # The administrators belong to the credit office's organisation, as the office's staff do.
    office_org = w.office.org_code
    for role, name in ((Role.SYSADMIN, "sys_admin"), (Role.SECADMIN, "sec_admin"),
                       (Role.AUDITOR, "audit_staff")):  # fmt: skip
        make_user(db, at=at, role=role, username=name, org_code=office_org)
    db.commit()

    objection, _ = objections.file_objection(
        db, actor=w.subject, record_id=w.record_id, reason="处罚金额有误", at=at
    )
    rep = resident_id(503)
    subjects.register_subject(
        db, actor=w.office, type="natural_person", id_value=rep, name="张法人", at=at
    )
    own_proc = lists_proposal.propose(
        db, actor=organ, data=proposal(w.code, legal_representative=rep), at=at
    )
    office_proc = lists_proposal.propose(
        db, actor=w.office, data=proposal(other_code, legal_representative=rep), at=at
    )
    to_subject = issue_document(
        db, kind=DocumentKind.OBJECTION_DECISION, title="异议处理决定书", body={"text": "示例"},
        at=at, recipient_subject_id=w.subject.subject_id,
    )  # fmt: skip
    to_office = issue_document(
        db, kind=DocumentKind.ESCALATION_NOTICE, title="逾期异议提示", body={"text": "示例"},
        at=at, recipient_office=True,
    )  # fmt: skip
    to_office_org = issue_document(
        db, kind=DocumentKind.OBJECTION_NOTICE, title="异议转办通知", body={"text": "示例"},
        at=at, recipient_org_id=w.office.org_id,
    )  # fmt: skip
    filing = institutions_repo.filing_of_org(db, org_id(db, "GZ-CSI"))
    assert filing is not None
    db.commit()
    return {
        "provider_own_record": {"record_id": w.record_id},
        "other_provider_record": {"record_id": other_record},
        "subject_own_objection": {"objection_id": objection.id},
        "subject_own_document": {"number": to_subject.number},
        "office_own_document": {"number": to_office.number},
        "office_org_document": {"number": to_office_org.number},
        "inquirer_own_procedure": {"procedure_id": own_proc.id},
        "office_own_procedure": {"procedure_id": office_proc.id},
        "institution_own_filing": {"filing_id": filing.id},
    }


def org_id(db: Session, code: str) -> int:
    org = db.query(Organisation).filter_by(code=code).one()
    return int(org.id)


# --- requests ----------------------------------------------------------------------------------


def call(
    client: TestClient,
    spec: dict[str, Any],
    method: str,
    path: str,
    op: dict[str, Any],
    params: dict[str, Any],
    token: str | None,
) -> tuple[int, str]:
    comps = spec.get("components", {}).get("schemas", {})
    url = path
    query: dict[str, Any] = {}
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        if p["in"] == "path":
            value = params.get(p["name"], phantom(schema, comps))
            url = url.replace("{" + p["name"] + "}", str(value))
        elif p["in"] == "query" and p.get("required"):
            query[p["name"]] = sample(schema, comps)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs: dict[str, Any] = {"params": query, "headers": headers}
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        kwargs["json"] = sample(content["application/json"].get("schema", {}), comps)
    elif "application/x-www-form-urlencoded" in content:
        form = sample(content["application/x-www-form-urlencoded"].get("schema", {}), comps)
        kwargs["data"] = form
    elif "multipart/form-data" in content:
        schema = resolve(content["multipart/form-data"].get("schema", {}), comps)
        files, data = {}, {}
        for name, prop in schema.get("properties", {}).items():
            prop = resolve(prop, comps)
            if prop.get("format") == "binary" or prop.get("contentMediaType"):
                files[name] = ("rows.csv", b"a,b\n1,2\n", "text/csv")
            elif name in schema.get("required", []):
                data[name] = sample(prop, comps)
        kwargs["files"] = files
        kwargs["data"] = data
    r = client.request(method, url, **kwargs)
    code = ""
    if r.headers.get("content-type", "").startswith("application/json"):
        body = r.json()
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = str(body["error"].get("code", ""))
    return r.status_code, code


def resolve(schema: dict[str, Any], comps: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = comps[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def phantom(schema: dict[str, Any], comps: dict[str, Any]) -> Any:
    """A path value that names no object."""
    schema = resolve(schema, comps)
    if schema.get("type") == "integer":
        return 987654
    return "NO-SUCH-OBJECT"


def sample(schema: dict[str, Any], comps: dict[str, Any], depth: int = 0) -> Any:
    """A minimal value that passes the schema (required fields only)."""
    schema = resolve(schema, comps)
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(s, comps).get("type") != "null"]
            return sample(options[0] if options else schema[key][0], comps, depth + 1)
    if "allOf" in schema:
        return sample(schema["allOf"][0], comps, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: sample(props.get(k, {}), comps, depth + 1) for k in schema.get("required", [])}
    if kind == "array":
        return [sample(schema.get("items", {}), comps, depth + 1)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-09-01"
        if fmt == "date-time":
            return datetime(2026, 9, 30, 10, 0).isoformat() + "+08:00"
        if fmt == "uri":
            return "https://hooks.example.org/xinyong"
        return "x" * max(int(schema.get("minLength", 1)), 1)
    return "x"
