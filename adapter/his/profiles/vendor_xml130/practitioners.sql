-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- The staff catalogue (02/DM-like): the licence number is the code used on claim lines.
SELECT MACCHN AS code, HO_TEN AS name, SO_CCCD AS cccd, MACCHN AS licence_no, LOAI_GIAY_PHEP AS licence_kind,
       CHUCDANH_NN AS title, MA_KHOA AS departments, TU_NGAY AS valid_from, DEN_NGAY AS valid_to
FROM dm_nhanvien
WHERE MA_CSKCB = :ma_cskcb
ORDER BY MACCHN
