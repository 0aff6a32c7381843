-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML10: pregnancy-rest certificate.
SELECT ma_lk, so_seri, so_ct, so_ngay, don_vi, chan_doan_rv, tu_ngay, den_ngay, ma_ttdv, ten_bs,
       ma_bs, ngay_ct, du_phong
FROM his_pregnancy_rest
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk
