-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML11: sick-leave certificate (form CT07).
SELECT ma_lk, so_ct, so_seri, so_kcb, don_vi, ma_bhxh, ma_the_bhyt, chan_doan_rv, pp_dieutri,
       ma_dinh_chi_thai, nguyennhan_dinhchi, tuoi_thai, so_ngay_nghi, tu_ngay, den_ngay, ho_ten_cha,
       ho_ten_me, ma_ttdv, ma_bs, ngay_ct, ma_the_tam, mau_so, du_phong
FROM his_sick_leave
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk
