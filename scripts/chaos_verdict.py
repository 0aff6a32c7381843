"""The chaos run's verdict (pure): the simulator's receipts against the adapter's own records.

Inputs are plain rows: the simulator's ``/admin/records`` (one per accepted file), the
adapter's ``outbox_item`` and ``outbox_attempt`` rows, the finished MA_LKs of the HIS and
the peak of requests in flight. Only claims (kind ``claim``) are judged.

* lost: a finished encounter the simulator never accepted.
* duplicate: a receipt beyond the one whose transaction id the adapter recorded. Each one
  must be matched with its own attempt of that item whose outcome could not be known: a
  ``LeaseExpired`` attempt (the worker was killed with the request in flight) or an
  ``OutcomeUnknown`` one (the reply was lost or came too late). What is left is unexplained.
* phantom: the adapter recorded an acceptance the simulator has no receipt for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Row = Mapping[str, Any]
KILLED = "killed in flight (lease expired)"
REPLY_LOST = "reply lost (simulator dropped it)"
LATE = "no reply in time (read timeout)"
UNEXPLAINED = "UNEXPLAINED"


@dataclass(frozen=True, kw_only=True)
class Verdict:
    finished: int
    accepted: int
    lost: list[str]
    duplicates: list[dict[str, Any]]          # one per extra receipt, with the attempt that explains it
    phantom: list[str]
    replacements: int
    statuses: dict[str, int]
    attempts: dict[str, int]
    peak_in_flight: int
    bound: int
    in_flight_at_kills: int
    causes: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "causes", dict(Counter(d["cause"] for d in self.duplicates)))

    @property
    def unexplained(self) -> list[str]:
        return sorted({d["ma_lk"] for d in self.duplicates if d["cause"] == UNEXPLAINED})

    @property
    def kill_duplicates(self) -> int:
        return self.causes.get(KILLED, 0)

    @property
    def ok(self) -> bool:
        return (not self.lost and not self.unexplained and not self.phantom and self.replacements == 0
                and self.peak_in_flight <= self.bound and self.kill_duplicates <= self.in_flight_at_kills)


def analyse(*, finished: Iterable[str], receipts: list[Row], items: list[Row], attempts: list[Row],
            peak: int, bound: int, in_flight_at_kills: int) -> Verdict:
    claims = [r for r in receipts if r["kind"] == "claim"]
    by_lk: dict[str, list[Row]] = {}
    for r in claims:
        by_lk.setdefault(r["ma_lk"], []).append(r)
    item_of = {i["ma_lk"]: i for i in items if i["kind"] == "claim"}
    tries: dict[int, list[Row]] = {}
    for a in attempts:
        tries.setdefault(a["item_id"], []).append(a)
    duplicates: list[dict[str, Any]] = []
    phantom = [lk for lk, i in item_of.items() if i["status"] == "accepted" and lk not in by_lk]
    for ma_lk, got in sorted(by_lk.items()):
        item = item_of.get(ma_lk)
        item_tries = tries.get(item["id"], []) if item is not None else []
        known = {str(a["transaction_id"]) for a in item_tries if a["outcome"] == "accepted"}
        if known and not known & {r["maGiaoDich"] for r in got}:
            phantom.append(ma_lk)
        extra = [r for r in got if r["maGiaoDich"] not in known]
        duplicates += explain(ma_lk, extra if known else extra[1:], item_tries)
    done = set(finished)
    return Verdict(finished=len(done), accepted=len(done & by_lk.keys()), lost=sorted(done - by_lk.keys()),
                   duplicates=duplicates, phantom=sorted(set(phantom)),
                   replacements=sum(1 for r in claims if r.get("replacement")),
                   statuses=dict(Counter(str(i["status"]) for i in items)),
                   attempts=dict(Counter(str(a["error_class"] or a["outcome"]) for a in attempts)),
                   peak_in_flight=peak, bound=bound, in_flight_at_kills=in_flight_at_kills)


def explain(ma_lk: str, extra: list[Row], tries: list[Row]) -> list[dict[str, Any]]:
    """Match each extra receipt with its own unknown-outcome attempt; a receipt left over is unexplained."""
    pool = [a for a in tries if a["error_class"] in ("LeaseExpired", "OutcomeUnknown")]
    out = []
    for receipt in sorted(extra, key=lambda r: not r.get("reply_lost")):   # the sure causes first
        lost = bool(receipt.get("reply_lost"))
        prefer = ("OutcomeUnknown", "LeaseExpired") if lost else ("LeaseExpired", "OutcomeUnknown")
        attempt = next((a for cls in prefer for a in pool if a["error_class"] == cls), None)
        if attempt is not None:
            pool.remove(attempt)
        out.append({"ma_lk": ma_lk, "transaction": receipt["maGiaoDich"], "reply_lost": lost,
                    "attempt_no": attempt["attempt_no"] if attempt else None,
                    "error_class": attempt["error_class"] if attempt else None,
                    "error": str(attempt["error"] or "")[:80] if attempt else None,
                    "cause": _cause(lost, attempt)})
    return out


def _cause(reply_lost: bool, attempt: Row | None) -> str:
    if attempt is None:
        return UNEXPLAINED
    if reply_lost:
        return REPLY_LOST
    return KILLED if attempt["error_class"] == "LeaseExpired" else LATE


# ---- output ---------------------------------------------------------------------------------

def rows(result: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The summary table: measure, value."""
    v, sim = result["verdict"], result["simulator"]
    return [("finished encounters in the HIS", v["finished"]), ("accepted by the simulator", v["accepted"]),
            ("LOST (must be 0)", len(v["lost"])), ("duplicates (receipts beyond one)", len(v["duplicates"])),
            *((f"  caused by: {k}", n) for k, n in sorted(v["causes"].items())),
            ("UNEXPLAINED duplicates (must be 0)", len(v["unexplained"])),
            ("items in flight at the kills", v["in_flight_at_kills"]),
            ("duplicates from kills (<= in flight at kills)", v["kill_duplicates"]),
            ("phantom acceptances (must be 0)", len(v["phantom"])),
            ("replacements (must be 0)", v["replacements"]),
            ("peak requests in flight for the account", v["peak_in_flight"]),
            ("bound: gateway.max_concurrency", v["bound"]),
            ("mean requests in flight while the backlog drained", result["in_flight"]["mean_while_settling"]),
            ("simulator requests received (files)", sim["received"]), ("tokens issued", sim["tokens_issued"]),
            *((f"fault injected: {k}", n) for k, n in sorted((sim["faults"] or {}).items())),
            *((f"outbox status: {k}", n) for k, n in sorted(v["statuses"].items())),
            *((f"attempts: {k}", n) for k, n in sorted(v["attempts"].items())),
            *((f"time: {k}", f"{s:.1f} s") for k, s in result["timings_s"].items()),
            *((f"exit code: {k}", n) for k, n in result["exit_codes"].items())]


def print_summary(result: Mapping[str, Any], *, show: int = 8) -> None:
    from adapter.cli.output import print_table

    v = result["verdict"]
    print_table([{"measure": m, "value": val} for m, val in rows(result)], ["measure", "value"])
    if v["duplicates"]:
        print(f"\nduplicates with the attempt that explains each (first {show}; all in chaos-result.json):")
        columns = ["ma_lk", "transaction", "reply_lost", "attempt_no", "error_class", "cause"]
        print_table([{k: d[k] for k in columns} for d in v["duplicates"][:show]], columns)
    for name in ("lost", "unexplained", "phantom"):
        if v[name]:
            print(f"{name}: {', '.join(v[name][:20])}{' ...' if len(v[name]) > 20 else ''}")
    print("\nVERDICT: " + ("OK: nothing lost, every duplicate explained, bound respected" if v["ok"]
                           else "FAILED (see the rows marked 'must be 0' and the bound)"))


def as_dict(verdict: Verdict) -> dict[str, Any]:
    from dataclasses import asdict

    return {**asdict(verdict), "unexplained": verdict.unexplained, "kill_duplicates": verdict.kill_duplicates,
            "ok": verdict.ok}
