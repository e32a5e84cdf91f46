"""The demo data set: organisations, one account per role, subjects.

Identifiers are built with the standards' check characters so that they validate; the first
company and the first person use the public test vectors of DESIGN §3a.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.core.identifiers import resident_check_char, uscc_check_char

#: One password for every demo account (meets the policy: ≥ 12 characters, 4 classes).
DEMO_PASSWORD = "Xinyong#Demo2026"


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    kind: str
    region: str
    parent: str | None = None
    #: Kind of state organ (accounts.rules.ORGAN_KINDS): the measures it may implement.
    organ_kind: str | None = None
    #: Its USCC: a list decision names its deciding organ by it (Art. 26).
    uscc: str | None = None
    #: Its domain (accounts/data/sectors.json): what a special credit report files it under.
    sector: str | None = None


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    org: str | None
    display_name: str
    subject: str | None = None
    purposes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoSubject:
    type: str
    code: str
    name: str


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def _rid(first17: str) -> str:
    return first17 + resident_check_char(first17)


ORGS = (
    DemoOrg(
        "GZ-CREDIT", "贵州省发展和改革委员会（省社会信用工作主管部门）", "office", "520000",
        organ_kind="development_reform", uscc=_uscc("11520000MB0000001"),
        sector="development_reform",
    ),
    DemoOrg(
        "GZ-SAMR", "贵州省市场监督管理局", "provider", "520000", "GZ-CREDIT",
        organ_kind="market_regulation", uscc=_uscc("11520000MB1234567"),
        sector="market_regulation",
    ),
    DemoOrg(
        "GY-HOUSING", "贵阳市住房和城乡建设局", "organ", "520100", "GZ-CREDIT",
        organ_kind="housing_construction", uscc=_uscc("11520100MB0000003"),
        sector="housing_construction",
    ),
    DemoOrg("GZ-CSI-01", "贵州黔信信用服务有限公司", "institution", "520100"),
    DemoOrg(
        "GZ-HPC", "贵州省高级人民法院", "provider", "520000", organ_kind="court",
        uscc=_uscc("11520000MB0000004"), sector="judicial",
    ),
    # The demo province's further departments (issue 14 item 8): deliverers and inquirers.
    DemoOrg(
        "GZ-TAX", "国家税务总局贵州省税务局", "provider", "520000", "GZ-CREDIT",
        organ_kind="tax", uscc=_uscc("11520000MB0000005"),
    ),
    DemoOrg(
        "ZY-SAMR", "遵义市市场监督管理局", "provider", "520300", "GZ-CREDIT",
        organ_kind="market_regulation", uscc=_uscc("11520300MB0000006"),
    ),
    DemoOrg(
        "GZ-HRSS", "贵州省人力资源和社会保障厅", "provider", "520000", "GZ-CREDIT",
        organ_kind="human_resources", uscc=_uscc("11520000MB0000007"),
    ),
    DemoOrg(
        "ZY-FINANCE", "遵义市财政局", "organ", "520300", "GZ-CREDIT",
        organ_kind="finance", uscc=_uscc("11520300MB0000008"),
    ),
    DemoOrg(
        "QDN-PRT", "黔东南州公共资源交易中心", "organ", "522600", "GZ-CREDIT",
        organ_kind="public_resource_trading", uscc=_uscc("11522600MB0000009"),
    ),
)  # fmt: skip

#: Collection sources the credit office registers (Art. 12; issue 11): the court delivers
#: judgment defaulters, the market regulator is a listing department of the serious dishonesty
#: list, and the credit office adopts the red list itself.
SOURCES = (
    ("judgment_default", "GZ-HPC", "《最高人民法院关于公布失信被执行人名单信息的若干规定》"),
    ("serious_dishonesty", "GZ-SAMR", "《市场监督管理严重违法失信名单管理办法》"),
    ("red_list", "GZ-CREDIT", "《贵州省社会信用条例》第二十二条"),
)

#: The filing of the demo institution (Art. 37; CSI-1): filed and active after ``demo load``.
INSTITUTION_FILING = {
    "org": "GZ-CSI-01",
    "uscc": _uscc("91520100MA6J7XY01"),
    "name": "贵州黔信信用服务有限公司",
    "legal_representative": "赵信诚",
    "registered_address": "贵州省贵阳市观山湖区林城西路 100 号",
    "services": ["credit_investigation", "credit_rating", "credit_reports"],
    "business_scope": "企业征信业务；信用评级；信用报告；信用管理咨询",
    "contact": "0851-8888 0000",
}

SUBJECTS = (
    DemoSubject("legal_person", "91520000214434146R", "贵州茅台酒股份有限公司"),
    DemoSubject("legal_person", _uscc("91520100MA6DL2K3X"), "贵阳示例大数据科技有限公司"),
    DemoSubject("legal_person", _uscc("91520103MA6H8Q4N2"), "贵州黔南示例建材有限公司"),
    DemoSubject("unincorporated_org", _uscc("52520000MJY123456"), "贵州省示例行业协会"),
    DemoSubject("natural_person", "11010519491231002X", "张三丰"),
    DemoSubject("natural_person", _rid("52010219900307123"), "李四光"),
)

USERS = (
    DemoUser("office", "credit_office", "GZ-CREDIT", "省信用办 王工作人员"),
    DemoUser("provider", "provider", "GZ-SAMR", "市场监管局 数据报送员"),
    DemoUser("inquirer", "inquirer", "GY-HOUSING", "住建局 查询员"),
    DemoUser("institution", "institution", "GZ-CSI-01", "信用服务机构 查询员"),
    DemoUser("subject", "subject", None, "示例科技公司 经办人", subject=SUBJECTS[1].code),
    DemoUser("sysadmin", "sysadmin", "GZ-CREDIT", "系统管理员"),
    DemoUser("secadmin", "secadmin", "GZ-CREDIT", "安全管理员"),
    DemoUser("auditor", "auditor", "GZ-CREDIT", "安全审计员"),
)

#: Further accounts of the demo province (issue 14 item 8): inquiries and checks by several
#: organs. Same password; ``xinyong demo accounts`` lists them after the one-per-role set.
ORGAN_USERS = (
    DemoUser("inquirer-zy", "inquirer", "ZY-FINANCE", "遵义市财政局 查询员"),
    DemoUser("inquirer-qdn", "inquirer", "QDN-PRT", "黔东南州公共资源交易中心 查询员"),
    DemoUser("provider-tax", "provider", "GZ-TAX", "省税务局 数据报送员"),
)


@dataclass(frozen=True)
class DemoPenalty:
    """An administrative penalty delivered by the demo market regulator (双公示 fields)."""

    source_id: str
    subject: int  # index into SUBJECTS
    document_no: str
    violation: str
    facts: str
    basis: str
    content: str
    fine: str
    decided_on: str
    severity: str


AUTHORITY_NAME = "贵州省市场监督管理局"
AUTHORITY_USCC = _uscc("11520000MB1234567")

PENALTIES = (
    DemoPenalty(
        "DEMO-CF-0001",
        1,
        "黔市监罚〔2026〕101号",
        "未按规定公示年度报告",
        "经查，当事人未按规定期限公示2025年度报告。",
        "《企业信息公示暂行条例》第十八条",
        "警告，罚款人民币伍仟元整",
        "0.5",
        "2026-08-12",
        "general",
    ),
    DemoPenalty(
        "DEMO-CF-0002",
        2,
        "黔市监罚〔2026〕57号",
        "销售不合格建材产品",
        "经抽检，当事人销售的钢筋产品屈服强度不合格。",
        "《中华人民共和国产品质量法》第四十九条",
        "没收违法所得，罚款人民币贰拾万元整",
        "20",
        "2026-05-20",
        "serious",
    ),
    DemoPenalty(
        "DEMO-CF-0003",
        5,
        "黔市监罚〔2025〕233号",
        "无照经营",
        "当事人未取得营业执照从事经营活动。",
        "《无证无照经营查处办法》第十三条",
        "罚款人民币贰仟元整",
        "0.2",
        "2025-06-03",
        "general",
    ),
)
