"""One registry of labels for the platform's stable codes, in both languages (issue 14 item 3).

A page, an error message or a document shows a person the label of a code in the language
being read — never the code itself (``admin_penalty``, ``published``, ``subject_not_found``,
``Art. 26 ¶1``) except in small type where an operator needs it. Every label is a pair
``(zh, en)``; ``label(vocabulary, code, lang)`` picks one.

- Vocabularies of enumerations (statuses, severities, scopes, kinds…) are written here.
- Catalogue items and their fields come from the shipped catalogues' data
  (``catalogue/data/*.json``, which carry ``name``/``name_en`` and ``name_zh``/``name_en``).
- Error codes: the code's label is the page's headline; the message itself is chosen by
  ``one_language`` from the services' ``"中文 / English"`` sentences.

Pure: no database, no web. The web layer's Jinja filter ``label`` and the documents use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from xinyong.core.shipped import shipped_json

Label = tuple[str, str]

_VOCABULARIES: dict[str, dict[str, Label]] = {
    "severity": {
        "minor": ("轻微失信", "Minor dishonesty"),
        "general": ("一般失信", "General dishonesty"),
        "serious": ("严重失信", "Serious dishonesty"),
    },
    "version_status": {
        "draft": ("草稿", "Draft"),
        "public_comment": ("公开征求意见", "Public comment"),
        "reported": ("已报上级", "Reported to the higher authority"),
        "published": ("已发布", "Published"),
        "superseded": ("已被替代", "Superseded"),
    },
    "tier": {
        "national": ("全国基础目录", "National basic catalogue"),
        "local": ("地方补充目录", "Local supplementary catalogue"),
    },
    "publicity": {
        "public": ("公开", "Public"),
        "shared": ("政务共享", "Shared with government"),
        "authorized": ("授权查询", "Authorised inquiry only"),
    },
    "polarity": {
        "positive": ("守信信息", "Positive"),
        "neutral": ("中性信息", "Neutral"),
        "negative": ("失信信息", "Negative"),
    },
    "subject_type": {
        "natural_person": ("自然人", "Natural person"),
        "legal_person": ("法人", "Legal person"),
        "unincorporated_org": ("非法人组织", "Unincorporated organisation"),
        "individual_business": ("个体工商户", "Individual business"),
        "state_organ": ("国家机关", "State organ"),
    },
    "record_status": {
        "active": ("有效", "Active"),
        "withdrawn": ("已撤回", "Withdrawn"),
    },
    "channel": {
        "api": ("接口报送", "API"),
        "file": ("文件报送", "File"),
        "agreement": ("协议报送", "Agreement"),
        "self_declared": ("自主申报", "Self-declared"),
    },
    "objection_status": {
        "received": ("已受理", "Received"),
        "assistance": ("协助核查中", "Being verified with another unit"),
        "decided": ("已处理", "Decided"),
    },
    "objection_outcome": {
        "upheld": ("异议成立", "Upheld"),
        "rejected": ("异议不成立", "Rejected"),
    },
    "repair_status": {
        "received": ("已受理", "Received"),
        "repaired": ("已修复", "Repaired"),
        "refused": ("不予修复", "Refused"),
    },
    "procedure_state": {
        "proposed": ("已提议", "Proposed"),
        "notified": ("已发出事先告知", "Prior notice issued"),
        "statement_period": ("陈述申辩期", "Statement period"),
        "objection_filed": ("已提出异议", "Objection filed"),
        "objection_answered": ("异议已答复", "Objection answered"),
        "decided": ("已作出认定决定", "Decided"),
        "served": ("已送达", "Served"),
        "published": ("已公示", "Published"),
        "ended": ("已移出", "Ended"),
        "dropped": ("已终止", "Dropped"),
    },
    "commitment_status": {
        "open": ("履行中", "Open"),
        "fulfilled": ("已履行", "Fulfilled"),
        "breached": ("未履行", "Breached"),
    },
    "measure_kind": {
        "incentive": ("激励措施", "Incentive"),
        "regulatory": ("管理措施", "Regulatory"),
        "disciplinary": ("惩戒措施", "Disciplinary"),
    },
    "error": {
        "error": ("出错了", "Something went wrong"),
        "invalid_input": ("输入内容无效", "Invalid input"),
        "bad_request": ("请求无法理解", "The request could not be understood"),
        "not_authenticated": ("请先登录", "Please log in"),
        "forbidden": ("无权访问", "Not allowed"),
        "not_found": ("未找到", "Not found"),
        "method_not_allowed": ("不允许此操作", "This action is not allowed"),
        "conflict": ("与当前状态冲突", "Conflicts with the current state"),
        "rule_violation": ("不符合规定", "Refused by a rule of the regulation"),
        "rate_limited": ("请求过于频繁", "Too many requests"),
        "payload_too_large": ("文件过大", "The file is too large"),
        "file_too_large": ("文件过大", "The file is too large"),
        "unsupported_media_type": ("不支持的文件类型", "Unsupported file type"),
        "csrf_failed": ("页面已过期，请刷新后重试", "The page expired; reload and try again"),
        "invalid_credentials": ("用户名或密码错误", "Wrong username or password"),
        "subject_not_found": ("未找到该主体", "No such subject"),
        "unknown_subject": ("未找到该主体", "No such subject"),
        "invalid_identifier": ("证件号码无效", "Invalid identifier"),
        "invalid_uscc": ("统一社会信用代码无效", "Invalid Unified Social Credit Code"),
        "invalid_record": ("记录未通过校验", "The record is invalid"),
        "empty_file": ("文件为空", "The file is empty"),
        "unreadable_file": ("无法读取文件", "The file cannot be read"),
        "invalid_header": ("表头不符合模板", "The header does not match the template"),
        "not_a_collection_source": ("本单位不是采集来源", "Not a collection source"),
        "repair_not_eligible": ("暂不符合修复条件", "Not yet eligible for repair"),
        "statement_period_running": ("陈述申辩期未满", "The statement period is running"),
        "statement_period_over": ("陈述申辩期已过", "The statement period is over"),
        "illegal_transition": ("当前步骤不允许此操作", "Not allowed at this step"),
        "query_too_short": ("查询内容太短", "The query is too short"),
        "reason_missing": ("请填写理由", "Give a reason"),
        "deciding_org_not_own": ("认定机关须为本单位", "The deciding organ is your own"),
        "calendar_not_covered": ("工作日历未覆盖该年份", "The calendar does not cover that year"),
        "weak_password": ("密码强度不足", "The password is too weak"),
        "internal_error": ("内部错误", "Internal error"),
        "database_busy": ("数据库繁忙", "The database is busy"),
    },
}

#: Article references as the services write them in English (``Art. 26 ¶1``) → Chinese.
_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as articles are numbered (第二十六条)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


_ARTICLE = re.compile(r"\bArt(?:icles?|s?\.)\s*(\d+)(?:\s*[–-]\s*(\d+))?(?:\s*¶\s*(\d+))?")


def article(ref: str, lang: str) -> str:
    """``Art. 26 ¶1`` → ``第二十六条第一款`` (zh) or ``Article 26(1)`` (en); unknown → as is."""
    m = _ARTICLE.fullmatch(ref.strip())
    if m is None:
        return ref
    first, last, para = (int(g) if g else None for g in m.groups())
    assert first is not None
    if lang == "zh":
        text = f"第{chinese_number(first)}条"
        if last is not None:
            text += f"至第{chinese_number(last)}条"
        return text + (f"第{chinese_number(para)}款" if para else "")
    text = f"Article {first}" if last is None else f"Articles {first}–{last}"
    return text + (f"({para})" if para else "")


@cache
def _catalogue_names() -> tuple[dict[str, Label], dict[str, Label]]:
    """Item and field names of the shipped catalogues, ``code → (zh, en)``."""
    items: dict[str, Label] = {}
    fields: dict[str, Label] = {}
    for name in ("national_catalogue.json", "guizhou_supplement.json"):
        doc = shipped_json("xinyong.catalogue.data", name)
        for item in doc.get("items", []):
            code = str(item["code"])
            items[code] = (str(item["name"]), str(item.get("name_en") or item["name"]))
            for f in item.get("fields", []):
                zh = str(f.get("name_zh") or f["code"])
                fields.setdefault(str(f["code"]), (zh, str(f.get("name_en") or zh)))
    return items, fields


def vocabulary(name: str) -> dict[str, Label]:
    """Every ``code → (zh, en)`` of one vocabulary (``item`` and ``field`` included)."""
    if name == "item":
        return dict(_catalogue_names()[0])
    if name == "field":
        return dict(_catalogue_names()[1])
    return dict(_VOCABULARIES.get(name, {}))


def lookup(name: str) -> Mapping[str, Label]:
    """:func:`vocabulary` as a read-only view rather than a copy: for lookups made per value
    while a page renders (a subject page names hundreds of fields)."""
    if name == "item":
        return MappingProxyType(_catalogue_names()[0])
    if name == "field":
        return MappingProxyType(_catalogue_names()[1])
    return MappingProxyType(_VOCABULARIES.get(name, {}))


def vocabularies() -> tuple[str, ...]:
    return (*_VOCABULARIES, "item", "field")


def known_codes() -> frozenset[str]:
    """Every snake_case code the registry labels: what a page must never show raw."""
    codes: set[str] = set()
    for name in vocabularies():
        codes.update(c for c in vocabulary(name) if "_" in c)
    return frozenset(codes)


def label(name: str, code: object, lang: str) -> str:
    """The label of ``code`` (a string or a StrEnum) in ``lang`` (``zh`` or ``en``); a code the
    vocabulary does not know is shown as it is."""
    if code is None:
        return ""
    key = str(getattr(code, "value", code))
    if name == "article":
        return article(key, lang)
    pair = lookup(name).get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
_SLASH = re.compile(r"\s*/\s+")
# A bilingual message's parts: "中文 / English" joined by " — " or "; " to further parts.
_JOINERS = re.compile(r"(\s+—\s+|;\s+|；)")


def _pick(part: str, lang: str) -> str:
    """One ``中文 / English`` part in ``lang``; a part that is not bilingual stays as it is."""
    for m in _SLASH.finditer(part):
        zh, en = part[: m.start()], part[m.end() :]
        if _CJK.search(zh) and not _CJK.search(en):
            return zh.strip() if lang == "zh" else en.strip()
    return part


def one_language(message: str | None, lang: str) -> str:
    """The services write messages Chinese first, then English: ``"文件为空 / the file is
    empty"``, sometimes several joined: ``"记录未通过校验 / the record is invalid — XDR_ZJHM:
    需填写 / required"``. This keeps the half in ``lang``, part by part, and writes article
    references the language's way; other text is left as it is."""
    if not message:
        return ""
    if len(_SLASH.findall(message)) == 1 and _pick(message, lang) != message:
        text = _pick(message, lang)  # one sentence in each language, however punctuated
        return _ARTICLE.sub(lambda m: article(m.group(0), "zh"), text) if lang == "zh" else text
    pieces = _JOINERS.split(message)
    out = []
    for piece in pieces:
        if _JOINERS.fullmatch(piece):
            out.append("；" if lang == "zh" and piece.strip() in (";", "；") else piece)
            continue
        prefix = ""
        # "XDR_ZJHM: 需填写 / required": the field code before the colon becomes its name.
        head, sep, rest = piece.partition(": ")
        if sep and re.fullmatch(r"[A-Z][A-Z0-9_]+", head):
            prefix = label("field", head, lang) + ("：" if lang == "zh" else ": ")
            piece = rest
        text = _pick(piece, lang)
        if lang == "zh":
            text = _ARTICLE.sub(lambda m: article(m.group(0), "zh"), text)
        out.append(prefix + text)
    return "".join(out)
