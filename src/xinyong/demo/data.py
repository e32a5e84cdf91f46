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
    DemoOrg("GZ-CREDIT", "贵州省发展和改革委员会（省社会信用工作主管部门）", "office", "520000"),
    DemoOrg("GZ-SAMR", "贵州省市场监督管理局", "provider", "520000", "GZ-CREDIT"),
    DemoOrg("GY-HOUSING", "贵阳市住房和城乡建设局", "organ", "520100", "GZ-CREDIT"),
    DemoOrg("GZ-CSI-01", "贵州黔信信用服务有限公司", "institution", "520100"),
)

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
