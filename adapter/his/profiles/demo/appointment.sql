-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML14: re-visit appointment slip.
SELECT ma_lk, so_giayhen_kl, ma_cskcb, ho_ten, ngay_sinh, gioi_tinh, dia_chi, ma_the_bhyt, gt_the_den,
       ngay_vao, ngay_vao_noi_tru, ngay_ra, ngay_hen_kl, chan_doan_rv, ma_benh_chinh, ma_benh_kt,
       ma_benh_yhct, ma_doituong_kcb, ma_bac_si, ma_ttdv, ngay_ct, du_phong
FROM his_appointment
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk
