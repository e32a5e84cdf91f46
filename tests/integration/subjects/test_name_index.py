"""The organisation name index answers fragment searches exactly as a scan of every current
and former name would (SUB-3, DIS-1), on both databases, and never finds a natural person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.identifiers import resident_check_char, uscc_check_char
from xinyong.db.migrate import upgrade
from xinyong.db.session import make_engine
from xinyong.subjects import name_index, service
from xinyong.subjects.bulk import ensure_subjects
from xinyong.subjects.models import SubjectNameGram
from xinyong.subjects.rules import SubjectRef, normalize_name

PROVIDER = Actor(role=Role.PROVIDER, user_id=2, username="dept", display_name="市场监管局")


def uscc(n: int) -> str:
    body = f"91520100{n:09d}"
    return body + uscc_check_char(body)


def resident(n: int) -> str:
    body = f"52010219800101{n:03d}"
    return body + resident_check_char(body)


def register(db: Session, clock: Clock, n: int, name: str, type_: str = "legal_person") -> int:
    code = resident(n) if type_ == "natural_person" else uscc(n)
    subject = service.register_subject(
        db, actor=PROVIDER, type=type_, id_value=code, name=name, at=clock.now()
    )
    return subject.id


def scan(names: dict[int, list[str]], fragment: str) -> list[int]:
    """What a full scan answers: exact names first (by id), then by first matching name."""
    key = normalize_name(fragment)
    exact = sorted(sid for sid, ns in names.items() if key in map(normalize_name, ns))
    others = sorted(
        (min(k for k in map(normalize_name, ns) if key in k), sid)
        for sid, ns in names.items()
        if sid not in exact and any(key in normalize_name(n) for n in ns)
    )
    return exact + [sid for _, sid in others]


def ids(
    db: Session, fragment: str, *, limit: int = 50, offset: int = 0, cap: int = 2000
) -> list[int]:
    found = name_index.search(db, normalize_name(fragment), limit=limit, offset=offset, cap=cap)
    return [s.id for s in found]


NAMES = [
    "贵阳花溪科技有限公司",
    "花溪",
    "遵义花溪物流有限公司",
    "安顺红枫商贸有限公司",
    "六盘水花 溪建材有限公司",  # the space is not part of the key
    "铜仁溪花农业合作社",
    "ＡＢＣ花溪餐饮有限公司",  # full-width letters fold to "abc"
]


@pytest.fixture
def register_all(db: Session, clock: Clock) -> dict[int, list[str]]:
    return {register(db, clock, i + 1, name): [name] for i, name in enumerate(NAMES)}


@pytest.mark.parametrize("cap", [1, 2000], ids=["common-gram-path", "rare-gram-path"])
@pytest.mark.parametrize(
    "fragment", ["花溪", "有限公司", "溪建", "abc", "ＡＢＣ花", "花溪科技有限"]
)
def test_fragment_search_equals_a_full_scan(
    db: Session, register_all: dict[int, list[str]], fragment: str, cap: int
) -> None:
    assert ids(db, fragment, cap=cap) == scan(register_all, fragment)


def test_exact_name_first_then_name_order(db: Session, register_all: dict[int, list[str]]) -> None:
    found = name_index.search(db, "花溪", limit=10)
    assert found[0].name == "花溪"
    keys = [s.name_key for s in found[1:]]
    assert keys == sorted(keys)
    assert "铜仁溪花农业合作社" not in [s.name for s in found]  # "溪花" is not "花溪"


def test_bigrams_present_but_not_together_is_no_match(
    db: Session, register_all: dict[int, list[str]]
) -> None:
    # "花溪" and "溪花" both exist, "花溪花" nowhere.
    assert ids(db, "花溪花") == []
    assert ids(db, "不存在的名称") == []


def test_former_names_are_found_and_a_subject_appears_once(db: Session, clock: Clock) -> None:
    sid = register(db, clock, 1, "贵州黔云数据有限公司")
    later = Clock(clock.now() + timedelta(days=30))
    service.register_subject(
        db,
        actor=PROVIDER,
        type="legal_person",
        id_value=uscc(1),
        name="贵州黔云数据科技有限公司",
        at=later.now(),
    )
    assert ids(db, "黔云数据有限") == [sid]  # only the former name has it
    assert ids(db, "黔云数据") == [sid]  # both names have it: listed once
    assert ids(db, "数据科技") == [sid]


def test_natural_persons_are_never_indexed_or_found(db: Session, clock: Clock) -> None:
    person = register(db, clock, 7, "王花溪", type_="natural_person")
    company = register(db, clock, 8, "王花溪商贸有限公司")
    assert ids(db, "王花溪") == [company]
    assert db.scalar(select(func.count()).where(SubjectNameGram.subject_id == person)) == 0


def test_like_wildcards_match_only_themselves(db: Session, clock: Clock) -> None:
    underscore = register(db, clock, 1, "A_B商贸有限公司")
    register(db, clock, 2, "AXB商贸有限公司")
    percent = register(db, clock, 3, "50%股份合作社")
    register(db, clock, 4, "5000股份合作社")
    assert ids(db, "a_b") == [underscore]
    assert ids(db, "0%") == [percent]


@pytest.mark.parametrize("cap", [1, 2000])
def test_pages_join_up_without_gaps_or_repeats(db: Session, clock: Clock, cap: int) -> None:
    names = {}
    for i in range(40):
        name = f"{'遵义' if i % 3 else '贵阳'}山城{i % 7}号商贸有限公司{i}"
        names[register(db, clock, i + 1, name)] = [name]
    expected = scan(names, "山城")
    pages = [ids(db, "山城", limit=7, offset=o, cap=cap) for o in range(0, 49, 7)]
    assert [sid for page in pages for sid in page] == expected
    assert len(expected) == 40


@pytest.mark.parametrize("cap", [1, 2000])
def test_organisations_matched_under_several_names_fill_a_page(
    db: Session, clock: Clock, cap: int
) -> None:
    # Each of 12 organisations matches under four names (three former ones): the walk's first
    # batch holds fewer distinct organisations than a page of 10 and must read on by name.
    names: dict[int, list[str]] = {}
    for i in range(12):
        history = [f"赤水丹霞{i:02d}第{v}代旅游有限公司" for v in range(4)]
        sid = register(db, clock, i + 1, history[0])
        for v, name in enumerate(history[1:], 1):
            service.register_subject(
                db, actor=PROVIDER, type="legal_person", id_value=uscc(i + 1), name=name,
                at=clock.now() + timedelta(days=v),
            )  # fmt: skip
        names[sid] = history
    expected = scan(names, "丹霞")
    assert len(expected) == 12
    assert ids(db, "丹霞", limit=10, cap=cap) == expected[:10]
    assert ids(db, "丹霞", limit=10, offset=10, cap=cap) == expected[10:]


def test_bulk_registered_subjects_are_indexed(db: Session, clock: Clock) -> None:
    wanted = [
        SubjectRef("legal_person", uscc(100 + i), f"毕节乌江{i}号物流有限公司") for i in range(5)
    ]
    wanted.append(SubjectRef("natural_person", resident(9), "乌江张三"))
    resolved = ensure_subjects(db, actor=PROVIDER, wanted=wanted, at=clock.now())
    companies = sorted(resolved.ids[w.id_value] for w in wanted[:5])
    assert sorted(ids(db, "乌江")) == companies


def test_bulk_index_rows_are_each_names_distinct_bigrams(db: Session, clock: Clock) -> None:
    """The rows the database makes from the stored keys (SQLite) or this process writes
    (PostgreSQL) are :func:`name_index.gram_rows` of each key: names outside the Basic
    Multilingual Plane, names NFKC lengthens, repeated bigrams, one- and two-character names."""
    names = ["𠀀𠀁贵州𠀀𠀁有限公司", "㈱贵阳商贸", "哈哈哈哈哈", "贵", "黔南", "ＡＢ　ｃｄ公司"]
    wanted = [SubjectRef("legal_person", uscc(300 + i), n) for i, n in enumerate(names)]
    wanted.append(SubjectRef("natural_person", resident(30), "哈哈张三"))
    resolved = ensure_subjects(db, actor=PROVIDER, wanted=wanted, at=clock.now())
    stored = set(
        db.execute(
            select(SubjectNameGram.gram, SubjectNameGram.name_key, SubjectNameGram.subject_id)
        ).tuples()
    )
    expected = {
        row
        for w in wanted
        for row in name_index.gram_rows(resolved.ids[w.id_value], w.type, normalize_name(w.name))
    }
    assert stored == expected
    assert ("哈哈", "哈哈哈哈哈", resolved.ids[wanted[2].id_value]) in stored
    assert not any(sid == resolved.ids[wanted[-1].id_value] for _, _, sid in stored)


def test_migration_indexes_the_register_already_held(fresh_db_url: str) -> None:
    upgrade(fresh_db_url, "0001")
    engine = make_engine(fresh_db_url)
    try:
        with engine.begin() as conn:
            rows = [
                (1, "legal_person", uscc(1), "贵州花溪酒业有限公司"),
                (2, "natural_person", resident(2), "李花溪"),
            ]
            for sid, type_, code, name in rows:
                conn.execute(
                    text(
                        "INSERT INTO subject (id, type, code, id_kind, id_verified, name, "
                        "name_key, created_at) VALUES (:i, :t, :c, :k, true, :n, :key, "
                        "CURRENT_TIMESTAMP)"
                    ),
                    {
                        "i": sid,
                        "t": type_,
                        "c": code,
                        "k": "uscc",
                        "n": name,
                        "key": normalize_name(name),
                    },
                )
            conn.execute(
                text(
                    "INSERT INTO subject_name (subject_id, name, name_key, valid_to_on, "
                    "replaced_at) VALUES (1, '花溪老窖厂', '花溪老窖厂', '2020-01-01', "
                    "CURRENT_TIMESTAMP)"
                )
            )
        upgrade(fresh_db_url)
        with Session(engine) as session:
            assert ids(session, "花溪") == [1]
            assert ids(session, "老窖") == [1]
            assert session.scalar(select(func.count()).where(SubjectNameGram.subject_id == 2)) == 0
    finally:
        engine.dispose()


def test_bulk_indexing_leaves_the_connection_as_configured(fresh_db_url: str, clock: Clock) -> None:
    """On PostgreSQL the bulk index statement runs without JIT compilation (its row estimate
    is sixty times too high), for its own transaction only: the pooled connection's next
    transaction plans with the connection's own setting again."""
    if not fresh_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url, pool_size=1, max_overflow=0)  # one pooled connection
    try:
        with Session(engine) as s:
            s.execute(text("SET jit = on"))  # the connection's own setting, whatever the server's
            s.commit()
            wanted = [
                SubjectRef("legal_person", uscc(400 + i), f"遵义赤水{i}号竹业有限公司")
                for i in range(3)
            ]
            ensure_subjects(s, actor=PROVIDER, wanted=wanted, at=clock.now())
            assert s.execute(text("SHOW jit")).scalar_one() == "off"
            s.commit()
        with Session(engine) as s:
            assert s.execute(text("SHOW jit")).scalar_one() == "on"
            assert len(ids(s, "赤水")) == 3
    finally:
        engine.dispose()
