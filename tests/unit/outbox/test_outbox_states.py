"""The transition table: every pair outside it is refused, every pair in it accepted."""

from __future__ import annotations

import itertools

import pytest

from adapter.errors import InvalidTransition, PermanentError
from adapter.outbox.states import FINAL, PENDING, TRANSITIONS, Status, check, route_new_version


@pytest.mark.parametrize(("frm", "to"), list(itertools.product(Status, Status)))
def test_full_matrix_follows_the_table(frm: Status, to: Status) -> None:
    if to in TRANSITIONS[frm]:
        assert check(frm, to) is to
    else:
        with pytest.raises(InvalidTransition):
            check(frm, to)


def test_every_status_has_a_row_and_pending_final_partition_the_rest() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert PENDING.isdisjoint(FINAL)
    assert PENDING | FINAL == set(Status)


def test_invalid_transition_is_permanent_and_unknown_names_are_refused() -> None:
    with pytest.raises(PermanentError):
        check(Status.ACCEPTED, Status.SENDING)
    with pytest.raises(InvalidTransition):
        check("signed", "ready")


@pytest.mark.parametrize("frm", [Status.ACCEPTED, Status.CANCELLED, Status.EXTRACTED, Status.NEEDS_FIX])
def test_nothing_goes_to_sending_without_a_claim_from_ready_or_retry_wait(frm: Status) -> None:
    assert Status.SENDING not in TRANSITIONS[frm]


def test_terminal_acceptance_can_only_leave_for_a_new_version() -> None:
    assert TRANSITIONS[Status.ACCEPTED] == {Status.EXTRACTED, Status.NEEDS_FIX, Status.READY, Status.HELD}


def _route(
    current: Status,
    *,
    accepted: bool = False,
    blocking: bool = False,
    signed: bool = True,
    policy: str = "hold",
    same: bool = False,
) -> Status | None:
    return route_new_version(
        current,
        accepted_before=accepted,
        blocking=blocking,
        signed=signed,
        replacement_policy=policy,
        same_as_accepted=same,
    )


def test_route_new_version() -> None:
    assert _route(Status.SENDING) is None
    assert _route(Status.READY) is Status.READY
    assert _route(Status.READY, signed=False) is Status.EXTRACTED
    assert _route(Status.READY, blocking=True) is Status.NEEDS_FIX
    assert _route(Status.NEEDS_FIX) is Status.READY
    assert _route(Status.ACCEPTED, accepted=True) is Status.HELD
    assert _route(Status.ACCEPTED, accepted=True, policy="send") is Status.READY
    assert _route(Status.ACCEPTED, accepted=True, blocking=True) is Status.NEEDS_FIX
    assert _route(Status.NEEDS_FIX, accepted=True) is Status.HELD  # fixed edit of an accepted record
    assert _route(Status.CANCELLED) is Status.HELD
    assert _route(Status.HELD, blocking=True) is Status.HELD
    assert _route(Status.HELD, accepted=True, same=True) is Status.ACCEPTED  # edit undone
    assert _route(Status.NEEDS_FIX, accepted=True, same=True) is Status.ACCEPTED


@pytest.mark.parametrize("current", [s for s in Status if s is not Status.SENDING])
@pytest.mark.parametrize("accepted", [False, True])
@pytest.mark.parametrize("blocking", [False, True])
@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("policy", ["hold", "send"])
@pytest.mark.parametrize("same", [False, True])
def test_every_routed_move_is_in_the_table(
    current: Status, accepted: bool, blocking: bool, signed: bool, policy: str, same: bool
) -> None:
    target = _route(current, accepted=accepted, blocking=blocking, signed=signed, policy=policy, same=same)
    assert target is not None
    assert check(current, target) is target
