-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML3: one service, exam, bed-day, supply or transport line.
SELECT MA_LK AS ma_lk, STT AS stt, MA_DICH_VU AS ma_dich_vu, MA_PTTT_QT AS ma_pttt_qt,
       MA_VAT_TU AS ma_vat_tu, MA_NHOM AS ma_nhom, GOI_VTYT AS goi_vtyt, TEN_VAT_TU AS ten_vat_tu,
       TEN_DICH_VU AS ten_dich_vu, MA_XANG_DAU AS ma_xang_dau, DON_VI_TINH AS don_vi_tinh,
       PHAM_VI AS pham_vi, SO_LUONG AS so_luong, DON_GIA_BV AS don_gia_bv, DON_GIA_BH AS don_gia_bh,
       TT_THAU AS tt_thau, TYLE_TT_DV AS tyle_tt_dv, TYLE_TT_BH AS tyle_tt_bh,
       THANH_TIEN_BV AS thanh_tien_bv, THANH_TIEN_BH AS thanh_tien_bh, T_TRANTT AS t_trantt,
       MUC_HUONG AS muc_huong, T_NGUONKHAC_NSNN AS t_nguonkhac_nsnn,
       T_NGUONKHAC_VTNN AS t_nguonkhac_vtnn, T_NGUONKHAC_VTTN AS t_nguonkhac_vttn,
       T_NGUONKHAC_CL AS t_nguonkhac_cl, T_NGUONKHAC AS t_nguonkhac, T_BNTT AS t_bntt,
       T_BNCCT AS t_bncct, T_BHTT AS t_bhtt, MA_KHOA AS ma_khoa, MA_GIUONG AS ma_giuong,
       MA_BAC_SI AS ma_bac_si, NGUOI_THUC_HIEN AS nguoi_thuc_hien, MA_BENH AS ma_benh,
       MA_BENH_YHCT AS ma_benh_yhct, NGAY_YL AS ngay_yl, NGAY_TH_YL AS ngay_th_yl, NGAY_KQ AS ngay_kq,
       MA_PTTT AS ma_pttt, VET_THUONG_TP AS vet_thuong_tp, PP_VO_CAM AS pp_vo_cam,
       VI_TRI_TH_DVKT AS vi_tri_th_dvkt, MA_MAY AS ma_may, MA_HIEU_SP AS ma_hieu_sp,
       TAI_SU_DUNG AS tai_su_dung, DU_PHONG AS du_phong
FROM xml130_bang3
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
