-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML11: sick-leave certificate (form CT07).
SELECT MA_LK AS ma_lk, SO_CT AS so_ct, SO_SERI AS so_seri, SO_KCB AS so_kcb, DON_VI AS don_vi,
       MA_BHXH AS ma_bhxh, MA_THE_BHYT AS ma_the_bhyt, CHAN_DOAN_RV AS chan_doan_rv,
       PP_DIEUTRI AS pp_dieutri, MA_DINH_CHI_THAI AS ma_dinh_chi_thai,
       NGUYENNHAN_DINHCHI AS nguyennhan_dinhchi, TUOI_THAI AS tuoi_thai, SO_NGAY_NGHI AS so_ngay_nghi,
       TU_NGAY AS tu_ngay, DEN_NGAY AS den_ngay, HO_TEN_CHA AS ho_ten_cha, HO_TEN_ME AS ho_ten_me,
       MA_TTDV AS ma_ttdv, MA_BS AS ma_bs, NGAY_CT AS ngay_ct, MA_THE_TAM AS ma_the_tam,
       MAU_SO AS mau_so, DU_PHONG AS du_phong
FROM xml130_bang11
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
