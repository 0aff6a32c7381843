-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- Encounters (open or finished) that already have a cost line: candidates for a check-in (XML0).
SELECT e.MA_LK AS ma_lk, e.MA_LOAI_KCB AS ma_loai_kcb, e.MA_DOITUONG_KCB AS ma_doituong_kcb,
       e.NGAY_VAO AS ngay_vao, e.NGAY_VAO_NOI_TRU AS ngay_vao_noi_tru, e.NGAY_CAP_NHAT AS updated_at,
       (SELECT MIN(d.NGAY_YL) FROM xml130_bang2 d WHERE d.MA_LK = e.MA_LK) AS first_drug_at,
       (SELECT MIN(s.NGAY_YL) FROM xml130_bang3 s WHERE s.MA_LK = e.MA_LK) AS first_service_at
FROM xml130_bang1 e
WHERE e.MA_CSKCB = :ma_cskcb
  AND e.NGAY_CAP_NHAT >= :since_changed
  AND (EXISTS (SELECT 1 FROM xml130_bang2 d WHERE d.MA_LK = e.MA_LK)
       OR EXISTS (SELECT 1 FROM xml130_bang3 s WHERE s.MA_LK = e.MA_LK))
ORDER BY e.NGAY_CAP_NHAT, e.MA_LK
