"""The HTML of a document: what is kept and what the PDF is printed from.

A small Jinja environment of its own (documents are domain objects, not web pages): the number
sits in the running header of every printed page, as on a paper notice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, select_autoescape

from xinyong.core.clock import PLATFORM_ZONE

_ENV = Environment(autoescape=select_autoescape(default=True), keep_trailing_newline=True)

_TEMPLATE = _ENV.from_string(
    """<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>{{ title }} {{ number }}</title>
<style>
@page { size: A4; margin: 25mm 20mm;
  @top-right { content: "{{ number }}"; font-size: 9pt; }
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
    font-size: 9pt; } }
body { font-size: 12pt; line-height: 1.7; }
h1 { text-align: center; font-size: 18pt; margin-bottom: 4pt; }
.number { text-align: center; margin-top: 0; }
table.facts { border-collapse: collapse; width: 100%; margin: 12pt 0; }
table.facts th, table.facts td { border: 1px solid #999; padding: 4pt 6pt; text-align: left;
  vertical-align: top; }
table.facts th { width: 30%; background: #f3f3f3; }
.issuer { text-align: right; margin-top: 24pt; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="number">文号 No. {{ number }}</p>
{% if recipient %}<p>{{ recipient }}：</p>{% endif %}
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}
{% if facts %}<table class="facts">
{% for label, value in facts %}<tr><th scope="row">{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>{% endif %}
<p class="issuer">{{ issuer }}<br>{{ issued_on }}</p>
</body>
</html>
"""
)


def document_html(
    *, number: str, title: str, recipient: str | None, body: dict[str, Any], at: datetime
) -> str:
    local = at.astimezone(PLATFORM_ZONE)
    return _TEMPLATE.render(
        number=number,
        title=title,
        recipient=recipient,
        paragraphs=[str(p) for p in body.get("paragraphs", [])],
        facts=[(str(k), "" if v is None else str(v)) for k, v in body.get("facts", [])],
        issuer=body.get("issuer", "贵州省社会信用信息共享平台"),
        issued_on=f"{local.year} 年 {local.month} 月 {local.day} 日",
    )
