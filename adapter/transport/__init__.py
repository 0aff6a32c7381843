"""The BHXH gateway client: token, check-in, claim, staff catalogue, card lookup.

Public API: ``GatewayClient`` (adapter.transport.client), ``GatewaySettings`` and
``FacilityAccount`` (adapter.transport.config). Modules are imported lazily by callers so
that importing the package stays cheap (httpx is loaded by ``client`` only).
"""
