"""The BHXH gateway client: token, check-in, claim, staff catalogue, card lookup (docs/gateway.md).

Public API (import from the modules; this package imports nothing, so that
``adapter.settings`` -> ``adapter.transport.config`` stays cheap and httpx loads only when used):

* ``adapter.transport.client.GatewayClient`` (the ``adapter.ports.Gateway``), ``.from_settings``
* ``adapter.transport.fake.InMemoryGateway`` (the shipped fake of the same port)
* ``adapter.transport.config``: ``GatewaySettings``, ``FacilityAccount``
* ``adapter.transport.replies``: the classification table (pure)
* ``adapter.transport.cards``: ``CardQuery``, ``CardResult``, result codes (pure)
* ``adapter.transport.breaker``: the circuit breaker state machine (pure)
"""
