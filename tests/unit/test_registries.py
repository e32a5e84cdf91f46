"""The registries (issue 13 item 5): every error code and every audit tag has one place.

Error codes live in ``core.errors.ErrorCode`` with the classes each may be raised as;
``docs/errors.md`` documents every code the web layer can serve, with its statuses. Audit
tags live in ``audit.tags.AuditTag``.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import xinyong
from xinyong.core import errors as e
from xinyong.web.errors import EDGE_CODES, served_codes

SRC = Path(xinyong.__file__).resolve().parent
DOCS = SRC.parent.parent / "docs" / "errors.md"


def _import_everything() -> None:
    for info in pkgutil.walk_packages(xinyong.__path__, "xinyong."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)


def _tree(cls: type[e.XinyongError]) -> Iterator[type[e.XinyongError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _tree(sub)


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_every_code_is_registered_once() -> None:
    values = [c.value for c in e.ErrorCode]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", v) for v in values)
    assert all(c.kinds for c in e.ErrorCode), "every code names the classes it is raised as"
    # A code the web layer answers with itself means what the domain's means, same status.
    domain = {c.value: c for c in e.ErrorCode}
    for code, status in EDGE_CODES.items():
        if code in domain:
            assert status in served_codes()[code], code


def test_every_error_class_has_a_registered_code_it_may_carry() -> None:
    _import_everything()
    for cls in _tree(e.XinyongError):
        entry = e.ErrorCode(cls.code)  # ValueError names an unregistered code
        assert issubclass(cls, entry.kinds), f"{cls.__qualname__} may not carry {cls.code}"


def _callee(module: object, func: ast.expr) -> object:
    if isinstance(func, ast.Name):
        return getattr(module, func.id, None)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return getattr(getattr(module, func.value.id, None), func.attr, None)
    return None


def test_every_code_written_at_a_raise_is_registered_for_its_class() -> None:
    """Static twin of the runtime check, for raises no test reaches."""
    problems = []
    for path, tree in _sources():
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        module = importlib.import_module(".".join(p for p in parts if p != "__init__"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = _callee(module, node.func)
            if getattr(callee, "__name__", "") == "invalid":
                callee = e.InvalidInput  # institutions.register.invalid builds one
            if not (isinstance(callee, type) and issubclass(callee, e.XinyongError)):
                continue
            for kw in node.keywords:
                if not (
                    kw.arg == "code"
                    and isinstance(kw.value, ast.Constant)
                    and isinstance(kw.value.value, str)
                ):
                    continue
                code = kw.value.value
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                try:
                    entry = e.ErrorCode(code)
                except ValueError:
                    problems.append(f"{where}: {code} is not registered")
                    continue
                if not issubclass(callee, entry.kinds):
                    problems.append(f"{where}: {code} is not registered for {callee.__name__}")
    assert problems == []


def test_an_unregistered_code_fails_at_once() -> None:
    with pytest.raises(ValueError, match=r"not in core\.errors\.ErrorCode"):
        e.Conflict("x", code="no_such_code")
    with pytest.raises(ValueError, match="registered for"):
        e.NotFound("x", code="no_change")
    assert e.Conflict("x", code="no_change").code == "no_change"


def test_a_class_declared_with_an_unregistered_code_fails_as_it_is_made() -> None:
    with pytest.raises(ValueError, match=r"not in core\.errors\.ErrorCode"):

        class Unregistered(e.Conflict, code="no_such_code"): ...

    with pytest.raises(ValueError, match="registered for PermissionDenied, not WrongKind"):

        class WrongKind(e.Conflict, code="no_consent"): ...

    class Registered(e.Conflict, code="already_watched"): ...

    assert Registered("x").code == "already_watched"


def _documented() -> dict[str, set[int]]:
    rows: dict[str, set[int]] = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `([a-z0-9_]+)` \| ([0-9, ]+) \| ([^|]+) \| ([^|]+) \|", line)
        if match:
            code, statuses, zh, en = match.groups()
            assert code not in rows, f"{code} documented twice"
            assert re.search(r"[\u4e00-\u9fff]", zh), f"{code}: no Chinese meaning"
            assert re.search(r"[a-z]", en), f"{code}: no English meaning"
            rows[code] = {int(s) for s in statuses.split(",")}
    return rows


def test_every_served_code_is_documented_with_its_statuses() -> None:
    documented = _documented()
    served = served_codes()
    assert sorted(set(served) - set(documented)) == [], "served but not in docs/errors.md"
    assert sorted(set(documented) - set(served)) == [], "documented but never served"
    wrong = {c: (documented[c], s) for c, s in served.items() if documented[c] != s}
    assert wrong == {}


_TAG_SHAPE = re.compile(r"[a-z0-9_.-]+:[a-z0-9_.-]+:[a-z0-9_.-]+")


def _tag_expressions() -> Iterator[tuple[str, ast.expr]]:
    """Every expression passed as an audit tag in src: ``tag=`` or ``AuditEvent``'s first."""
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            values = [kw.value for kw in node.keywords if kw.arg == "tag"]
            if name == "AuditEvent" and node.args:
                values.append(node.args[0])
            for value in values:
                yield f"{path.relative_to(SRC)}:{node.lineno}", value


def test_every_audit_tag_used_in_src_is_registered() -> None:
    from xinyong.audit.tags import AuditTag

    known = {t.value for t in AuditTag}
    problems = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            # Any string shaped like a tag is one (passed through a helper or a constant).
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _TAG_SHAPE.fullmatch(node.value)
                and node.value not in known
            ):
                problems.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value}")
    for where, value in _tag_expressions():
        if isinstance(value, ast.JoinedStr):
            head = value.values[0]
            prefix = head.value if isinstance(head, ast.Constant) else ""
            if not isinstance(prefix, str) or prefix.count(":") != 2:
                problems.append(f"{where}: a built tag names its context and object")
            elif not any(t.startswith(prefix) for t in known):
                problems.append(f"{where}: no tag starts {prefix}")
    assert problems == []


def test_tags_are_unique_and_shaped() -> None:
    from xinyong.audit.tags import AuditTag

    values = [t.value for t in AuditTag]
    assert len(values) == len(set(values))
    assert all(_TAG_SHAPE.fullmatch(v) for v in values)
    assert all(t.name == t.value.upper().replace(":", "_") for t in AuditTag)
