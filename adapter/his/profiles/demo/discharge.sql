-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML7: discharge certificate.
SELECT ma_lk, so_luu_tru, ma_yte, ma_khoa_rv, ngay_vao, ngay_ra, ma_dinh_chi_thai, nguyennhan_dinhchi,
       thoigian_dinhchi, tuoi_thai, chan_doan_rv, pp_dieutri, ghi_chu, ma_ttdv, ma_bs, ten_bs,
       ngay_ct, ma_cha, ma_me, ma_the_tam, ho_ten_cha, ho_ten_me, so_ngay_nghi, ngoaitru_tungay,
       ngoaitru_denngay, du_phong
FROM his_discharge
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk
