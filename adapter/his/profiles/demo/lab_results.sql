-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML4: one lab, imaging or functional-test indicator result.
SELECT ma_lk, stt, ma_dich_vu, ma_chi_so, ten_chi_so, gia_tri, don_vi_do, mo_ta, ket_luan, ngay_kq,
       ma_bs_doc_kq, du_phong
FROM his_lab_result
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
