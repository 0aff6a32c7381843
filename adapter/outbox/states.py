"""The outbox lifecycle as a table (pure: no I/O, no clock).

Every status change of an outbox item goes through :func:`check`; the store's SQL
updates are additionally conditional on the expected current status, so two
processes can never both move the same item.

::

    extracted ──sign──► ready ──claim──► sending ──► accepted ──edit──► held ──resend──► ready
        │                 ▲                 │  ├──► rejected ──resend / new version──► ready
        └──► needs_fix ◄──┤                 │  ├──► retry_wait ──claim (due)──► sending
                          │                 │  └──► dead ──operator retry──► ready
                          └── new version ──┘       (sending ──lease expired──► sending: outcome unknown)

Adjustments to the statuses first proposed, with the reason:

* ``signed`` is not a status: an item is ``ready`` only when its current version
  carries signed bytes, so "signed" and "ready" would mean the same thing. Unsigned
  content waits in ``extracted`` until a signer signs it.
* ``superseded`` belongs to a *version*, not to an item: the item (one per facility,
  MA_LK and document kind) lives on, while older versions are flagged superseded.
* ``held`` is added: a record edited in the HIS after acceptance (mở khóa) waits for
  an operator under the default replacement policy.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from adapter.errors import InvalidTransition


class Status(enum.StrEnum):
    EXTRACTED = "extracted"      # stored, not signed yet
    NEEDS_FIX = "needs_fix"      # blocking issues or a permanent local error; no automatic retry
    READY = "ready"              # signed, waiting to be claimed
    HELD = "held"                # edited after acceptance or after cancel: waits for an operator
    SENDING = "sending"          # claimed by a worker under a lease
    ACCEPTED = "accepted"        # the gateway took it
    REJECTED = "rejected"        # the gateway refused the content
    RETRY_WAIT = "retry_wait"    # transport failure; due again at next_attempt_at
    DEAD = "dead"                # gave up after the maximum attempts
    CANCELLED = "cancelled"      # an operator decided it must not be sent


S = Status

# A new version of the content may arrive in any status except ``sending`` (it is
# then deferred until the attempt in flight ends); these are where it can lead.
_NEW_VERSION = frozenset({S.EXTRACTED, S.NEEDS_FIX, S.READY, S.HELD})

TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    S.EXTRACTED: _NEW_VERSION | {S.CANCELLED},
    S.NEEDS_FIX: _NEW_VERSION | {S.ACCEPTED, S.CANCELLED},    # ACCEPTED: edit reverted to accepted content
    S.READY: _NEW_VERSION | {S.SENDING, S.CANCELLED},
    S.HELD: _NEW_VERSION | {S.ACCEPTED, S.CANCELLED},          # ACCEPTED: declined, or edit reverted
    # SENDING -> SENDING: the lease expired (worker died), another worker takes it up.
    S.SENDING: frozenset({S.SENDING, S.ACCEPTED, S.REJECTED, S.RETRY_WAIT, S.DEAD, S.NEEDS_FIX}),
    S.ACCEPTED: _NEW_VERSION,                                  # READY only by policy or resend
    S.REJECTED: _NEW_VERSION | {S.CANCELLED},
    S.RETRY_WAIT: _NEW_VERSION | {S.SENDING, S.CANCELLED},
    S.DEAD: _NEW_VERSION | {S.CANCELLED},
    S.CANCELLED: frozenset({S.HELD, S.READY}),                 # new content waits; resend
}

# Statuses that still need work by the adapter or an operator (for ages and stats).
PENDING: frozenset[Status] = frozenset({S.EXTRACTED, S.NEEDS_FIX, S.READY, S.HELD, S.SENDING,
                                        S.RETRY_WAIT})
FINAL: frozenset[Status] = frozenset({S.ACCEPTED, S.REJECTED, S.DEAD, S.CANCELLED})


def allowed(frm: Status, to: Status) -> bool:
    return to in TRANSITIONS[frm]


def check(frm: Status | str, to: Status | str) -> Status:
    """Return ``to`` as a Status if the table allows ``frm -> to``, else raise InvalidTransition."""
    try:
        src, dst = Status(frm), Status(to)
    except ValueError as exc:
        raise InvalidTransition(f"unknown outbox status in {frm!r} -> {to!r}") from exc
    if not allowed(src, dst):
        raise InvalidTransition(f"outbox transition {src} -> {dst} is not allowed")
    return dst


def route_new_version(current: Status, *, accepted_before: bool, blocking: bool, signed: bool,
                      replacement_policy: str, same_as_accepted: bool = False) -> Status | None:
    """Where an item goes when a version with new content arrives; None: defer (in flight).

    An edit undone back to the accepted content settles the item as accepted again.
    Items an operator touched (held, cancelled) keep waiting for the operator; blocking
    issues go to needs_fix; content edited after an acceptance is held unless the
    audited policy says to send it as a replacement.
    """
    if current is Status.SENDING:
        return None
    if same_as_accepted and current in (Status.HELD, Status.NEEDS_FIX):
        return Status.ACCEPTED
    if current in (Status.HELD, Status.CANCELLED):
        return Status.HELD
    if blocking:
        return Status.NEEDS_FIX
    if accepted_before and replacement_policy != "send":
        return Status.HELD
    return Status.READY if signed else Status.EXTRACTED
