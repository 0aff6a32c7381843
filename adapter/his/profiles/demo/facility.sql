-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
SELECT ma_cskcb, name, national_id, tax_code, address, head_practitioner
FROM his_facility
WHERE ma_cskcb = :ma_cskcb
