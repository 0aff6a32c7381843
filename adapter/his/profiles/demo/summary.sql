-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML8: medical-record summary.
SELECT ma_lk, ma_loai_kcb, ho_ten_cha, ho_ten_me, nguoi_giam_ho, don_vi, ngay_vao, ngay_ra,
       chan_doan_vao, chan_doan_rv, qt_benhly, tomtat_kq, pp_dieutri, ngay_sinhcon, ngay_conchet,
       so_conchet, ket_qua_dtri, ghi_chu, ma_ttdv, ngay_ct, ma_the_tam, du_phong
FROM his_summary
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk
