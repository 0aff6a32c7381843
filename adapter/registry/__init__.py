"""Facility and practitioner registry: the 02/DM staff catalogue and the national practice list.

Modules (pure unless marked I/O):

* ``identifiers``  validators: tax code (mod-11, branch, Da Nang rule, personal id), CCCD,
  licence number, MA_KHOA, MA_CSKCB, national facility id
* ``hours``        registered working hours (THOIGIAN_NGAY / THOIGIAN_TUAN)
* ``model``        ``FacilityRecord``, ``Department``, ``RegisteredPractitioner``
* ``store``        (I/O) SCD type 2 storage on ``adapter.storage.metadata``: ``RegistryStore``
* ``staff_xml``    Mẫu 02/DM XML: ``build_staff_catalogue``, ``parse_staff_catalogue``
* ``xlsx``         (I/O) practitioner lists with JSON column layouts
* ``claim_check``  ``RegistryPractitioners`` (the validation ``PractitionerRegistry`` port)
  and ``check_claim_practitioners``
* ``quality``      data-quality findings; ``report`` (I/O) wires them to the store and claims
* ``convert``, ``his_import`` (I/O), ``service``, ``open`` (I/O): imports and use cases

See ``docs/registry.md``.
"""
