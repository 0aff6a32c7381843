"""Facility signing in the BHXH XML-DSig profile (see docs/signing.md).

Public API (import from the modules; this package imports nothing so that
``adapter.settings`` -> ``adapter.signing.config`` stays cheap):

* ``adapter.signing.factory.build_signer(settings, *, workdir, ma_cskcb, facility_name, clock)``
* ``adapter.signing.signer.FacilitySigner`` (the ``adapter.ports.Signer``)
* ``adapter.signing.xmldsig``: ``sign_xml``, ``verify_xml``, ``strip_signature``,
  ``resign_needed``, ``signer_fingerprint``, ``ensure_signature_slot``
* ``adapter.signing.fastsign``: ``sign_simple`` (signxml's bytes, fast, or None for other
  shapes), ``verify_own`` (cheap independent self-verification), ``canonical_document``
* ``adapter.signing.keys``: ``KeyMaterial``, ``load_pkcs12``, ``load_pem``, ``certificate_fingerprint``
* ``adapter.signing.pkcs11``: ``open_pkcs11``, ``release_tokens``, ``token_error``
* ``adapter.signing.health``: ``assess``, ``CertificateHealth``, ``HealthStatus``
* ``adapter.signing.demo.ensure_demo_certificate``
"""
