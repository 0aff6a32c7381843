-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML6: HIV/AIDS care and treatment record (sensitive).
SELECT ma_lk, stt, ma_the_bhyt, so_cccd, ngay_sinh, gioi_tinh, dia_chi, matinh_cu_tru, mahuyen_cu_tru,
       maxa_cu_tru, ngaykd_hiv, noi_lay_mau_xn, noi_xn_kd, noi_bddt_arv, bddt_arv,
       ma_phac_do_dieu_tri_bd, ma_bac_phac_do_bd, ma_lydo_dtri, loai_dtri_lao, sang_loc_lao,
       phacdo_dtri_lao, ngaybd_dtri_lao, ngaykt_dtri_lao, kq_dtri_lao, ma_lydo_xntl_vr, ngay_xn_tlvr,
       kq_xntl_vr, ngay_kq_xn_tlvr, ma_loai_bn, giai_doan_lam_sang, nhom_doi_tuong, ma_tinh_trang_dk,
       lan_xn_pcr, ngay_xn_pcr, ngay_kq_xn_pcr, ma_kq_xn_pcr, ngay_nhan_tt_mang_thai,
       ngay_bat_dau_dt_ctx, ma_xu_tri, ngay_bat_dau_xu_tri, ngay_ket_thuc_xu_tri, ma_phac_do_dieu_tri,
       ma_bac_phac_do, so_ngay_cap_thuoc_arv, ngay_chuyen_phac_do, ly_do_chuyen_phac_do, ma_cskcb,
       du_phong
FROM his_hiv_care
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
