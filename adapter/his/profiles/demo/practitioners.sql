-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- The facility's staff as the claim lines reference them (code = licence number used on the lines).
SELECT code, name, cccd, licence_no, licence_kind, title, departments, valid_from, valid_to
FROM his_practitioner
WHERE ma_cskcb = :ma_cskcb
ORDER BY code
