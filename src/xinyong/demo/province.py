"""The demo province: subjects and records generated from a seed (issue 14 item 8).

Pure generation, no I/O: ``subjects(rng)`` and ``record_payloads(...)`` return plain data that
``demo.scenarios`` sends through the services. One ``random.Random(SEED)`` drives everything,
and dates are offsets from the platform's today, so the same clock gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinyong.core.identifiers import USCC_CHARSET, resident_check_char, uscc_check_char

SEED = 20260930

#: The nine prefectures of Guizhou: (name, short name, county-level region codes of GB/T 2260).
PREFECTURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("贵阳市", "贵阳", ("520102", "520103", "520111", "520115")),
    ("遵义市", "遵义", ("520302", "520303", "520321")),
    ("六盘水市", "六盘水", ("520201", "520203")),
    ("安顺市", "安顺", ("520402", "520403")),
    ("毕节市", "毕节", ("520502", "520521")),
    ("铜仁市", "铜仁", ("520602", "520603")),
    ("黔东南苗族侗族自治州", "黔东南", ("522601", "522622")),
    ("黔南布依族苗族自治州", "黔南", ("522701", "522702")),
    ("黔西南布依族苗族自治州", "黔西南", ("522301", "522302")),
)

#: Demo subject kinds: (subject type, XDR_LB category, USCC prefix, how many).
KINDS: tuple[tuple[str, str, str, int], ...] = (
    ("legal_person", "法人及非法人组织", "91", 126),
    ("unincorporated_org", "法人及非法人组织", "52", 36),
    ("individual_business", "个体工商户", "92", 72),
    ("natural_person", "自然人", "", 108),
)

_TRADE = (
    "黔源", "山水", "云岭", "苗岭", "乌江", "红枫", "梵净", "赤水", "北盘江", "夜郎", "鸿图",
    "兴黔", "筑城", "盛华", "百灵", "凉都", "凯宏", "瑞丰", "聚源", "新桥", "金沙", "青岩",
)  # fmt: skip
_BUSINESS = (
    ("大数据科技", "有限公司"), ("建筑工程", "有限公司"), ("茶业", "有限公司"),
    ("酒业", "股份有限公司"), ("商贸", "有限责任公司"), ("物流", "有限公司"),
    ("旅游开发", "有限公司"), ("食品", "有限公司"), ("医药", "有限公司"), ("农业开发", "有限公司"),
)  # fmt: skip
_ASSOCIATIONS = ("行业协会", "商会", "民办学校", "养老服务中心", "志愿者协会", "文化促进会")
_SHOPS = ("便利店", "餐馆", "五金店", "理发店", "农家乐", "修理部", "茶叶店", "药店")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林龙吴杨潘韦"
_GIVEN = "志强明华丽芳军勇静敏杰娟涛艳斌超波霞平刚桂英秀兰建国德顺"


@dataclass(frozen=True, slots=True)
class ProvinceSubject:
    type: str  # subject type of the platform (an individual business is unincorporated_org)
    kind: str  # legal_person | unincorporated_org | individual_business | natural_person
    category: str  # XDR_LB
    code: str
    name: str
    prefecture: str
    region: str


def _org_part(rng: random.Random) -> str:
    body = "".join(rng.choice(USCC_CHARSET[:10]) for _ in range(5))
    tail = "".join(rng.choice(USCC_CHARSET) for _ in range(2))
    return "MA" + body + tail


def make_uscc(prefix: str, region: str, rng: random.Random) -> str:
    first17 = prefix + region + _org_part(rng)
    return first17 + uscc_check_char(first17)


def make_resident_id(region: str, born: date, rng: random.Random) -> str:
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + resident_check_char(first17)


def _person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def subjects(rng: random.Random, *, today: date) -> list[ProvinceSubject]:
    """The province's subjects: every kind in every prefecture, in a fixed order."""
    out: list[ProvinceSubject] = []
    seen: set[str] = set()
    for kind, category, prefix, count in KINDS:
        for n in range(count):
            pref_name, short, regions = PREFECTURES[n % len(PREFECTURES)]
            region = rng.choice(regions)
            while True:
                if kind == "natural_person":
                    born = today - timedelta(days=rng.randrange(20 * 365, 70 * 365))
                    code = make_resident_id(region, born, rng)
                    name = _person_name(rng)
                else:
                    code = make_uscc(prefix, region, rng)
                    trade = rng.choice(_TRADE)
                    if kind == "legal_person":
                        business, form = rng.choice(_BUSINESS)
                        name = f"{short}{trade}{business}{form}"
                    elif kind == "unincorporated_org":
                        name = f"{pref_name}{trade}{rng.choice(_ASSOCIATIONS)}"
                    else:
                        name = f"{short}{_person_name(rng)}{rng.choice(_SHOPS)}"
                if code not in seen:
                    break
            seen.add(code)
            s_type = "unincorporated_org" if kind == "individual_business" else kind
            if kind == "legal_person" and n % 9 == 0:
                name = f"{name[:-4]}（{n // 9 + 1}）{name[-4:]}"  # distinct names, like real ones
            out.append(ProvinceSubject(s_type, kind, category, code, name, pref_name, region))
    return out


def state_organs(rng: random.Random) -> list[ProvinceSubject]:
    """A state organ per prefecture: government integrity records are about them (Art. 7)."""
    out = []
    for pref_name, _short, regions in PREFECTURES:
        region = regions[0][:4] + "00"
        out.append(
            ProvinceSubject(
                "state_organ",
                "state_organ",
                "法人及非法人组织",
                make_uscc("11", region, rng),
                f"{pref_name}人民政府办公室",
                pref_name,
                region,
            )
        )
    return out


def day_within(rng: random.Random, today: date, *, days_back: int = 3 * 365) -> date:
    return today - timedelta(days=rng.randrange(1, days_back))


_TEXT: dict[str, tuple[str, ...]] = {
    "CF_WFXW": ("未按规定公示年度报告", "销售不合格产品", "无照经营", "虚假宣传", "违规排放污水"),
    "CF_SY": ("经查，当事人存在违法行为，事实清楚，证据确凿。",),
    "CF_YJ": ("《中华人民共和国行政处罚法》第二十八条", "《贵州省社会信用条例》第二十条"),
    "CF_CFLB": ("警告", "罚款", "没收违法所得"),
    "CF_NR": ("警告，并处罚款", "责令改正，罚款", "没收违法所得"),
    "YC_LRYY": ("未按规定公示年度报告", "通过登记的住所无法联系"),
}


def field_value(
    spec: dict[str, Any],
    *,
    subject: ProvinceSubject,
    provider: tuple[str, str],
    rng: random.Random,
    day: date,
    n: int,
) -> Any:
    """A plausible value for one catalogue field of one record."""
    code, kind = str(spec["code"]), str(spec.get("type", "string"))
    if code == "XDR_MC":
        return subject.name
    if code == "XDR_LB":
        return subject.category
    if code == "XDR_SHXYM":
        return None if subject.kind == "natural_person" else subject.code
    if code == "XDR_ZJHM":
        return subject.code if subject.kind == "natural_person" else None
    if code == "XDR_ZJLX":
        return "身份证" if subject.kind == "natural_person" else None
    if kind == "enum":
        options = [str(v) for v in spec.get("enum") or ()]
        if code == "XDR_ZJLX" or code == "FR_ZJLX":
            return "身份证"
        return options[n % len(options)] if options else None
    if kind == "identifier":
        if code.startswith("FR_") or "ZJHM" in code:
            return None
        return provider[1]
    if kind == "date":
        if any(w in code for w in ("JZ", "YXQZ", "ZZ", "JS")):
            return (day + timedelta(days=365 * 2)).isoformat()
        return day.isoformat()
    if kind == "decimal":
        return f"{rng.randrange(1, 5000) / 10:.1f}"
    if kind == "integer":
        return str(rng.randrange(1, 200))
    if kind == "boolean":
        return "true" if n % 2 else "false"
    if code in ("LYDW", "CF_CFJG", "CF_SJLY", "XK_XKJG", "XK_SJLY"):
        return provider[0]
    if code in _TEXT:
        return _TEXT[code][n % len(_TEXT[code])]
    name = str(spec.get("name_zh") or code)
    return f"{name}（示例 {n:04d}）"
