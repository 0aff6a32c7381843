-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML8: medical-record summary.
SELECT MA_LK AS ma_lk, MA_LOAI_KCB AS ma_loai_kcb, HO_TEN_CHA AS ho_ten_cha, HO_TEN_ME AS ho_ten_me,
       NGUOI_GIAM_HO AS nguoi_giam_ho, DON_VI AS don_vi, NGAY_VAO AS ngay_vao, NGAY_RA AS ngay_ra,
       CHAN_DOAN_VAO AS chan_doan_vao, CHAN_DOAN_RV AS chan_doan_rv, QT_BENHLY AS qt_benhly,
       TOMTAT_KQ AS tomtat_kq, PP_DIEUTRI AS pp_dieutri, NGAY_SINHCON AS ngay_sinhcon,
       NGAY_CONCHET AS ngay_conchet, SO_CONCHET AS so_conchet, KET_QUA_DTRI AS ket_qua_dtri,
       GHI_CHU AS ghi_chu, MA_TTDV AS ma_ttdv, NGAY_CT AS ngay_ct, MA_THE_TAM AS ma_the_tam,
       DU_PHONG AS du_phong
FROM xml130_bang8
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
