-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
SELECT MA_LK AS ma_lk, MA_CSKCB AS ma_cskcb, MA_BN AS ma_bn, HO_TEN AS ho_ten, NGAY_SINH AS ngay_sinh,
       GIOI_TINH AS gioi_tinh, SO_CCCD AS so_cccd, NHOM_MAU AS nhom_mau, MA_QUOCTICH AS ma_quoctich,
       MA_DANTOC AS ma_dantoc, MA_NGHE_NGHIEP AS ma_nghe_nghiep, DIA_CHI AS dia_chi,
       MATINH_CU_TRU AS matinh_cu_tru, MAHUYEN_CU_TRU AS mahuyen_cu_tru, MAXA_CU_TRU AS maxa_cu_tru,
       DIEN_THOAI AS dien_thoai, MA_LOAI_KCB AS ma_loai_kcb, MA_DOITUONG_KCB AS ma_doituong_kcb,
       NGAY_VAO AS ngay_vao, NGAY_RA AS ngay_ra, NGAY_MIEN_CCT AS ngay_mien_cct,
       MA_KHUVUC AS ma_khuvuc, NAM_NAM_LIEN_TUC AS nam_nam_lien_tuc,
       NGAY_VAO_NOI_TRU AS ngay_vao_noi_tru, NGAY_TTOAN AS ngay_ttoan, LY_DO_VV AS ly_do_vv,
       LY_DO_VNT AS ly_do_vnt, MA_LY_DO_VNT AS ma_ly_do_vnt, CHAN_DOAN_VAO AS chan_doan_vao,
       CHAN_DOAN_RV AS chan_doan_rv, MA_BENH_CHINH AS ma_benh_chinh, MA_BENH_KT AS ma_benh_kt,
       MA_BENH_YHCT AS ma_benh_yhct, MA_PTTT_QT AS ma_pttt_qt, MA_NOI_DI AS ma_noi_di,
       MA_NOI_DEN AS ma_noi_den, MA_TAI_NAN AS ma_tai_nan, GIAY_CHUYEN_TUYEN AS giay_chuyen_tuyen,
       SO_NGAY_DTRI AS so_ngay_dtri, PP_DIEU_TRI AS pp_dieu_tri, KET_QUA_DTRI AS ket_qua_dtri,
       MA_LOAI_RV AS ma_loai_rv, GHI_CHU AS ghi_chu, NAM_QT AS nam_qt, THANG_QT AS thang_qt,
       MA_KHOA AS ma_khoa, CAN_NANG AS can_nang, CAN_NANG_CON AS can_nang_con,
       NGAY_TAI_KHAM AS ngay_tai_kham, MA_HSBA AS ma_hsba, MA_TTDV AS ma_ttdv,
       DU_PHONG AS chieu_cao_cm, NGAY_CAP_NHAT AS updated_at, TRANG_THAI AS finished
FROM xml130_bang1
WHERE MA_CSKCB = :ma_cskcb
  AND MA_LK IN :ma_lks
ORDER BY NGAY_CAP_NHAT, MA_LK
