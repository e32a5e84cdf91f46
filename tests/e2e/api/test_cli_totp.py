"""``xinyong user totp-reset`` against a real, committed database (PLT-1)."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from tests.conftest import FROZEN
from tests.e2e.api.test_cli_accounts import run  # noqa: F401  (fixture)
from tests.factories.accounts import PASSWORD
from xinyong.accounts import second_factor
from xinyong.accounts import service as accounts
from xinyong.accounts.models import TotpFactor
from xinyong.audit.models import AuditEntry
from xinyong.core.config import Settings
from xinyong.db.session import make_engine, make_session_factory


def test_the_operator_resets_a_lost_factor(run, fresh_db_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert run("org", "add", "--code", "GZ", "--name", "省信用办", "--kind", "office")[0] == 0
    code, out = run(
        "user", "add", "--username", "sys", "--password", PASSWORD, "--org", "GZ",
        "--role", "sysadmin",
    )  # fmt: skip
    assert code == 0, out
    code, out = run("user", "totp-reset", "--username", "sys")
    assert code != 0
    assert "未启用两步验证" in out

    engine = make_engine(fresh_db_url)
    settings = Settings(secret_key="cli-test-key")
    with make_session_factory(engine)() as session:
        user = accounts.authenticate(
            session, username="sys", password=PASSWORD, at=FROZEN, settings=settings
        )
        actor = accounts.actor_for(user)
        started = second_factor.start_enrolment(session, actor=actor, at=FROZEN, settings=settings)
        second_factor.confirm_enrolment(
            session, actor=actor, code=pyotp.TOTP(started.secret).at(FROZEN), at=FROZEN,
            settings=settings,
        )  # fmt: skip
        session.commit()  # the enrolment's use case ends here

    code, out = run("user", "totp-reset", "--username", "sys", "--reason", "手机丢失")
    assert code == 0, out
    with make_session_factory(engine)() as session:
        factors = list(session.scalars(select(TotpFactor)))
        assert all(f.ended_at is not None and f.secret_sealed == "" for f in factors)
        entry = session.scalar(select(AuditEntry).where(AuditEntry.tag == "accounts:totp:reset"))
        assert entry is not None
        assert entry.reason == "手机丢失"
    engine.dispose()
