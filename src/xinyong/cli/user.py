"""``xinyong user``: accounts (the local operator acts; see accounts.service.OPERATOR)."""

from __future__ import annotations

import typer

from xinyong.accounts import second_factor
from xinyong.accounts import service as accounts
from xinyong.accounts.schemas import UserRead
from xinyong.cli.context import clock, console, friendly_errors, open_session, print_list, settings

app = typer.Typer(help="User accounts. 用户账号。", no_args_is_help=True)

ROLES = (
    "subject | provider | inquirer | institution | credit_office | sysadmin | secadmin | auditor"
)


@app.command("add")
@friendly_errors
def add(
    username: str = typer.Option(..., "--username", help="Login name. 用户名。"),
    password: str = typer.Option(..., "--password", help="≥ 12 characters, 3 of 4 classes."),
    org: str | None = typer.Option(None, "--org", help="Organisation code (subject: optional)."),
    role: str = typer.Option(..., "--role", help=ROLES),
    display_name: str | None = typer.Option(None, "--display-name", help="Shown name. 姓名。"),
    subject: str | None = typer.Option(None, "--subject", help="Subject code a subject binds."),
    purpose: list[str] = typer.Option([], "--purpose", help="Inquiry purpose (repeatable)."),
    item: list[str] = typer.Option([], "--item", help="Catalogue item code (repeatable)."),
) -> None:
    """Add an account. 添加账号。"""
    s = settings()
    with open_session(s) as session:
        user = accounts.add_user(
            session,
            actor=accounts.OPERATOR,
            username=username,
            password=password,
            org_code=org,
            role=role,
            display_name=display_name,
            subject_code=subject,
            purposes=purpose,
            items=item,
            at=clock(s).now(),
        )
        console.print(f"已添加账号 account added: {user.username} ({user.role.value})")


@app.command("list")
@friendly_errors
def list_() -> None:
    """List accounts. 账号列表。"""
    print_list(
        ("username 用户名", "name 姓名", "role 角色", "org 机构", "authority 权限"),
        lambda session: accounts.list_users(session, actor=accounts.OPERATOR),
        lambda u: (u.username, u.display_name, u.role, u.org_code or "", _authority(u)),
    )


def _authority(u: UserRead) -> str:
    """What the account acts for: its subject, or the purposes and items it may use."""
    return u.subject_code or ", ".join(u.purposes + u.items)


@app.command("totp-reset")
@friendly_errors
def totp_reset(
    username: str = typer.Option(..., "--username", help="Account to reset. 账号。"),
    reason: str = typer.Option(
        "本机操作员重置 reset by the local operator", "--reason", help="Why (audited). 原因。"
    ),
) -> None:
    """Remove an account's two-step verification (lost phone); audited. 重置两步验证。"""
    s = settings()
    with open_session(s) as session:
        second_factor.reset(
            session,
            actor=second_factor.SECURITY_OPERATOR,
            username=username,
            reason=reason,
            at=clock(s).now(),
        )
    console.print(
        f"已重置两步验证 second factor reset: {username}"
        " — 该账号现可凭密码登录并重新设置 / the account now logs in with its password"
    )
