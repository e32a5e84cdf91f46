# shellcheck shell=bash
# Sourced by .ci/run once the primary runs: a streaming hot standby of it (pg_basebackup -R,
# WAL streamed during the copy) on its own port, stopped on exit with the primary. Exports
# XINYONG_TEST_STANDBY_URL for the standby tests (tests/integration/ops/test_standby.py).
# Needs PGBIN, PGDIR (where the primary's socket is), PGPORT; run by hand for a developer's
# cluster:  PGBIN=/usr/lib/postgresql/15/bin PGDIR=/work/pg PGPORT=55432 source .ci/standby.sh
STANDBY_DIR="${STANDBY_DIR:-$PGDIR/standby}"
STANDBY_PORT="${STANDBY_PORT:-$((PGPORT + 1))}"
# A replication slot keeps on the primary every WAL segment the standby has not received yet,
# so a standby that falls behind (the suite creates and drops many databases) catches up
# instead of finding its next segment removed.
if [ ! -f "$STANDBY_DIR/standby.signal" ]; then
  rm -rf "$STANDBY_DIR"
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atqc \
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'xinyong_standby'" >/dev/null
  su postgres -s /bin/sh -c "$PGBIN/pg_basebackup -h 127.0.0.1 -p $PGPORT -U postgres -D '$STANDBY_DIR' -R -C -S xinyong_standby -X stream -c fast"
fi
# A hot standby needs these at least as high as on the primary (which may set them on its
# command line, out of the copied configuration's sight).
STANDBY_OPTS=""
for setting in max_connections max_worker_processes max_wal_senders max_locks_per_transaction max_prepared_transactions; do
  value=$("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SHOW $setting")
  STANDBY_OPTS="$STANDBY_OPTS -c $setting=$value"
done
su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$STANDBY_DIR' -l '$STANDBY_DIR.log' -w -o \"-c listen_addresses=127.0.0.1 -p $STANDBY_PORT -k '$PGDIR' -c hot_standby=on $STANDBY_OPTS\" start" >/dev/null
export XINYONG_TEST_STANDBY_URL="postgresql://postgres@127.0.0.1:$STANDBY_PORT/postgres"
echo "ci: PostgreSQL hot standby on 127.0.0.1:$STANDBY_PORT"
standby_stop() {
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$STANDBY_DIR' -m immediate stop" >/dev/null 2>&1 || true
}
if declare -F cleanup >/dev/null; then
  trap 'standby_stop; cleanup' EXIT
fi
