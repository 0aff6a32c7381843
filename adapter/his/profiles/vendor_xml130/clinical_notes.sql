-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML5: one clinical progress note.
SELECT MA_LK AS ma_lk, STT AS stt, DIEN_BIEN_LS AS dien_bien_ls, GIAI_DOAN_BENH AS giai_doan_benh,
       HOI_CHAN AS hoi_chan, PHAU_THUAT AS phau_thuat, THOI_DIEM_DBLS AS thoi_diem_dbls,
       NGUOI_THUC_HIEN AS nguoi_thuc_hien, DU_PHONG AS du_phong
FROM xml130_bang5
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
