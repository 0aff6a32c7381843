-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML9: birth certificate, one per child.
SELECT ma_lk, stt, ma_bhxh_nnd, ma_the_nnd, ho_ten_nnd, ngaysinh_nnd, ma_dantoc_nnd, so_cccd_nnd,
       ngaycap_cccd_nnd, noicap_cccd_nnd, noi_cu_tru_nnd, ma_quoctich, matinh_cu_tru, mahuyen_cu_tru,
       maxa_cu_tru, ho_ten_cha, ma_the_tam, ho_ten_con, gioi_tinh_con, so_con, lan_sinh, so_con_song,
       can_nang_con, ngay_sinh_con, noi_sinh_con, tinh_trang_con, sinhcon_phauthuat,
       sinhcon_duoi32tuan, ghi_chu, nguoi_do_de, nguoi_ghi_phieu, ngay_ct, so, quyen_so, ma_ttdv,
       du_phong
FROM his_birth
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
