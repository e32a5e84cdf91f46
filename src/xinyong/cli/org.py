"""``xinyong org``: organisations (the local operator acts; see accounts.service.OPERATOR).

``--source-of ITEM`` registers the organisation as a collection source of the item (Art. 12;
issue 11): items with restricted sources accept deliveries only from their registered sources.

An institution added here is filed on the register of credit service institutions at once, as
active (CSI-1): an account of it can then run authorized inquiries, which an unfiled institution
may not. The filing is recorded and audited as made by the local operator; ``--uscc`` records
the institution's code with it, ``--unfiled`` leaves the filing to the credit office.
"""

from __future__ import annotations

import typer

from xinyong.accounts import service as accounts
from xinyong.accounts.rules import OrgKind
from xinyong.catalogue import sources
from xinyong.catalogue.schemas import SourceCreate
from xinyong.cli.context import clock, console, friendly_errors, open_session, print_list, settings
from xinyong.core.errors import InvalidInput
from xinyong.institutions import service as institutions

app = typer.Typer(help="Organisations. 机构。", no_args_is_help=True)


@app.command("add")
@friendly_errors
def add(
    code: str = typer.Option(..., "--code", help="Unique organisation code. 机构代码。"),
    name: str = typer.Option(..., "--name", help="Name. 名称。"),
    kind: str = typer.Option(..., "--kind", help="provider | organ | office | institution"),
    region: str | None = typer.Option(None, "--region", help="GB/T 2260 code, e.g. 520000."),
    parent: str | None = typer.Option(None, "--parent", help="Parent organisation code."),
    organ_kind: str | None = typer.Option(
        None,
        "--organ-kind",
        help="Kind of state organ, bounding the measures it may implement (Art. 23, 29): "
        "court | market_regulation | finance | … 机关类型。",
    ),
    uscc: str | None = typer.Option(
        None,
        "--uscc",
        help="Its USCC (an institution's is also recorded in its filing). 统一社会信用代码。",
    ),
    sector: str | None = typer.Option(
        None,
        "--sector",
        help="The department's domain (GET /special-report/domains), e.g. market_regulation, "
        "tax. 所属领域（专项信用报告）。",
    ),
    unfiled: bool = typer.Option(
        False, "--unfiled", help="Do not file an institution now. 暂不备案信用服务机构。"
    ),
    source_of: list[str] = typer.Option(
        [],
        "--source-of",
        help="Register it as a collection source of ITEM (or ITEM:KIND); repeatable. "
        "登记为该信息项的采集来源。",
    ),
) -> None:
    """Add an organisation; an institution is filed as active. 添加机构（信用服务机构同时备案）。"""
    s = settings()
    filing = kind == OrgKind.INSTITUTION and not unfiled
    if unfiled and kind != OrgKind.INSTITUTION:
        raise InvalidInput(
            "--unfiled 仅适用于信用服务机构 / --unfiled applies to institutions only",
            details=[{"field": "kind", "reason": kind}],
        )
    wanted = list(
        dict.fromkeys(
            (i.strip(), k.strip() or None) for i, _, k in (e.partition(":") for e in source_of)
        )
    )
    if wanted and kind == OrgKind.INSTITUTION:
        raise InvalidInput(
            "信用服务机构依协议报送，不能登记为采集来源（第十四条）/ an institution delivers "
            "under an agreement (Art. 14), not as a collection source",
            details=[{"field": "source_of", "reason": kind}],
        )
    with open_session(s) as session:
        for item, source_kind in wanted:  # refuse a wrong item before adding anything
            sources.source_kind_of(session, item_code=item, kind=source_kind)
        if filing and uscc is not None:
            institutions.check_filing_uscc(session, uscc)
        org = accounts.add_organisation(
            session,
            actor=accounts.OPERATOR,
            code=code,
            name=name,
            kind=kind,
            region=region,
            parent_code=parent,
            uscc=uscc,
            at=clock(s).now(),
            organ_kind=organ_kind,
            sector=sector,
        )
        console.print(f"已添加机构 organisation added: {org.code} {org.name} ({org.kind.value})")
        for item, source_kind in wanted:
            data = SourceCreate(org=org.code, kind=source_kind)
            reg = sources.register_source(
                session, actor=sources.OPERATOR, item_code=item, data=data, at=clock(s).now()
            )
            console.print(f"已登记采集来源 collection source of {reg.item}: {reg.kind}")
        if filing:
            filed = institutions.file_on_creation(
                session,
                actor=institutions.OPERATOR,
                org_code=org.code,
                at=clock(s).now(),
                uscc=uscc,
            )
            console.print(f"已备案 filed: {filed.filing_number} ({filed.status})")


@app.command("list")
@friendly_errors
def list_() -> None:
    """List organisations. 机构列表。"""
    print_list(
        ("code 代码", "name 名称", "kind 类型", "region 区划", "parent 上级"),
        lambda session: accounts.list_organisations(session, actor=accounts.OPERATOR),
        lambda o: (o.code, o.name, o.kind, o.region or "", o.parent_code or ""),
    )
