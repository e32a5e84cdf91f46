"""A state organ as a credit subject (Art. 7): its USCC, and the fields of its judgment-default
and government-dishonesty records as the court and the credit office deliver them."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.factories.disclosure import AUTH_CODE
from xinyong.core.identifiers import USCC_CHARSET, uscc_check_char

ORGAN = "贵州某县人民政府示例局"


def organ_uscc(seq: int, region: str = "520100") -> str:
    """A valid USCC of a state organ: registration authority 1 (机构编制), type 1 (机关)."""
    org = ""
    n = seq + 10_000_000
    for _ in range(9):
        org = USCC_CHARSET[n % 10] + org
        n //= 10
    first17 = f"11{region}{org}"
    return first17 + uscc_check_char(first17)


def judgment_default_fields(*, code: str, case_no: str, listed_on: date) -> dict[str, Any]:
    return {
        "XDR_MC": ORGAN, "XDR_LB": "法人及非法人组织", "XDR_SHXYM": code,
        "SX_AH": case_no, "SX_ZXFY": "贵阳市中级人民法院", "SX_ZXYJWH": "（2025）黔01民初88号",
        "SX_QX": "有履行能力而拒不履行生效法律文书确定义务", "SX_LXQK": "全部未履行",
        "SX_LARQ": "2026-03-02", "SX_FBRQ": listed_on.isoformat(),
        "LYDW": "贵阳市中级人民法院", "LYDWDM": AUTH_CODE,
    }  # fmt: skip


def government_dishonesty_fields(*, code: str, doc: str, decided_on: date) -> dict[str, Any]:
    return {
        "XDR_MC": ORGAN, "XDR_SHXYM": code, "ZW_SXLX": "违约毁约",
        "ZW_SXQX": "以机构调整为由不履行依法订立的政府采购合同，拖欠合同价款",
        "ZW_HTMC": "办公设备采购合同",
        "ZW_XDF": "贵州示例商贸有限公司", "ZW_WSH": doc, "ZW_JDRQ": decided_on.isoformat(),
        "ZW_RDJG": "贵州省发展和改革委员会", "LYDW": "贵州省发展和改革委员会", "LYDWDM": AUTH_CODE,
    }  # fmt: skip
