-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML6: HIV/AIDS care and treatment record (sensitive).
SELECT MA_LK AS ma_lk, STT AS stt, MA_THE_BHYT AS ma_the_bhyt, SO_CCCD AS so_cccd,
       NGAY_SINH AS ngay_sinh, GIOI_TINH AS gioi_tinh, DIA_CHI AS dia_chi,
       MATINH_CU_TRU AS matinh_cu_tru, MAHUYEN_CU_TRU AS mahuyen_cu_tru, MAXA_CU_TRU AS maxa_cu_tru,
       NGAYKD_HIV AS ngaykd_hiv, NOI_LAY_MAU_XN AS noi_lay_mau_xn, NOI_XN_KD AS noi_xn_kd,
       NOI_BDDT_ARV AS noi_bddt_arv, BDDT_ARV AS bddt_arv,
       MA_PHAC_DO_DIEU_TRI_BD AS ma_phac_do_dieu_tri_bd, MA_BAC_PHAC_DO_BD AS ma_bac_phac_do_bd,
       MA_LYDO_DTRI AS ma_lydo_dtri, LOAI_DTRI_LAO AS loai_dtri_lao, SANG_LOC_LAO AS sang_loc_lao,
       PHACDO_DTRI_LAO AS phacdo_dtri_lao, NGAYBD_DTRI_LAO AS ngaybd_dtri_lao,
       NGAYKT_DTRI_LAO AS ngaykt_dtri_lao, KQ_DTRI_LAO AS kq_dtri_lao,
       MA_LYDO_XNTL_VR AS ma_lydo_xntl_vr, NGAY_XN_TLVR AS ngay_xn_tlvr, KQ_XNTL_VR AS kq_xntl_vr,
       NGAY_KQ_XN_TLVR AS ngay_kq_xn_tlvr, MA_LOAI_BN AS ma_loai_bn,
       GIAI_DOAN_LAM_SANG AS giai_doan_lam_sang, NHOM_DOI_TUONG AS nhom_doi_tuong,
       MA_TINH_TRANG_DK AS ma_tinh_trang_dk, LAN_XN_PCR AS lan_xn_pcr, NGAY_XN_PCR AS ngay_xn_pcr,
       NGAY_KQ_XN_PCR AS ngay_kq_xn_pcr, MA_KQ_XN_PCR AS ma_kq_xn_pcr,
       NGAY_NHAN_TT_MANG_THAI AS ngay_nhan_tt_mang_thai, NGAY_BAT_DAU_DT_CTX AS ngay_bat_dau_dt_ctx,
       MA_XU_TRI AS ma_xu_tri, NGAY_BAT_DAU_XU_TRI AS ngay_bat_dau_xu_tri,
       NGAY_KET_THUC_XU_TRI AS ngay_ket_thuc_xu_tri, MA_PHAC_DO_DIEU_TRI AS ma_phac_do_dieu_tri,
       MA_BAC_PHAC_DO AS ma_bac_phac_do, SO_NGAY_CAP_THUOC_ARV AS so_ngay_cap_thuoc_arv,
       NGAY_CHUYEN_PHAC_DO AS ngay_chuyen_phac_do, LY_DO_CHUYEN_PHAC_DO AS ly_do_chuyen_phac_do,
       MA_CSKCB AS ma_cskcb, DU_PHONG AS du_phong
FROM xml130_bang6
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
