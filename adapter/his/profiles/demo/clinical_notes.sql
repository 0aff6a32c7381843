-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML5: one clinical progress note.
SELECT ma_lk, stt, dien_bien_ls, giai_doan_benh, hoi_chan, phau_thuat, thoi_diem_dbls,
       nguoi_thuc_hien, du_phong
FROM his_clinical_note
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
