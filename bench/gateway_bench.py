"""Gateway client + simulator throughput over loopback HTTPS: keep-alive vs a new connection each time.

Prints figures and ratios only (no pass/fail); absolute numbers depend on the machine.
    .venv/bin/python bench/gateway_bench.py [N]
"""

from __future__ import annotations

import sys
import time

from pydantic import SecretStr

from adapter.ports import DocumentKind, Submission
from adapter.simulator import SimulatorConfig, SimulatorServer, samples
from adapter.simulator.checks import Kind, inspect_file
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings


def main(n: int) -> None:
    key = samples.demo_key()
    docs = [samples.sign(samples.claim("79001", f"LK-{i:05d}"), key) for i in range(n)]
    kb = sum(map(len, docs)) / n / 1024
    t = time.perf_counter()
    for doc in docs:
        inspect_file(doc, kind=Kind.CLAIM, ma_cskcb="79001", certificates=[key.cert_pem])
    check_ms = (time.perf_counter() - t) / n * 1000
    config = SimulatorConfig(accounts={"79001_BV": ("pw", "79001")}, certificates={"79001": [key.cert_pem]},
                             tls=True)
    account = FacilityAccount(ma_cskcb="79001", username="79001_BV", password=SecretStr("pw"))
    with SimulatorServer(config) as sim:
        keep = _run(sim, account, docs, reuse=True)
        fresh = _run(sim, account, docs[: max(n // 4, 1)], reuse=False)
        report = sim.state.report()
    print(f"files: {n} of {kb:.1f} KiB; simulator checks + signature verify: {check_ms:.2f} ms/file")
    print(f"keep-alive client:        {keep:8.1f} submissions/s")
    print(f"new client per request:   {fresh:8.1f} submissions/s (TLS handshake + login each time)")
    print(f"ratio keep-alive / fresh: {keep / fresh:8.1f}x")
    print(f"simulator report: accepted={report['accepted']} duplicated={report['duplicated']} "
          "(the second run resends files of the first: duplicates are expected)")
    print("note: client and simulator share one process (and its GIL) here; the figures are a floor")


def _run(sim: SimulatorServer, account: FacilityAccount, docs: list[bytes], *, reuse: bool) -> float:
    items = [Submission(ma_cskcb="79001", kind=DocumentKind.CLAIM, profile="3176", payload=d,
                        ma_lk=f"B{i}") for i, d in enumerate(docs)]
    settings = GatewaySettings()
    start = time.perf_counter()
    if reuse:
        with GatewayClient(settings, [account], base_url=sim.base_url, verify=sim.client_ssl_context()) as c:
            for item in items:
                c.submit(item)
    else:
        for item in items:
            with GatewayClient(settings, [account], base_url=sim.base_url,
                               verify=sim.client_ssl_context()) as c:
                c.submit(item)
    return len(items) / (time.perf_counter() - start)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
