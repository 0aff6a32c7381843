-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML7: discharge certificate.
SELECT MA_LK AS ma_lk, SO_LUU_TRU AS so_luu_tru, MA_YTE AS ma_yte, MA_KHOA_RV AS ma_khoa_rv,
       NGAY_VAO AS ngay_vao, NGAY_RA AS ngay_ra, MA_DINH_CHI_THAI AS ma_dinh_chi_thai,
       NGUYENNHAN_DINHCHI AS nguyennhan_dinhchi, THOIGIAN_DINHCHI AS thoigian_dinhchi,
       TUOI_THAI AS tuoi_thai, CHAN_DOAN_RV AS chan_doan_rv, PP_DIEUTRI AS pp_dieutri,
       GHI_CHU AS ghi_chu, MA_TTDV AS ma_ttdv, MA_BS AS ma_bs, TEN_BS AS ten_bs, NGAY_CT AS ngay_ct,
       MA_CHA AS ma_cha, MA_ME AS ma_me, MA_THE_TAM AS ma_the_tam, HO_TEN_CHA AS ho_ten_cha,
       HO_TEN_ME AS ho_ten_me, SO_NGAY_NGHI AS so_ngay_nghi, NGOAITRU_TUNGAY AS ngoaitru_tungay,
       NGOAITRU_DENNGAY AS ngoaitru_denngay, DU_PHONG AS du_phong
FROM xml130_bang7
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
