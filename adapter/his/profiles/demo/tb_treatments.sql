-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML15: tuberculosis treatment details.
SELECT ma_lk, stt, ma_bn, ho_ten, so_cccd, phanloai_lao_vitri, phanloai_lao_ts, phanloai_lao_hiv,
       phanloai_lao_vk, phanloai_lao_kt, loai_dtri_lao, ngaybd_dtri_lao, phacdo_dtri_lao,
       ngaykt_dtri_lao, ket_qua_dtri_lao, ma_cskcb, ngaykd_hiv, bddt_arv, ngay_bat_dau_dt_ctx,
       du_phong
FROM his_tb_treatment
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
