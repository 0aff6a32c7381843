-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML14: re-visit appointment slip.
SELECT MA_LK AS ma_lk, SO_GIAYHEN_KL AS so_giayhen_kl, MA_CSKCB AS ma_cskcb, HO_TEN AS ho_ten,
       NGAY_SINH AS ngay_sinh, GIOI_TINH AS gioi_tinh, DIA_CHI AS dia_chi, MA_THE_BHYT AS ma_the_bhyt,
       GT_THE_DEN AS gt_the_den, NGAY_VAO AS ngay_vao, NGAY_VAO_NOI_TRU AS ngay_vao_noi_tru,
       NGAY_RA AS ngay_ra, NGAY_HEN_KL AS ngay_hen_kl, CHAN_DOAN_RV AS chan_doan_rv,
       MA_BENH_CHINH AS ma_benh_chinh, MA_BENH_KT AS ma_benh_kt, MA_BENH_YHCT AS ma_benh_yhct,
       MA_DOITUONG_KCB AS ma_doituong_kcb, MA_BAC_SI AS ma_bac_si, MA_TTDV AS ma_ttdv,
       NGAY_CT AS ngay_ct, DU_PHONG AS du_phong
FROM xml130_bang14
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
