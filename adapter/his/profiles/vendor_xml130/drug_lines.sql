-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML2: one drug, blood product or oxygen line.
SELECT MA_LK AS ma_lk, STT AS stt, MA_THUOC AS ma_thuoc, MA_PP_CHEBIEN AS ma_pp_chebien,
       MA_CSKCB_THUOC AS ma_cskcb_thuoc, MA_NHOM AS ma_nhom, TEN_THUOC AS ten_thuoc,
       DON_VI_TINH AS don_vi_tinh, HAM_LUONG AS ham_luong, DUONG_DUNG AS duong_dung,
       DANG_BAO_CHE AS dang_bao_che, LIEU_DUNG AS lieu_dung, CACH_DUNG AS cach_dung,
       SO_DANG_KY AS so_dang_ky, TT_THAU AS tt_thau, PHAM_VI AS pham_vi, TYLE_TT_BH AS tyle_tt_bh,
       SO_LUONG AS so_luong, DON_GIA AS don_gia, THANH_TIEN_BV AS thanh_tien_bv,
       THANH_TIEN_BH AS thanh_tien_bh, T_NGUONKHAC_NSNN AS t_nguonkhac_nsnn,
       T_NGUONKHAC_VTNN AS t_nguonkhac_vtnn, T_NGUONKHAC_VTTN AS t_nguonkhac_vttn,
       T_NGUONKHAC_CL AS t_nguonkhac_cl, T_NGUONKHAC AS t_nguonkhac, MUC_HUONG AS muc_huong,
       T_BNTT AS t_bntt, T_BNCCT AS t_bncct, T_BHTT AS t_bhtt, MA_KHOA AS ma_khoa,
       MA_BAC_SI AS ma_bac_si, MA_DICH_VU AS ma_dich_vu, NGAY_YL AS ngay_yl, NGAY_TH_YL AS ngay_th_yl,
       MA_PTTT AS ma_pttt, NGUON_CTRA AS nguon_ctra, VET_THUONG_TP AS vet_thuong_tp,
       DU_PHONG AS du_phong
FROM xml130_bang2
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
