"""The errors an inquiry is refused with (stable codes, Chinese then English messages).

Each is logged as the refusal of the inquiry (``refusal_code``, ``refusal_reason``) before it is
raised, and the web layer maps it: 403 outside the authority or without consent, 404 for an
unknown subject, 429 with ``Retry-After`` for rate limits and harvesting.
"""

from __future__ import annotations

from collections.abc import Sequence

from xinyong.core import identifiers as ids
from xinyong.core.errors import NotFound, PermissionDenied, RateLimited
from xinyong.inquiry import rules


def wrong_role(role: str) -> PermissionDenied:
    return PermissionDenied(
        f"角色 {role} 不能通过此渠道查询 / a {role} account cannot inquire through this channel",
        code=rules.ROLE_NOT_AUTHORISED,
    )


def window_role() -> PermissionDenied:
    return PermissionDenied(
        "窗口查询仅限信用主管部门工作人员 / only credit-office staff query at the service window",
        code=rules.ROLE_NOT_AUTHORISED,
    )


def purpose_outside(purpose: str) -> PermissionDenied:
    return PermissionDenied(
        f"查询用途 {purpose} 不在本账号权限内 / the purpose {purpose} is not a published "
        "purpose within this account's authority",
        code=rules.PURPOSE_NOT_AUTHORISED,
        details=[{"field": "purpose", "reason": "outside the account's authority"}],
    )


def items_outside(items: Sequence[str]) -> PermissionDenied:
    listed = ", ".join(items)
    return PermissionDenied(
        f"信息项 {listed} 不在本账号权限内 / the items {listed} are outside this account's "
        "authority",
        code=rules.ITEM_NOT_AUTHORISED,
        details=[{"field": "items", "reason": f"{i}: outside the authority"} for i in items],
    )


def no_consent() -> PermissionDenied:
    return PermissionDenied(
        "该主体未向本机构授权此用途的查询，或授权已到期、已撤回 / the subject has given your "
        "organisation no live consent for this purpose",
        code=rules.CONSENT_REQUIRED,
    )


def institution_not_filed(state: str) -> PermissionDenied:
    return PermissionDenied(
        f"本机构未在信用服务机构名录中备案或备案状态不是有效（{state}），不能进行授权查询 / "
        f"your institution has no active filing on the register of credit service institutions "
        f"(status: {state}), so it may not run authorized inquiries",
        code=rules.INSTITUTION_NOT_FILED,
        details=[{"field": "organisation", "reason": f"filing status: {state}"}],
    )


def unknown_subject(code: str) -> NotFound:
    message = ids.not_found_message(f"未找到主体 {code}", f"no subject {code}", code)
    return NotFound(message, code=rules.SUBJECT_NOT_FOUND)


def blocked(seconds: int) -> RateLimited:
    return RateLimited(
        f"该账号因疑似批量获取信息被暂停查询，请 {seconds} 秒后再试 / this account is blocked "
        f"for suspected harvesting; try again in {seconds} s",
        retry_after=seconds,
        code=rules.HARVESTING_BLOCKED,
    )


def harvesting(distinct: int, cooldown_minutes: int) -> RateLimited:
    return RateLimited(
        f"短时间内查询的主体过多（{distinct} 个），疑似批量获取，已暂停查询 {cooldown_minutes} "
        f"分钟 / too many distinct subjects ({distinct}) in a short time: suspected harvesting; "
        f"inquiries are blocked for {cooldown_minutes} minutes",
        retry_after=cooldown_minutes * 60,
        code=rules.HARVESTING_SUSPECTED,
    )
