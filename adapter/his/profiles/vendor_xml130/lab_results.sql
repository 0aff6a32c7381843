-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML4: one lab, imaging or functional-test indicator result.
SELECT MA_LK AS ma_lk, STT AS stt, MA_DICH_VU AS ma_dich_vu, MA_CHI_SO AS ma_chi_so,
       TEN_CHI_SO AS ten_chi_so, GIA_TRI AS gia_tri, DON_VI_DO AS don_vi_do, MO_TA AS mo_ta,
       KET_LUAN AS ket_luan, NGAY_KQ AS ngay_kq, MA_BS_DOC_KQ AS ma_bs_doc_kq, DU_PHONG AS du_phong
FROM xml130_bang4
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
