-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML13: referral letter.
SELECT MA_LK AS ma_lk, SO_HOSO AS so_hoso, SO_CHUYENTUYEN AS so_chuyentuyen,
       GIAY_CHUYEN_TUYEN AS giay_chuyen_tuyen, MA_CSKCB AS ma_cskcb, MA_NOI_DI AS ma_noi_di,
       MA_NOI_DEN AS ma_noi_den, HO_TEN AS ho_ten, NGAY_SINH AS ngay_sinh, GIOI_TINH AS gioi_tinh,
       MA_QUOCTICH AS ma_quoctich, MA_DANTOC AS ma_dantoc, MA_NGHE_NGHIEP AS ma_nghe_nghiep,
       DIA_CHI AS dia_chi, MA_THE_BHYT AS ma_the_bhyt, GT_THE_DEN AS gt_the_den, NGAY_VAO AS ngay_vao,
       NGAY_VAO_NOI_TRU AS ngay_vao_noi_tru, NGAY_RA AS ngay_ra, DAU_HIEU_LS AS dau_hieu_ls,
       CHAN_DOAN_RV AS chan_doan_rv, QT_BENHLY AS qt_benhly, TOMTAT_KQ AS tomtat_kq,
       PP_DIEUTRI AS pp_dieutri, MA_BENH_CHINH AS ma_benh_chinh, MA_BENH_KT AS ma_benh_kt,
       MA_BENH_YHCT AS ma_benh_yhct, TEN_DICH_VU AS ten_dich_vu, TEN_THUOC AS ten_thuoc,
       PP_DIEU_TRI AS pp_dieu_tri, MA_LOAI_RV AS ma_loai_rv, MA_LYDO_CT AS ma_lydo_ct,
       HUONG_DIEU_TRI AS huong_dieu_tri, PHUONGTIEN_VC AS phuongtien_vc,
       HOTEN_NGUOI_HT AS hoten_nguoi_ht, CHUCDANH_NGUOI_HT AS chucdanh_nguoi_ht,
       MA_BAC_SI AS ma_bac_si, MA_TTDV AS ma_ttdv, DU_PHONG AS du_phong
FROM xml130_bang13
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
