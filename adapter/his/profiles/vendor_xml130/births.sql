-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML9: birth certificate, one per child.
SELECT MA_LK AS ma_lk, STT AS stt, MA_BHXH_NND AS ma_bhxh_nnd, MA_THE_NND AS ma_the_nnd,
       HO_TEN_NND AS ho_ten_nnd, NGAYSINH_NND AS ngaysinh_nnd, MA_DANTOC_NND AS ma_dantoc_nnd,
       SO_CCCD_NND AS so_cccd_nnd, NGAYCAP_CCCD_NND AS ngaycap_cccd_nnd,
       NOICAP_CCCD_NND AS noicap_cccd_nnd, NOI_CU_TRU_NND AS noi_cu_tru_nnd,
       MA_QUOCTICH AS ma_quoctich, MATINH_CU_TRU AS matinh_cu_tru, MAHUYEN_CU_TRU AS mahuyen_cu_tru,
       MAXA_CU_TRU AS maxa_cu_tru, HO_TEN_CHA AS ho_ten_cha, MA_THE_TAM AS ma_the_tam,
       HO_TEN_CON AS ho_ten_con, GIOI_TINH_CON AS gioi_tinh_con, SO_CON AS so_con,
       LAN_SINH AS lan_sinh, SO_CON_SONG AS so_con_song, CAN_NANG_CON AS can_nang_con,
       NGAY_SINH_CON AS ngay_sinh_con, NOI_SINH_CON AS noi_sinh_con, TINH_TRANG_CON AS tinh_trang_con,
       SINHCON_PHAUTHUAT AS sinhcon_phauthuat, SINHCON_DUOI32TUAN AS sinhcon_duoi32tuan,
       GHI_CHU AS ghi_chu, NGUOI_DO_DE AS nguoi_do_de, NGUOI_GHI_PHIEU AS nguoi_ghi_phieu,
       NGAY_CT AS ngay_ct, SO AS so, QUYEN_SO AS quyen_so, MA_TTDV AS ma_ttdv, DU_PHONG AS du_phong
FROM xml130_bang9
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
