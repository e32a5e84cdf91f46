"""Webhooks (COL-4): signed payloads to a real local endpoint, retries with backoff."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tests.integration.feed.helpers import deliver
from tests.integration.feed.receiver import receiver
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied
from xinyong.feed import service
from xinyong.feed.dispatcher import deliver_due, http_send
from xinyong.feed.rules import MAX_ATTEMPTS
from xinyong.feed.schemas import WebhookCreate

SECRET = "s3cret-for-the-test-endpoint"


def subscribe(db: Session, actor: Actor, url: str, clock: Clock, **kw: object) -> int:
    data = WebhookCreate.model_validate({"url": url, "secret": SECRET, **kw})
    return service.create_subscription(db, actor=actor, data=data, at=clock.now()).id


def test_signed_payloads_reach_the_endpoint(
    db: Session, provider: Actor, other_provider: Actor, clock: Clock
) -> None:
    before = deliver(db, provider, "301", clock.now())  # before subscribing: not pushed
    with receiver(SECRET) as endpoint:
        sub = subscribe(db, provider, endpoint.url, clock)
        mine = deliver(db, provider, "302", clock.now())
        deliver(db, other_provider, "303", clock.now())  # not the provider's: not pushed

        result = deliver_due(db, at=clock.now(), send=http_send)
        assert (result.queued, result.delivered, result.failed, result.dead) == (1, 1, 0, 0)

        (got,) = endpoint.received
        assert got["valid"] is True
        assert got["tampered_valid"] is False
        assert got["timestamp"] == str(int(clock.now().timestamp()))
        change = got["payload"]["change"]
        assert change["record_id"] == mine.id != before.id
        assert change["kind"] == "delivered"
        assert got["payload"]["subscription_id"] == sub

        again = deliver_due(db, at=clock.now() + timedelta(minutes=5), send=http_send)
        assert (again.queued, again.delivered) == (0, 0)  # each change is pushed once
        assert len(endpoint.received) == 1

    log = service.list_deliveries(db, actor=provider, subscription_id=sub).items
    assert [(d.status, d.attempt, d.last_status_code) for d in log] == [("delivered", 1, 200)]
    assert log[0].delivered_at == clock.now()


def test_a_failing_endpoint_is_retried_with_backoff_then_dead(
    db: Session, provider: Actor, clock: Clock
) -> None:
    with receiver(SECRET, status=500) as endpoint:
        sub = subscribe(db, provider, endpoint.url, clock)
        deliver(db, provider, "401", clock.now())
        at = clock.now()
        waits = []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            result = deliver_due(db, at=at, send=http_send)
            assert result.delivered == 0
            (d,) = service.list_deliveries(db, actor=provider, subscription_id=sub).items
            assert d.attempt == attempt
            assert d.last_status_code == 500
            if attempt < MAX_ATTEMPTS:
                assert d.status == "failed"
                assert d.next_attempt_at is not None
                waits.append(d.next_attempt_at - at)
                # Not due a second before its time.
                early = deliver_due(db, at=d.next_attempt_at - timedelta(seconds=1), send=http_send)
                assert early.failed == 0
                at = d.next_attempt_at
            else:
                assert d.status == "dead"
                assert d.next_attempt_at is None
        assert waits == [timedelta(minutes=2**n) for n in range(MAX_ATTEMPTS - 1)]
        assert len(endpoint.received) == MAX_ATTEMPTS
        assert all(r["valid"] for r in endpoint.received)
        # Every attempt of the same delivery carries the same delivery id.
        assert len({r["delivery"] for r in endpoint.received}) == 1
        later = deliver_due(db, at=at + timedelta(days=1), send=http_send)
        assert (later.delivered, later.failed, later.dead) == (0, 0, 0)


def test_an_unreachable_endpoint_fails_with_its_error(
    db: Session, provider: Actor, clock: Clock
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sub = subscribe(db, provider, f"http://127.0.0.1:{port}/hook", clock)
    deliver(db, provider, "501", clock.now())
    result = deliver_due(db, at=clock.now(), send=http_send)
    assert result.failed == 1
    (d,) = service.list_deliveries(db, actor=provider, subscription_id=sub).items
    assert d.status == "failed"
    assert d.last_status_code is None
    assert d.last_error
    assert "Connect" in d.last_error


def test_subscriptions_belong_to_their_organisation(
    db: Session, provider: Actor, other_provider: Actor, clock: Clock
) -> None:
    sub = subscribe(db, provider, "https://example.invalid/hook", clock)
    assert [s.id for s in service.list_subscriptions(db, actor=provider).items] == [sub]
    assert service.list_subscriptions(db, actor=other_provider).items == []
    with pytest.raises(NotFound):
        service.list_deliveries(db, actor=other_provider, subscription_id=sub)


def test_an_organ_subscribes_only_within_its_authority(db: Session, clock: Clock) -> None:
    from tests.factories.accounts import actor_of, make_user
    from xinyong.core.actor import Role

    organ = actor_of(
        make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ", items=["admin_penalty"])
    )
    with pytest.raises(PermissionDenied):
        subscribe(db, organ, "https://example.invalid/hook", clock, item_codes=["tax_arrears"])
    assert subscribe(db, organ, "https://example.invalid/h", clock, item_codes=["admin_penalty"])


def test_a_send_to_a_refused_address_fails_and_reaches_nothing(
    db: Session, provider: Actor, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with receiver(SECRET) as endpoint:
        sub = subscribe(db, provider, endpoint.url, clock)  # allowed when subscribed
        deliver(db, provider, "401", clock.now())
        # The operator withdraws loopback from the allowed networks: the next send is refused
        # before any connection is made, and the subscriber reads why in its delivery log.
        monkeypatch.setenv("XINYONG_WEBHOOK_ALLOWED_NETWORKS", "")
        result = deliver_due(db, at=clock.now(), send=http_send)
        assert (result.delivered, result.failed) == (0, 1)
        assert endpoint.received == []
    (log,) = service.list_deliveries(db, actor=provider, subscription_id=sub).items
    assert log.status == "failed"
    assert "DestinationRefused" in (log.last_error or "")
    assert "127.0.0.1" in (log.last_error or "")


def test_a_subscription_to_an_internal_address_is_refused(
    db: Session, provider: Actor, clock: Clock
) -> None:
    with pytest.raises(InvalidInput, match=r"169\.254\.169\.254") as refused:
        subscribe(db, provider, "http://169.254.169.254/latest/meta-data/", clock)
    assert refused.value.code == "webhook_destination_refused"
    assert service.list_subscriptions(db, actor=provider).items == []
