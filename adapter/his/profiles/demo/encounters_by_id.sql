-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- Named encounters, finished or not. An open visit (finished = 0) may lack ngay_ra: the reader
-- then uses ngay_vao in its place (check-ins are built from open visits and carry no NGAY_RA).
SELECT ma_lk, ma_cskcb, ma_bn, ho_ten, ngay_sinh, gioi_tinh, so_cccd, nhom_mau, ma_quoctich,
       ma_dantoc, ma_nghe_nghiep, dia_chi, matinh_cu_tru, mahuyen_cu_tru, maxa_cu_tru, dien_thoai,
       ma_loai_kcb, ma_doituong_kcb, ngay_vao, ngay_ra, ngay_mien_cct, ma_khuvuc, nam_nam_lien_tuc,
       ngay_vao_noi_tru, ngay_ttoan, ly_do_vv, ly_do_vnt, ma_ly_do_vnt, chan_doan_vao, chan_doan_rv,
       ma_benh_chinh, ma_benh_kt, ma_benh_yhct, ma_pttt_qt, ma_noi_di, ma_noi_den, ma_tai_nan,
       giay_chuyen_tuyen, so_ngay_dtri, pp_dieu_tri, ket_qua_dtri, ma_loai_rv, ghi_chu, nam_qt,
       thang_qt, ma_khoa, can_nang, can_nang_con, ngay_tai_kham, ma_hsba, ma_ttdv, chieu_cao_cm,
       du_phong, guardian_name, guardian_relation, guardian_id_number, guardian_phone, updated_at,
       finished
FROM his_encounter
WHERE ma_cskcb = :ma_cskcb
  AND ma_lk IN :ma_lks
ORDER BY updated_at, ma_lk
