-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- XML2: one drug, blood product or oxygen line.
SELECT ma_lk, stt, ma_thuoc, ma_pp_chebien, ma_cskcb_thuoc, ma_nhom, ten_thuoc, don_vi_tinh,
       ham_luong, duong_dung, dang_bao_che, lieu_dung, cach_dung, so_dang_ky, tt_thau, pham_vi,
       tyle_tt_bh, so_luong, don_gia, thanh_tien_bv, thanh_tien_bh, t_nguonkhac_nsnn,
       t_nguonkhac_vtnn, t_nguonkhac_vttn, t_nguonkhac_cl, t_nguonkhac, muc_huong, t_bntt, t_bncct,
       t_bhtt, ma_khoa, ma_bac_si, ma_dich_vu, ngay_yl, ngay_th_yl, ma_pttt, nguon_ctra,
       vet_thuong_tp, du_phong
FROM his_drug_line
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
