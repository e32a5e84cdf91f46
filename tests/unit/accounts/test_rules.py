from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.accounts import rules
from xinyong.accounts.rules import LoginState, OrgKind
from xinyong.core.actor import ADMIN_ROLES, Role

T0 = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)

LOWER = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
UPPER = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGIT = st.sampled_from("0123456789")
SYMBOL = st.sampled_from("!@#$%^&*()-_=+[]{};:,.<>/?~ 信用贵州")
CLASSES = {"lower": LOWER, "upper": UPPER, "digit": DIGIT, "symbol": SYMBOL}


def password_of(classes: list[str], length: int) -> st.SearchStrategy[str]:
    """Passwords of exactly ``length`` characters using each of ``classes`` at least once."""
    alphabet = st.one_of(*(CLASSES[c] for c in classes))
    return st.tuples(
        st.tuples(*(CLASSES[c] for c in classes)),
        st.lists(alphabet, min_size=length - len(classes), max_size=length - len(classes)),
        st.randoms(),
    ).map(lambda t: "".join(t[2].sample([*t[0], *t[1]], length)))


# --- password policy -------------------------------------------------------------------------


@given(
    st.sampled_from(
        [
            ["lower", "upper", "digit"],
            ["lower", "upper", "symbol"],
            ["upper", "digit", "symbol"],
            ["lower", "upper", "digit", "symbol"],
        ]
    ).flatmap(lambda cs: st.integers(12, 40).flatmap(lambda n: password_of(cs, n)))
)
def test_long_passwords_with_three_classes_are_accepted(password: str) -> None:
    assert rules.password_problems(password) == []


@given(st.text(max_size=11).filter(lambda s: len(rules.normalise_password(s)) < 12))
def test_passwords_shorter_than_twelve_are_refused(password: str) -> None:
    # Length counts characters after NFKC, the form that is hashed.
    problems = rules.password_problems(password)
    assert any("12" in p for p in problems)


@given(
    st.sampled_from(
        [["lower", "upper"], ["lower", "digit"], ["digit", "symbol"], ["lower"]]
    ).flatmap(lambda cs: st.integers(12, 40).flatmap(lambda n: password_of(cs, n)))
)
def test_two_classes_are_not_enough_whatever_the_length(password: str) -> None:
    problems = rules.password_problems(password)
    assert len(problems) == 1
    assert "3 of 4" in problems[0]


def test_the_message_names_what_is_missing() -> None:
    (problem,) = rules.password_problems("alllowercaseletters")
    assert "add 2 of: an upper-case letter, a digit, a symbol" in problem
    assert "大写字母" in problem


def test_cjk_characters_count_as_symbols() -> None:
    assert rules.password_classes("贵") == {"symbol"}
    assert rules.password_problems("guizhou信用平台2026") == []


def test_full_width_input_is_normalised() -> None:
    # A phone's Chinese keyboard may type full-width letters and digits.
    assert rules.password_classes("Ａａ１") == {"upper", "lower", "digit"}
    assert rules.normalise_password("Ａｂｃ１２３") == "Abc123"


def test_absurdly_long_passwords_are_refused() -> None:
    assert rules.password_problems("Aa1!" * 100)


# --- lockout ---------------------------------------------------------------------------------


def fail(state: LoginState, at: datetime) -> LoginState:
    return rules.after_failure(state, at, max_failures=5, lock_minutes=15)


@given(st.integers(min_value=1, max_value=4))
def test_fewer_than_five_failures_do_not_lock(n: int) -> None:
    state = LoginState(0, None)
    for i in range(n):
        state = fail(state, T0 + timedelta(seconds=i))
    assert state == LoginState(n, None)
    assert not rules.is_locked(state.locked_until, T0 + timedelta(seconds=n))


def test_the_fifth_failure_locks_for_fifteen_minutes() -> None:
    state = LoginState(4, None)
    state = fail(state, T0)
    assert state.locked_until == T0 + timedelta(minutes=15)
    assert rules.is_locked(state.locked_until, T0 + timedelta(minutes=14, seconds=59))
    assert not rules.is_locked(state.locked_until, T0 + timedelta(minutes=15))


@given(st.integers(min_value=0, max_value=14 * 60 + 59))
def test_failures_while_locked_neither_count_nor_extend_the_lock(seconds: int) -> None:
    locked = fail(LoginState(4, None), T0)
    assert fail(locked, T0 + timedelta(seconds=seconds)) == locked


def test_after_the_lock_the_count_starts_again() -> None:
    locked = fail(LoginState(4, None), T0)
    later = fail(locked, T0 + timedelta(minutes=16))
    assert later.failed_logins == 1
    assert not rules.is_locked(later.locked_until, T0 + timedelta(minutes=16))


# --- sessions and tokens ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "minutes"),
    [
        (Role.SYSADMIN, 15),
        (Role.SECADMIN, 15),
        (Role.AUDITOR, 15),
        (Role.CREDIT_OFFICE, 15),
        (Role.PROVIDER, 30),
        (Role.INQUIRER, 30),
        (Role.INSTITUTION, 30),
        (Role.SUBJECT, 30),
    ],
)
def test_idle_limit_by_role(role: Role, minutes: int) -> None:
    limit = rules.idle_limit(role, admin_minutes=15, other_minutes=30)
    assert limit == timedelta(minutes=minutes)
    assert not rules.session_idle_expired(T0, T0 + limit - timedelta(seconds=1), limit)
    assert rules.session_idle_expired(T0, T0 + limit, limit)


def test_token_expiry_is_exclusive_of_its_instant() -> None:
    assert not rules.token_expired(T0, T0 - timedelta(seconds=1))
    assert rules.token_expired(T0, T0)


# --- roles, organisations, authority ---------------------------------------------------------


def test_public_is_never_an_account_role() -> None:
    assert rules.role_problem("public") is not None
    assert rules.role_problem("sysadmin+auditor") is not None
    assert all(rules.role_problem(r.value) is None for r in Role if r is not Role.PUBLIC)


def test_every_account_role_has_an_organisation_rule() -> None:
    assert set(rules.ORG_KINDS_BY_ROLE) == set(Role) - {Role.PUBLIC}


@pytest.mark.parametrize(
    ("role", "kind", "fits"),
    [
        (Role.PROVIDER, OrgKind.PROVIDER, True),
        (Role.PROVIDER, OrgKind.OFFICE, False),
        (Role.INQUIRER, OrgKind.ORGAN, True),
        (Role.INQUIRER, OrgKind.PROVIDER, False),
        (Role.INSTITUTION, OrgKind.INSTITUTION, True),
        (Role.CREDIT_OFFICE, OrgKind.OFFICE, True),
        (Role.AUDITOR, OrgKind.INSTITUTION, False),
        (Role.SUBJECT, None, True),
        (Role.SUBJECT, OrgKind.PROVIDER, True),
        (Role.SYSADMIN, None, False),
    ],
)
def test_org_kind_fits_role(role: Role, kind: OrgKind | None, fits: bool) -> None:
    assert rules.org_fits_role(role, kind) is fits


def test_administrators_sit_in_the_office() -> None:
    for role in ADMIN_ROLES:
        assert rules.ORG_KINDS_BY_ROLE[role] == {OrgKind.OFFICE}


@pytest.mark.parametrize("region", ["520000", "520100", "520102", "110000", "820000"])
def test_valid_regions(region: str) -> None:
    assert rules.region_problem(region) is None


@pytest.mark.parametrize(
    "region", ["52000", "5200001", "52O000", "990000", "000000", "５２００００"]
)
def test_invalid_regions(region: str) -> None:
    assert rules.region_problem(region) is not None


@pytest.mark.parametrize(
    ("child", "parent", "inside"),
    [
        ("520100", "520000", True),
        ("520102", "520000", True),
        ("520102", "520100", True),
        ("520102", "520102", True),
        ("530100", "520000", False),
        ("520201", "520100", False),
        ("520103", "520102", False),
    ],
)
def test_region_within(child: str, parent: str, inside: bool) -> None:
    assert rules.region_within(child, parent) is inside


@given(st.from_regex(r"52[0-9]{4}", fullmatch=True))
def test_every_guizhou_division_lies_in_the_province(region: str) -> None:
    assert rules.region_within(region, "520000")


def test_purposes_are_the_published_list() -> None:
    assert rules.purpose_problem("licensing") is None
    assert rules.purpose_problem("curiosity") is not None
    assert len(rules.PURPOSES) == 7


def test_usernames_are_normalised_and_checked() -> None:
    assert rules.normalise_username("  Zhang.San ") == "zhang.san"
    assert rules.username_problem("zhang san") is not None
    assert rules.username_problem("张三") is None
    assert rules.username_problem("x") is not None


# -- published and common passwords (issue 12 item 9) ---------------------------------------


def test_a_refused_password_is_refused_whatever_its_strength() -> None:
    from xinyong.accounts.passwords import refused_passwords
    from xinyong.accounts.rules import password_problems

    refused = refused_passwords()
    assert password_problems("Xinyong#Demo2026") == []  # strong by the classes alone
    for password in (
        "Xinyong#Demo2026",
        "xinyong#demo2026",
        "Ｐａｓｓｗｏｒｄ＠１２３",
        "1qaz@WSX3edc",
    ):
        problems = password_problems(password, refused=refused)
        assert any("common" in p for p in problems), password
    assert password_problems("Qianlan-2026-guizhou!", refused=refused) == []


def test_the_shipped_list_holds_the_demo_password_and_only_comments_besides() -> None:
    from xinyong.accounts.passwords import REFUSED_FILE, refused_passwords
    from xinyong.demo.data import DEMO_PASSWORD

    assert DEMO_PASSWORD.casefold() in refused_passwords()
    assert len(refused_passwords()) >= 50
    assert "" not in refused_passwords()
    assert all(not key.startswith("#") for key in refused_passwords())
    assert REFUSED_FILE.is_file()
