"""PostgreSQL privileges of the application role (Art. 18, 44; COL-5, PLT-2).

The platform never updates or deletes a record version or an audit entry; in PostgreSQL this
is also enforced by the database itself: the role the application connects as is granted
SELECT and INSERT only on those insert-only tables, so neither a bug nor an injected statement
can rewrite history. (Schema changes run as the owner, not as this role.) SQLite has no roles;
there the guarantee rests on the code, which a test checks holds no such statement.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

#: Tables whose rows are never updated or deleted once written.
INSERT_ONLY_TABLES = (
    "record_version",
    "audit_entry",
    "audit_root",
    "inquiry",
    "violation",
    "institution_status_change",
    "institution_supervision",
)

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(connection: Connection, role_name: str, *, schema: str = "public") -> None:
    """Create ``role_name`` (NOLOGIN) if missing and grant it what the application needs:
    SELECT/INSERT/UPDATE/DELETE on every table and USAGE on every sequence of ``schema``,
    except that the insert-only tables get SELECT and INSERT only. Login roles of the
    application servers are made members of it. Idempotent; PostgreSQL only."""
    if connection.dialect.name != "postgresql":
        raise RuntimeError("grant_app_role applies to PostgreSQL only")
    if not _ROLE_NAME.fullmatch(role_name) or not _ROLE_NAME.fullmatch(schema):
        raise ValueError(f"not a plain SQL identifier: {role_name!r} / {schema!r}")
    exists = connection.scalar(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": role_name}
    )
    if not exists:
        connection.execute(text(f'CREATE ROLE "{role_name}" NOLOGIN'))
    connection.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role_name}"'))
    connection.execute(
        text(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" '
            f'TO "{role_name}"'
        )
    )
    connection.execute(
        text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role_name}"')
    )
    for table in INSERT_ONLY_TABLES:
        connection.execute(
            text(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{schema}"."{table}" FROM "{role_name}"')
        )
