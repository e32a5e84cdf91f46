"""The Merkle log's hashing against RFC 6962's public test vectors (transparency-dev/merkle)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.audit import merkle as m

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "rfc6962_vectors.json").read_text()
)
LEAVES = [m.leaf_hash(bytes.fromhex(x)) for x in VECTORS["leaves"]]
ROOTS = [bytes.fromhex(x) for x in VECTORS["roots"]]


def _hexes(xs: list[str]) -> list[bytes]:
    return [bytes.fromhex(x) for x in xs]


def test_hasher_vectors() -> None:
    h = VECTORS["hasher"]
    assert m.EMPTY_ROOT.hex() == h["empty_root"]
    assert m.leaf_hash(b"").hex() == h["empty_leaf"]
    assert m.leaf_hash(b"L123456").hex() == h["leaf_L123456"]
    assert m.node_hash(b"N123", b"N456").hex() == h["node_N123_N456"]


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_of_sizes_1_to_8(size: int) -> None:
    assert m.root_from_leaves(LEAVES[:size]) == ROOTS[size - 1]
    frontier: list[bytes] = []
    for i, leaf in enumerate(LEAVES[:size]):
        m.frontier_append(frontier, i, leaf)
    assert m.frontier_root(frontier) == ROOTS[size - 1]


def test_empty_tree_root() -> None:
    assert m.root_from_leaves([]) == m.EMPTY_ROOT == m.frontier_root([])


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: f"{c['leaf']}of{c['size']}")
def test_inclusion_vectors(case: dict[str, Any]) -> None:
    index, size, want = case["leaf"] - 1, case["size"], _hexes(case["proof"])
    proof = m.proof_from_leaves(m.inclusion_plan(index, size), LEAVES[:size])
    assert proof == want
    root = ROOTS[size - 1]
    assert m.verify_inclusion(index, size, LEAVES[index], proof, root)
    # A wrong index, size, leaf, root or a corrupted / padded / shortened proof fails.
    assert not m.verify_inclusion(index + 1, size, LEAVES[index], proof, root)
    assert not m.verify_inclusion(index, size * 2, LEAVES[index], proof, root)
    assert not m.verify_inclusion(index, size, m.leaf_hash(b"x"), proof, root)
    assert not m.verify_inclusion(index, size, LEAVES[index], proof, m.EMPTY_ROOT)
    assert not m.verify_inclusion(index, size, LEAVES[index], [*proof, root], root)
    assert not m.verify_inclusion(index, size, LEAVES[index], [root, *proof], root)
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        assert not m.verify_inclusion(index, size, LEAVES[index], bad, root)
    if proof:
        assert not m.verify_inclusion(index, size, LEAVES[index], proof[:-1], root)


@pytest.mark.parametrize(
    "case", VECTORS["consistency"], ids=lambda c: f"{c['size1']}to{c['size2']}"
)
def test_consistency_vectors(case: dict[str, Any]) -> None:
    s1, s2, want = case["size1"], case["size2"], _hexes(case["proof"])
    proof = m.proof_from_leaves(m.consistency_plan(s1, s2), LEAVES[:s2])
    assert proof == want
    r1, r2 = ROOTS[s1 - 1], ROOTS[s2 - 1]
    assert m.verify_consistency(s1, s2, r1, r2, proof)
    if proof:
        assert not m.verify_consistency(s1, s2, r2, r1, proof)
        assert not m.verify_consistency(s1, s2 * 2, r1, r2, proof)
        assert not m.verify_consistency(s1, s2, r1, r2, [])
        assert not m.verify_consistency(s1, s2, r1, r2, [*proof, r2])
        assert not m.verify_consistency(s1, s2, r1, r2, proof[:-1])
        for i in range(len(proof)):
            bad = list(proof)
            bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
            assert not m.verify_consistency(s1, s2, r1, r2, bad)


def test_degenerate_consistency() -> None:
    r = ROOTS[0]
    assert m.verify_consistency(0, 0, m.EMPTY_ROOT, m.EMPTY_ROOT, [])
    assert m.verify_consistency(0, 5, m.EMPTY_ROOT, r, [])
    assert not m.verify_consistency(0, 1, m.EMPTY_ROOT, r, [m.EMPTY_ROOT])
    assert not m.verify_consistency(2, 1, r, r, [])
    assert not m.verify_consistency(1, 1, r, ROOTS[1], [])


def _leaves(n: int) -> list[bytes]:
    return [m.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


@given(st.integers(min_value=1, max_value=130), st.data())
def test_frontier_proofs_match_the_rfc_definition(n: int, data: st.DataObject) -> None:
    leaves = _leaves(n)
    frontier: list[bytes] = []
    nodes: dict[m.Node, bytes] = {}
    for i, leaf in enumerate(leaves):
        nodes[(0, i)] = leaf
        nodes.update(m.frontier_append(frontier, i, leaf))
    root = m.root_from_leaves(leaves)
    assert m.frontier_root(frontier) == root
    assert m.fold(m.frontier_nodes(n), nodes) == root
    # The stored nodes alone (as the database holds them) answer every proof.
    index = data.draw(st.integers(0, n - 1))
    proof = m.assemble(m.inclusion_plan(index, n), nodes)
    assert m.verify_inclusion(index, n, leaves[index], proof, root)
    size1 = data.draw(st.integers(0, n))
    old_root = m.root_from_leaves(leaves[:size1])
    cproof = m.assemble(m.consistency_plan(size1, n), nodes)
    assert m.verify_consistency(size1, n, old_root, root, cproof)


def test_plans_are_logarithmic() -> None:
    n = 1_000_003
    assert len(m.plan_nodes(m.inclusion_plan(777_777, n))) <= 2 * n.bit_length()
    assert len(m.plan_nodes(m.consistency_plan(500_001, n))) <= 3 * n.bit_length()


def test_frontier_packing_round_trips() -> None:
    frontier = LEAVES[:3]
    assert m.unpack_frontier(m.pack_frontier(frontier)) == frontier
    with pytest.raises(ValueError):
        m.unpack_frontier(b"\x00" * 33)


def test_bad_plans_are_refused() -> None:
    with pytest.raises(ValueError):
        m.inclusion_plan(3, 3)
    with pytest.raises(ValueError):
        m.consistency_plan(4, 3)


@given(st.integers(0, 300), st.integers(0, 300))
def test_extend_is_one_append_after_another(size: int, more: int) -> None:
    """Verification appends runs of leaves level by level: the same frontier."""
    leaves = [m.leaf_hash(str(i).encode()) for i in range(size + more)]
    one_by_one: list[bytes] = []
    for i, leaf in enumerate(leaves):
        m.frontier_append(one_by_one, i, leaf)
    runs: list[bytes] = []
    for i, leaf in enumerate(leaves[:size]):
        m.frontier_append(runs, i, leaf)
    m.extend(runs, size, leaves[size:])
    assert runs == one_by_one
    assert m.frontier_root(runs) == m.root_from_leaves(leaves)
