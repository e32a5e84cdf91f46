"""Operations: the periodic jobs and their scheduler (``xinyong worker``), backups, metrics,
readiness, and PostgreSQL partitions (issue 15)."""
