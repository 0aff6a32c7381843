-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML10: pregnancy-rest certificate.
SELECT MA_LK AS ma_lk, SO_SERI AS so_seri, SO_CT AS so_ct, SO_NGAY AS so_ngay, DON_VI AS don_vi,
       CHAN_DOAN_RV AS chan_doan_rv, TU_NGAY AS tu_ngay, DEN_NGAY AS den_ngay, MA_TTDV AS ma_ttdv,
       TEN_BS AS ten_bs, MA_BS AS ma_bs, NGAY_CT AS ngay_ct, DU_PHONG AS du_phong
FROM xml130_bang10
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
