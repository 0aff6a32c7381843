"""The one composition root: settings -> engines, stores, signer, gateway client, jobs.

Nothing else in the package creates engines, HTTP clients, keys or schedulers. Tests
and the demo pass doubles (a gateway, a clock) through ``bootstrap``'s arguments.
"""

from __future__ import annotations

import logging
import os
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from functools import cached_property
from typing import Any

from sqlalchemy import Engine

from adapter.errors import ConfigError
from adapter.model import Encounter, Facility
from adapter.ports import Clock, DocumentKind, Gateway, GatewayReply, Signer, Submission, SystemClock
from adapter.services import (
    CheckinReport,
    Checkins,
    ClaimPreparer,
    Extraction,
    HealthBook,
    PollReport,
    Prepared,
    issues_as_dicts,
)
from adapter.settings import Settings

log = logging.getLogger(__name__)


def facility_of(settings: Settings, ma_cskcb: str | None = None) -> Facility:
    """The facility an account describes (the first one when none is named)."""
    if not settings.facilities:
        raise ConfigError("no [[facilities]] configured")
    account = settings.facilities[0] if ma_cskcb is None else settings.facility(ma_cskcb)
    if account is None:
        raise ConfigError(f"facility {ma_cskcb} is not configured")
    return Facility(ma_cskcb=account.ma_cskcb, name=account.name or account.ma_cskcb)


def _switch_date(settings: Settings, ma_cskcb: str) -> date:
    account = settings.facility(ma_cskcb)
    text = account.profile_switch_date if account is not None else "2025-01-01"
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"facility {ma_cskcb}: profile_switch_date must be YYYY-MM-DD") from exc


def _profile_chooser(settings: Settings, ma_cskcb: str) -> Callable[[Encounter], str]:
    from adapter.mappers.policy import profile_for

    override = settings.validation.profile_override
    switch = _switch_date(settings, ma_cskcb)
    if override is not None:
        return lambda _enc: override
    return lambda enc: profile_for(enc, switch)


def _validator(settings: Settings, registry: Any = None) -> Callable[[Any, str, str], Any]:
    from adapter.validation.context import context_factory
    from adapter.validation.engine import validate_tables
    from adapter.validation.parse import TableRows

    contexts = context_factory(settings.validation, registry)

    def validate(tables: Any, profile: str, ma_lk: str) -> Any:
        # The rows the mapper wrote with each document (equal, by a property test, to what a
        # parser reads back from those bytes): validated without parsing them again.
        rows = {number: TableRows(table=number, rows=r) for number, (_, r) in tables.items()}
        return validate_tables(rows, profile, ma_lk=ma_lk, context=contexts)  # type: ignore[arg-type]

    return validate


def _text_scan(facility: Facility) -> Callable[[Encounter, str, Any], list[Any]]:
    """Text the normaliser changed, as located issues: control characters block, NFD warns."""
    from adapter.mappers.textscan import text_changes
    from adapter.validation.rules.base import make_issue

    def scan(enc: Encounter, profile: str, tables: Any) -> list[Any]:
        out = []
        for change in text_changes(enc, profile, tables, facility):  # type: ignore[arg-type]
            if change.removed:
                out.append(make_issue("TEXT_CONTROL_CHAR", change.table, field=change.field, row=change.row,
                                      ma_lk=enc.ma_lk))
            if change.recomposed:
                out.append(make_issue("TEXT_NOT_NFC", change.table, field=change.field, row=change.row,
                                      ma_lk=enc.ma_lk))
        return out

    return scan


def to_new_version(item: Prepared) -> Any:
    """A prepared document as the outbox's ``NewVersion``."""
    from adapter.outbox.values import NewVersion

    return NewVersion(ma_cskcb=item.ma_cskcb, ma_lk=item.ma_lk, kind=item.kind, profile=item.profile,
                      content_hash=item.content_hash, unsigned=item.unsigned, signed=item.signed,
                      cert_fingerprint=item.cert_fingerprint, issues=issues_as_dicts(item.issues),
                      blocking=item.blocking)


@dataclass(frozen=True, kw_only=True)
class RoutingGateway:
    """One ``Gateway`` for the worker: health-book bundles to the FHIR endpoint, the rest to BHXH."""

    bhxh: Gateway
    fhir: Gateway | None = None

    def submit(self, submission: Submission) -> GatewayReply:
        if submission.kind is DocumentKind.FHIR:
            if self.fhir is None:
                raise ConfigError("a health-book bundle is queued but [fhir] endpoint is not configured")
            return self.fhir.submit(submission)
        return self.bhxh.submit(submission)


def _bundle_writer(folder: Any) -> Callable[[str, bytes], None]:
    from pathlib import Path

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)

    def write(ma_lk: str, payload: bytes) -> None:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in ma_lk)
        (target / f"{safe}.fhir.json").write_bytes(payload)

    return write


@dataclass(kw_only=True)
class App:
    """Everything one running adapter holds. ``close()`` releases engines and clients."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    gateway_override: Gateway | None = None
    base_url_override: str | None = None
    _closers: list[Callable[[], None]] = field(default_factory=list)

    # -- parts, created on first use so a command only pays for what it needs --------

    @cached_property
    def outbox(self) -> Any:
        from adapter.outbox.open import open_store

        store = open_store(self.settings)
        self._closers.append(store.engine.dispose)
        return store

    @cached_property
    def his_engine(self) -> Engine:
        from adapter.his.engine import readonly_engine

        url = self.settings.his.url
        if url is None:
            raise ConfigError("his.url is not configured (ADAPTER_HIS__URL)")
        engine = readonly_engine(url.get_secret_value(),
                                 statement_timeout_s=self.settings.his.statement_timeout_s)
        self._closers.append(engine.dispose)
        return engine

    @cached_property
    def his_profile(self) -> Any:
        """The source profile (SQL files) the HIS is read with, loaded once."""
        from adapter.his.profile import SourceProfile

        return SourceProfile.load(self.settings.his.profile_dir or self.settings.his.profile)

    def his_source(self, ma_cskcb: str) -> Any:
        from adapter.his.reader import SqlHisSource

        profile = self.his_profile
        his = self.settings.his
        return SqlHisSource(self.his_engine, profile, ma_cskcb=ma_cskcb, batch_size=his.batch_size,
                            max_text=his.max_text_chars)

    @cached_property
    def registry(self) -> Any:
        from adapter.registry.store import RegistryStore

        return RegistryStore(self.outbox.engine)       # same database, migrated with the outbox

    def practitioner_registry(self, ma_cskcb: str) -> Any:
        """A snapshot of the registered staff for the claim check, or None when the check is off.

        "when_registered" (default) runs the check once the facility has imported its staff
        catalogue; "required" runs it always, so an empty catalogue holds every claim.
        """
        from adapter.registry.claim_check import RegistryPractitioners

        mode = self.settings.registry.claim_check
        if mode == "off":
            return None
        snapshot = RegistryPractitioners(self.registry, ma_cskcb=ma_cskcb)
        if snapshot.size == 0 and mode == "when_registered":
            warned: set[str] = self.__dict__.setdefault("_claim_check_warned", set())
            if ma_cskcb not in warned:          # once per process, not at every poll
                warned.add(ma_cskcb)
                log.warning("claim check skipped: no staff catalogue imported for facility %s", ma_cskcb)
            return None
        return snapshot

    def import_staff_from_his(self, ma_cskcb: str) -> int:
        """Sync the facility's practitioners from the HIS into the registry (history kept)."""
        from adapter.registry import service
        from adapter.registry.his_import import read_his_facility, read_his_practitioners

        profile = self.his_profile
        records, issues = read_his_practitioners(self.his_engine, profile, ma_cskcb=ma_cskcb)
        now = self.clock.now()
        outcome = service.sync(self.registry, records, issues, ma_cskcb=ma_cskcb, effective=now.date(),
                               now=now, close_missing=self.settings.registry.close_missing_on_import)
        facility = read_his_facility(self.his_engine, profile, ma_cskcb=ma_cskcb)
        service.save_facility(self.registry, facility, ma_cskcb=ma_cskcb, effective=now.date(), now=now)
        return int(outcome.read)

    @cached_property
    def watermarks(self) -> Any:
        from adapter.his.state import WatermarkStore

        return WatermarkStore(self.outbox.engine)

    def signer(self, ma_cskcb: str | None = None) -> Signer:
        return self._signers(facility_of(self.settings, ma_cskcb).ma_cskcb)

    def _signers(self, ma_cskcb: str) -> Signer:
        cache: dict[str, Signer] = self.__dict__.setdefault("_signer_cache", {})
        if ma_cskcb not in cache:
            from adapter.signing.factory import build_signer

            facility = facility_of(self.settings, ma_cskcb)
            cache[ma_cskcb] = build_signer(self.settings.signing, workdir=self.settings.workdir,
                                           ma_cskcb=ma_cskcb, facility_name=facility.name, clock=self.clock)
        return cache[ma_cskcb]

    @cached_property
    def gateway(self) -> Gateway:
        if self.gateway_override is not None:
            return self.gateway_override
        return RoutingGateway(bhxh=self._bhxh_client(), fhir=self._fhir_endpoint())

    def _fhir_endpoint(self) -> Gateway | None:
        fhir = self.settings.fhir
        if not fhir.endpoint:
            return None
        import httpx

        from adapter.fhir_transport import FhirEndpoint
        from adapter.settings import read_secret

        gw = self.settings.gateway
        client = httpx.Client(timeout=httpx.Timeout(gw.read_timeout_s, connect=gw.connect_timeout_s))
        self._closers.append(client.close)
        token = read_secret(fhir.token, fhir.token_file)
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return FhirEndpoint(fhir.endpoint, client, mode=fhir.mode, headers=headers)

    def _bhxh_client(self) -> Gateway:
        from adapter.transport.client import GatewayClient
        from adapter.transport.tls import tls_verify

        gw = self.settings.gateway
        base_url = self.base_url_override or gw.resolved_base_url()
        client = GatewayClient(gw, self.settings.facilities, base_url=base_url, clock=self.clock,
                               verify=tls_verify(gw))
        self._closers.append(client.close)
        return client

    # -- use cases --------------------------------------------------------------------

    def preparer(self, ma_cskcb: str) -> ClaimPreparer:
        from adapter.mappers import claim_envelope, claim_tables
        from adapter.mappers.policy import TablePolicy

        v = self.settings.validation
        return ClaimPreparer(facility=facility_of(self.settings, ma_cskcb), signer=self._signers(ma_cskcb),
                             validator=_validator(self.settings, self.practitioner_registry(ma_cskcb)),
                             build_tables=claim_tables, wrap=claim_envelope,
                             text_scan=_text_scan(facility_of(self.settings, ma_cskcb)),
                             choose_profile=_profile_chooser(self.settings, ma_cskcb),
                             policy=TablePolicy(xml8=v.xml8_policy, hiv=v.hiv_policy), clock=self.clock)

    def health_book(self, ma_cskcb: str) -> HealthBook | None:
        """The FHIR step, when [fhir] is enabled and has somewhere to put bundles."""
        fhir = self.settings.fhir
        if not fhir.enabled or (fhir.output_dir is None and not fhir.endpoint):
            return None
        from adapter.mappers.fhir import FhirPolicy, build_bundle, to_json_bytes, validate_bundle

        policy = FhirPolicy.from_settings(fhir)
        facility = facility_of(self.settings, ma_cskcb)
        local = timezone(timedelta(hours=7))

        def build(enc: Encounter) -> dict[str, Any]:
            # generated_at from the episode, not the clock: unchanged content gives unchanged bytes.
            moment = (enc.ngay_ttoan or enc.ngay_ra).replace(tzinfo=local)
            return build_bundle(enc, facility, policy=policy, generated_at=moment)

        return HealthBook(build=build, validate=lambda b: validate_bundle(b, policy=policy),
                          to_bytes=to_json_bytes,
                          write=_bundle_writer(fhir.output_dir) if fhir.output_dir is not None else None,
                          enqueue=bool(fhir.endpoint))

    def extraction(self, ma_cskcb: str) -> Extraction:
        return Extraction(source=self.his_source(ma_cskcb), source_name=self.settings.his.source_name,
                          ma_cskcb=ma_cskcb, watermarks=self.watermarks, sink=self.outbox,
                          preparer=self.preparer(ma_cskcb), to_version=to_new_version, clock=self.clock,
                          batch_size=self.settings.his.batch_size, health_book=self.health_book(ma_cskcb))

    def poll_his(self) -> PollReport:
        """Extract, map, validate, sign and queue what finished since the watermark, for every facility;
        then take the files of the drop folder, when one is configured."""
        total = PollReport()
        if self.settings.his.drop_folder is not None:
            self.import_drop_folder()
        if self.settings.his.url is None:
            return total
        for account in self.settings.facilities:
            report = self.extraction(account.ma_cskcb).poll()
            for name in ("extracted", "queued", "needs_fix", "unchanged", "failed"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.ma_lks.extend(report.ma_lks)
        return total

    def worker(self, *, worker_id: str | None = None, rng: random.Random | None = None) -> Any:
        from adapter.outbox.retry import policy_from_settings
        from adapter.outbox.worker import Worker

        o = self.settings.outbox
        return Worker(self.outbox, self.gateway, policy_from_settings(o), clock=self.clock,
                      worker_id=worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}",
                      rng=rng or random.Random(), signer_for=self._signers, dry_run=self.settings.dry_run,
                      lease_s=o.lease_s, batch_size=o.batch_size)

    def drain(self, concurrency: int | None = None, limit: int | None = None) -> Any:
        """Send every due item of the facilities whose sending is enabled."""
        from adapter.outbox.open import sending_facilities

        enabled = sending_facilities(self.settings)
        if not enabled and not self.settings.dry_run:
            from adapter.outbox.worker import DrainReport

            log.info("drain: sending is not enabled for any facility; items wait in ready")
            return DrainReport()
        return self.worker().drain(facilities=enabled, limit=limit,
                                   concurrency=concurrency or self.settings.outbox.concurrency)

    def import_drop_folder(self) -> int:
        """Take the XML files the HIS dropped in [his] drop_folder: validate, sign, queue, move."""
        folder = self.settings.his.drop_folder
        if folder is None:
            return 0
        from adapter.his.drop_folder import DropFolderSource
        from adapter.services import DropImport
        from adapter.signing.xmldsig import ensure_signature_slot, strip_signature
        from adapter.validation.context import context_factory
        from adapter.validation.engine import validate_document

        code = facility_of(self.settings).ma_cskcb
        contexts = context_factory(self.settings.validation, self.practitioner_registry(code))
        importer = DropImport(ma_cskcb=code, validate=lambda data: validate_document(data, None, contexts),
                              prepare_slot=lambda data: strip_signature(ensure_signature_slot(data)),
                              signer=self._signers(code), sink=self.outbox, to_version=to_new_version,
                              clock=self.clock)
        source = DropFolderSource(folder, importer, settle_s=self.settings.his.drop_folder_settle_s)
        return len(source.poll())

    # -- the scheduler's jobs (adapter.scheduler.ServiceJobs) ---------------------------

    @property
    def jobs(self) -> App:
        return self

    def send_checkins(self, lookback: timedelta = timedelta(days=3)) -> CheckinReport:
        """Queue the XML0 check-ins that became due among visits changed in the lookback window."""
        from adapter.his.checkin import CheckinTrigger
        from adapter.mappers.envelope import build_checkin

        total = CheckinReport()
        # HIS times are Vietnam wall-clock (UTC+7, no daylight saving), stored naive.
        since = self.clock.now().astimezone(timezone(timedelta(hours=7))).replace(tzinfo=None) - lookback
        profile = self.his_profile
        for account in self.settings.facilities:
            code = account.ma_cskcb
            trigger = CheckinTrigger(self.his_engine, profile, self.watermarks, ma_cskcb=code)
            checkins = Checkins(trigger=trigger,
                                source=self.his_source(code), marks=self.watermarks, sink=self.outbox,
                                signer=self._signers(code), build_checkin=build_checkin,
                                choose_profile=_profile_chooser(self.settings, code),
                                to_version=to_new_version, clock=self.clock, ma_cskcb=code)
            report = checkins.send(since)
            total.due, total.queued = total.due + report.due, total.queued + report.queued
            total.skipped += report.skipped
        return total

    def nightly_sweep(self) -> dict[str, Any]:
        """Yesterday's report: stuck items and encounters not sent within 24 hours (TT 48 deadlines)."""
        now = self.clock.now()
        start = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        report: dict[str, Any] = self.outbox.daily_report(start, start + timedelta(days=1),
                                                          overdue_before=now - timedelta(hours=24))
        if report.get("not_sent_in_time"):
            log.warning("nightly sweep: %s item(s) not sent within 24 h", len(report["not_sent_in_time"]))
        return report

    def prune(self) -> int:
        """Retention: drop stored payloads of accepted items older than [outbox] retention_days."""
        return int(self.outbox.prune(self.clock.now(), self.settings.outbox.retention_days))

    def check_certificate(self) -> list[dict[str, Any]]:
        """The signing certificate's health per facility; a warning in the log when it needs attention."""
        out = []
        for account in self.settings.facilities:
            health = self._signers(account.ma_cskcb).health()  # type: ignore[attr-defined]
            if health.status != "ok":
                log.warning("certificate of facility %s: %s (%s days left)", account.ma_cskcb,
                            health.status, health.days_left)
            out.append({"ma_cskcb": account.ma_cskcb, "status": str(health.status),
                        "days_left": health.days_left})
        return out

    def close(self) -> None:
        while self._closers:
            closer = self._closers.pop()
            closer()


def bootstrap(settings: Settings, *, gateway: Gateway | None = None, clock: Clock | None = None,
              base_url: str | None = None) -> App:
    """Wire an ``App`` from settings. Parts are created lazily, on first use."""
    from adapter.logs import quiet_third_party_loggers

    quiet_third_party_loggers()          # signxml logs whole documents (patient data) at DEBUG
    return App(settings=settings, clock=clock or SystemClock(), gateway_override=gateway,
               base_url_override=base_url)
