"""The publication store's engine, schema and state row.

Own metadata, own life cycle (no Alembic): :func:`ensure_schema` creates the tables of
``models.PublicBase`` and the ``pub_state`` row with :data:`models.SCHEMA_VERSION`. The store is
a derived copy of what the core discloses, so a store found at another schema version is
dropped and rebuilt from the core by the next ``xinyong publish`` — there is nothing in it to
migrate that the core cannot recompute.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from xinyong.core.config import Settings
from xinyong.db.session import make_engine, make_session_factory
from xinyong.publication.models import SCHEMA_VERSION, PublicBase, PubState

STATE_ID = 1
_KEY_PREFIX = b"xinyong-public-subject:"

#: How far the store is published, in one statement built once (also run on the driver, where
#: a day comes back as its ISO text on SQLite). Every publication that changes what the store
#: holds moves one of these: a later audit position, a new day, a rebuild's progress, newer
#: subjects or reports. The first four decide whether it is behind the core
#: (``publish.behind``); all of them key the answers a public server keeps.
PUBLISHED = select(
    PubState.audit_seq,
    PubState.published_on,
    PubState.published_at,
    PubState.rebuild_seq,
    PubState.rebuild_after,
    PubState.subject_high,
    PubState.report_high,
).where(PubState.id == STATE_ID)


def code_key(code: str) -> str:
    """The store's key of a normalised subject code: the code itself never enters the store.

    A plain digest, not a secret one: the public server must compute it and holds no secret.
    It keeps full identity numbers out of the store's text (a leak or a dump shows none); it
    does not stop someone who can already query the public server from testing numbers.
    """
    return hashlib.sha256(_KEY_PREFIX + code.encode()).hexdigest()


def store_engine(settings: Settings) -> Engine:
    return make_engine(settings.resolved_public_database_url())


def ensure_schema(engine: Engine) -> None:
    """Create the store's tables and state row; rebuild a store of another schema version."""
    version = None
    if inspect(engine).has_table(PubState.__tablename__):
        with engine.connect() as conn:
            version = conn.execute(
                select(PubState.schema_version).where(PubState.id == STATE_ID)
            ).scalar_one_or_none()
    if version is not None and version != SCHEMA_VERSION:
        PublicBase.metadata.drop_all(engine)
    PublicBase.metadata.create_all(engine)
    with engine.begin() as conn:
        present = conn.execute(select(PubState.id).where(PubState.id == STATE_ID)).first()
        if present is None:
            conn.execute(
                insert(PubState).values(id=STATE_ID, schema_version=SCHEMA_VERSION, audit_seq=-1)
            )


def write_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that publish (on SQLite they take the write lock up front)."""
    return make_session_factory(engine)


def read_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that serve: read-only, autocommit on PostgreSQL, beside the writer on SQLite."""
    return make_session_factory(engine, writes=False, snapshot=False)


def lock_state(session: Session) -> PubState:
    """The state row, locked until the session commits (one publisher at a time)."""
    query = select(PubState).where(PubState.id == STATE_ID)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    state = session.scalars(query).one()
    return state
