"""The public pages a process keeps are bounded by their bytes, least recently used first."""

from __future__ import annotations

import pytest

from xinyong.web.kept import KeptPages


def test_a_kept_page_is_served_as_it_was_rendered() -> None:
    pages = KeptPages(budget=100)
    pages.put("a", "信用".encode())
    assert pages.get("a") == "信用".encode()
    assert pages.get("b") is None


def test_past_the_budget_the_least_recently_used_pages_go_first() -> None:
    pages = KeptPages(budget=30)
    pages.put("a", b"x" * 10)
    pages.put("b", b"x" * 10)
    pages.put("c", b"x" * 10)
    assert pages.get("a") is not None  # "a" is now the most recently used
    pages.put("d", b"x" * 10)  # 40 bytes: "b", the least recently used, goes
    assert pages.get("b") is None
    assert [k for k in ("a", "c", "d") if pages.get(k) is not None] == ["a", "c", "d"]
    assert pages.size == 30
    pages.put("e", b"x" * 25)  # 55 bytes: "a" and "c" go, then 35 still passes: "d" too
    assert len(pages) == 1
    assert pages.size == 25


def test_many_small_pages_fit_where_a_count_would_have_stopped() -> None:
    pages = KeptPages(budget=15_000 * 2_000)
    for i in range(2_000):
        pages.put(i, b"x" * 15_000)
    assert len(pages) == 2_000
    assert all(pages.get(i) is not None for i in range(2_000))


def test_a_page_larger_than_the_budget_is_not_kept() -> None:
    pages = KeptPages(budget=10)
    pages.put("a", b"x" * 5)
    pages.put("big", b"x" * 11)
    assert pages.get("big") is None
    assert pages.get("a") == b"x" * 5


def test_a_page_kept_again_counts_once() -> None:
    pages = KeptPages(budget=100)
    pages.put("a", b"x" * 40)
    pages.put("a", b"y" * 30)
    assert pages.size == 30
    assert pages.get("a") == b"y" * 30


def test_a_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="not negative"):
        KeptPages(budget=-1)
