"""RFC 6962 §2.1 Merkle tree hashing, pure (no I/O) — the mathematics of the audit log (PLT-2).

* leaf hash ``SHA-256(0x00 ‖ entry bytes)``, interior node ``SHA-256(0x01 ‖ left ‖ right)``,
  root of the empty tree ``SHA-256("")``;
* a *node* ``(level, index)`` is the root of the perfect subtree over leaves
  ``[index·2^level, (index+1)·2^level)``; level 0 is a leaf hash;
* the *frontier* (a compact range over ``[0, size)``) is the list of perfect-subtree roots of
  the tree, largest (leftmost) first: O(log n) hashes from which the next append and the root
  are computed without reading older leaves;
* proofs are *planned* as lists of nodes to read, then *assembled* from those hashes, so the
  storage layer reads O(log n) stored nodes per proof (RFC 9162 §2.1.3 and §2.1.4 verify them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from hashlib import sha256

Node = tuple[int, int]  # (level, index)

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()
_LEAF = b"\x00"
_NODE = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    return sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(_NODE + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n ≥ 2), RFC 6962's ``k``."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaves(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) from leaf hashes, straight from the RFC's recursive definition."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root_from_leaves(leaves[:k]), root_from_leaves(leaves[k:]))


# --- the frontier (compact range) -------------------------------------------------------------


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[tuple[Node, bytes]]:
    """Append leaf ``size`` to ``frontier`` in place; return the interior nodes it completes.

    Each set low bit of ``size`` is a perfect subtree waiting for a right sibling of its size:
    the new leaf merges with them. Amortised one hash per append.
    """
    completed: list[tuple[Node, bytes]] = []
    h = leaf
    n = size
    level = 0
    while n & 1:
        h = node_hash(frontier.pop(), h)
        n >>= 1
        level += 1
        completed.append(((level, n), h))
    frontier.append(h)
    return completed


def extend(frontier: list[bytes], size: int, leaves: Sequence[bytes]) -> None:
    """Append ``leaves`` (leaf ``size`` onwards) to ``frontier`` in place — what
    :func:`frontier_append` does for each, without naming the interior nodes — hashing the
    largest aligned runs level by level, one list comprehension per level (verification runs
    this over every leaf of the log)."""
    sha = sha256
    done, total = 0, len(leaves)
    while done < total:
        # The largest perfect subtree starting at ``size``: aligned there, and not past the end.
        aligned = (size & -size).bit_length() - 1 if size else 63
        level = min(aligned, (total - done).bit_length() - 1)
        run = leaves[done : done + (1 << level)]
        while len(run) > 1:
            pairs = zip(run[0::2], run[1::2], strict=True)
            run = [sha(_NODE + left + right).digest() for left, right in pairs]
        h, k = run[0], size >> level
        while k & 1:
            h = sha(_NODE + frontier.pop() + h).digest()
            k >>= 1
        frontier.append(h)
        size += 1 << level
        done += 1 << level


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The tree root: fold the perfect subtrees from the smallest (rightmost) up."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for h in reversed(frontier[:-1]):
        acc = node_hash(h, acc)
    return acc


def frontier_nodes(size: int) -> list[Node]:
    """The nodes a frontier of a tree of ``size`` leaves holds, largest first."""
    return range_nodes(0, size)


def pack_frontier(frontier: Sequence[bytes]) -> bytes:
    return b"".join(frontier)


def unpack_frontier(blob: bytes) -> list[bytes]:
    if len(blob) % HASH_SIZE:
        raise ValueError("a frontier is a whole number of 32-byte hashes")
    return [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]


# --- proofs as plans of stored nodes ---------------------------------------------------------


def range_nodes(lo: int, hi: int) -> list[Node]:
    """Decompose leaves ``[lo, hi)`` into maximal aligned perfect subtrees, left to right.

    For the ranges proofs need (``lo`` aligned to a power of two at least ``hi - lo``) the
    right fold of these nodes is exactly MTH(D[lo:hi]).
    """
    out: list[Node] = []
    while lo < hi:
        level = (lo & -lo).bit_length() - 1 if lo else (hi - lo).bit_length() - 1
        while (1 << level) > hi - lo:
            level -= 1
        out.append((level, lo >> level))
        lo += 1 << level
    return out


Plan = list[list[Node]]


def inclusion_plan(index: int, size: int) -> Plan:
    """PATH(index, D[size]) (RFC 6962 §2.1.1): per proof element, the nodes it folds from."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    out: Plan = []

    def path(lo: int, hi: int) -> None:
        if hi - lo == 1:
            return
        k = _split(hi - lo)
        if index - lo < k:
            path(lo, lo + k)
            out.append(range_nodes(lo + k, hi))
        else:
            path(lo + k, hi)
            out.append(range_nodes(lo, lo + k))

    path(0, size)
    return out


def consistency_plan(size1: int, size2: int) -> Plan:
    """PROOF(size1, D[size2]) (RFC 6962 §2.1.2): per proof element, the nodes it folds from."""
    if not 0 <= size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1} to size {size2}")
    out: Plan = []
    if size1 in (0, size2):
        return out

    def sub(m: int, lo: int, hi: int, whole: bool) -> None:
        if m == hi - lo:
            if not whole:
                out.append(range_nodes(lo, hi))
            return
        k = _split(hi - lo)
        if m <= k:
            sub(m, lo, lo + k, whole)
            out.append(range_nodes(lo + k, hi))
        else:
            sub(m - k, lo + k, hi, False)
            out.append(range_nodes(lo, lo + k))

    sub(size1, 0, size2, True)
    return out


def plan_nodes(plan: Iterable[Sequence[Node]]) -> set[Node]:
    return {node for element in plan for node in element}


def fold(nodes: Sequence[Node], lookup: Mapping[Node, bytes]) -> bytes:
    """The hash of a range from its perfect subtrees (right fold, as :func:`frontier_root`)."""
    return frontier_root([lookup[n] for n in nodes])


def assemble(plan: Plan, lookup: Mapping[Node, bytes]) -> list[bytes]:
    return [fold(element, lookup) for element in plan]


def node_from_leaves(leaves: Sequence[bytes]) -> Callable[[Node], bytes]:
    """In-memory node oracle (tests, small trees): O(2^level) hashing per node."""

    def get(node: Node) -> bytes:
        level, index = node
        return root_from_leaves(leaves[index << level : (index + 1) << level])

    return get


def proof_from_leaves(plan: Plan, leaves: Sequence[bytes]) -> list[bytes]:
    get = node_from_leaves(leaves)
    return assemble(plan, {n: get(n) for n in plan_nodes(plan)})


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) -------------------------------------------


def _sizes_ok(*hashes: bytes) -> bool:
    return all(len(h) == HASH_SIZE for h in hashes)


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root a valid inclusion proof implies, or ``None`` if its shape is wrong."""
    if not 0 <= index < size or not _sizes_ok(leaf, *proof):
        return None
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    return root_from_inclusion(index, size, leaf, proof) == root


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> bool:
    """Does ``proof`` show that the tree of ``size2`` extends the tree of ``size1``?"""
    if not 0 <= size1 <= size2 or not _sizes_ok(*proof):
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # a power of two: the old root is itself a node of the path
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2
