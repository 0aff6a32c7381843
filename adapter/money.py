"""Money rules of spec §4.3, with ``Decimal`` only. Pure functions.

Two line algorithms exist: the QĐ 130/4750 step-wise split and the QĐ 3176 direct
formulas. For lines without other-source money they give the same result; they
differ in how T_NGUONKHAC is deducted. Rounding is half-up to 2 decimal places; the
text does not name a rounding mode (INFERRED, configurable later if a gateway
disagrees).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

from adapter.model import DrugLine, Encounter, ServiceLine

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_QUANTIZE = Context(prec=40, Emax=MAX_EMAX, Emin=MIN_EMIN)


def r2(value: Decimal) -> Decimal:
    """Round to 2 decimal places, half-up; never fails for a finite value, whatever its size.

    quantize() raises InvalidOperation when the result needs more digits than the context's
    precision (28 by default: a 27-digit amount), so the precision here follows the value.
    """
    digits = value.adjusted() + 4        # integer digits, two decimals, one for a carry (9.995 -> 10.00)
    context = _QUANTIZE if digits <= _QUANTIZE.prec else Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=context)


def _d(value: Decimal | None, default: Decimal = ZERO) -> Decimal:
    return default if value is None else value


@dataclass(frozen=True, kw_only=True, slots=True)
class LineAmounts:
    """The computed money fields of one XML2/XML3 line."""

    thanh_tien_bv: Decimal
    thanh_tien_bh: Decimal
    t_nguonkhac: Decimal
    t_bntt: Decimal
    t_bncct: Decimal
    t_bhtt: Decimal


def other_sources(line: DrugLine | ServiceLine) -> Decimal:
    """T_NGUONKHAC = NSNN + VTNN + VTTN + CL."""
    return (_d(line.t_nguonkhac_nsnn) + _d(line.t_nguonkhac_vtnn)
            + _d(line.t_nguonkhac_vttn) + _d(line.t_nguonkhac_cl))


def drug_totals(line: DrugLine) -> tuple[Decimal, Decimal]:
    """(THANH_TIEN_BV, THANH_TIEN_BH) of an XML2 line."""
    qty, price = _d(line.so_luong), _d(line.don_gia)
    ratio = _d(line.tyle_tt_bh, HUNDRED)
    return r2(qty * price), r2(qty * price * ratio / HUNDRED)


def service_totals(line: ServiceLine) -> tuple[Decimal, Decimal]:
    """(THANH_TIEN_BV, THANH_TIEN_BH) of an XML3 line (TYLE_TT_DV applied to both)."""
    qty = _d(line.so_luong)
    dv = _d(line.tyle_tt_dv, HUNDRED)
    bh_ratio = _d(line.tyle_tt_bh, HUNDRED)
    bv = r2(qty * _d(line.don_gia_bv) * dv / HUNDRED)
    bh = r2(qty * _d(line.don_gia_bh) * dv / HUNDRED * bh_ratio / HUNDRED)
    return bv, bh


def split_4750(bv: Decimal, bh: Decimal, muc_huong: Decimal, nguonkhac: Decimal) -> tuple[Decimal, ...]:
    """Step-wise 130/4750 split: returns (T_BNTT, T_BNCCT, T_BHTT)."""
    bntt0 = bv - bh
    bhtt0 = bh * muc_huong / HUNDRED
    bncct0 = bh - bhtt0
    rest = nguonkhac
    bntt = max(bntt0 - rest, ZERO)
    rest = max(rest - bntt0, ZERO)
    bncct = max(bncct0 - rest, ZERO)
    rest = max(rest - bncct0, ZERO)
    bhtt = bhtt0 - rest
    return r2(bntt), r2(bncct), r2(bhtt)


def split_3176(bv: Decimal, bh: Decimal, muc_huong: Decimal, nguonkhac: Decimal) -> tuple[Decimal, ...]:
    """Direct 3176 formulas, other sources deducted in turn: returns (T_BNTT, T_BNCCT, T_BHTT)."""
    bhtt = bh * muc_huong / HUNDRED
    bntt = bv - bh
    bncct = bh - bhtt
    rest = nguonkhac
    parts = []
    for part in (bntt, bncct, bhtt):
        taken = min(part, rest) if part > ZERO else ZERO
        parts.append(part - taken)
        rest -= taken
    return tuple(r2(p) for p in parts)


def line_amounts(line: DrugLine | ServiceLine, profile: str) -> LineAmounts:
    """Recompute every money field of a line from quantity, prices, ratios and benefit level."""
    bv, bh = drug_totals(line) if isinstance(line, DrugLine) else service_totals(line)
    nk = other_sources(line)
    split = split_3176 if profile == "3176" else split_4750
    bntt, bncct, bhtt = split(bv, bh, _d(line.muc_huong, HUNDRED), nk)
    return LineAmounts(thanh_tien_bv=bv, thanh_tien_bh=bh, t_nguonkhac=r2(nk),
                       t_bntt=bntt, t_bncct=bncct, t_bhtt=bhtt)


@dataclass(frozen=True, kw_only=True, slots=True)
class EpisodeTotals:
    """XML1 totals."""

    t_thuoc: Decimal
    t_vtyt: Decimal
    t_tongchi_bv: Decimal
    t_tongchi_bh: Decimal
    t_bntt: Decimal
    t_bncct: Decimal
    t_bhtt: Decimal
    t_nguonkhac: Decimal
    t_bhtt_gdv: Decimal


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((_d(v) for v in values), ZERO)


def episode_totals(encounter: Encounter) -> EpisodeTotals:
    """XML1 totals from the lines as billed (spec §4.3, 'XML1 totals')."""
    lines = list(encounter.cost_lines())
    supplies = [s for s in encounter.services if s.ma_vat_tu]
    tong_bh = _sum(x.thanh_tien_bh for x in lines)
    bncct = _sum(x.t_bncct for x in lines)
    return EpisodeTotals(
        t_thuoc=r2(_sum(d.thanh_tien_bv for d in encounter.drugs)),
        t_vtyt=r2(_sum(s.thanh_tien_bv for s in supplies)),
        t_tongchi_bv=r2(_sum(x.thanh_tien_bv for x in lines)),
        t_tongchi_bh=r2(tong_bh),
        t_bntt=r2(_sum(x.t_bntt for x in lines)),
        t_bncct=r2(bncct),
        t_bhtt=r2(tong_bh - bncct),
        t_nguonkhac=r2(_sum(x.t_nguonkhac for x in lines)),
        t_bhtt_gdv=r2(_sum(x.t_bhtt for x in lines if (x.ma_pttt or "1") == "1")),
    )
