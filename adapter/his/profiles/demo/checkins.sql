-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- Encounters (open or finished) that already have a cost line: candidates for a check-in (XML0).
-- first_cost_at is the order time of the first drug or service line.
SELECT e.ma_lk, e.ma_loai_kcb, e.ma_doituong_kcb, e.ngay_vao, e.ngay_vao_noi_tru, e.updated_at,
       (SELECT MIN(d.ngay_yl) FROM his_drug_line d WHERE d.ma_lk = e.ma_lk) AS first_drug_at,
       (SELECT MIN(s.ngay_yl) FROM his_service_line s WHERE s.ma_lk = e.ma_lk) AS first_service_at
FROM his_encounter e
WHERE e.ma_cskcb = :ma_cskcb
  AND e.updated_at >= :since_changed
  AND (EXISTS (SELECT 1 FROM his_drug_line d WHERE d.ma_lk = e.ma_lk)
       OR EXISTS (SELECT 1 FROM his_service_line s WHERE s.ma_lk = e.ma_lk))
ORDER BY e.updated_at, e.ma_lk
