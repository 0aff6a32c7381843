-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML13: referral letter.
SELECT ma_lk, so_hoso, so_chuyentuyen, giay_chuyen_tuyen, ma_cskcb, ma_noi_di, ma_noi_den, ho_ten,
       ngay_sinh, gioi_tinh, ma_quoctich, ma_dantoc, ma_nghe_nghiep, dia_chi, ma_the_bhyt, gt_the_den,
       ngay_vao, ngay_vao_noi_tru, ngay_ra, dau_hieu_ls, chan_doan_rv, qt_benhly, tomtat_kq,
       pp_dieutri, ma_benh_chinh, ma_benh_kt, ma_benh_yhct, ten_dich_vu, ten_thuoc, pp_dieu_tri,
       ma_loai_rv, ma_lydo_ct, huong_dieu_tri, phuongtien_vc, hoten_nguoi_ht, chucdanh_nguoi_ht,
       ma_bac_si, ma_ttdv, du_phong
FROM his_referral
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk
