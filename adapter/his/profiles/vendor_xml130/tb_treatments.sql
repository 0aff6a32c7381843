-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- XML15: tuberculosis treatment details.
SELECT MA_LK AS ma_lk, STT AS stt, MA_BN AS ma_bn, HO_TEN AS ho_ten, SO_CCCD AS so_cccd,
       PHANLOAI_LAO_VITRI AS phanloai_lao_vitri, PHANLOAI_LAO_TS AS phanloai_lao_ts,
       PHANLOAI_LAO_HIV AS phanloai_lao_hiv, PHANLOAI_LAO_VK AS phanloai_lao_vk,
       PHANLOAI_LAO_KT AS phanloai_lao_kt, LOAI_DTRI_LAO AS loai_dtri_lao,
       NGAYBD_DTRI_LAO AS ngaybd_dtri_lao, PHACDO_DTRI_LAO AS phacdo_dtri_lao,
       NGAYKT_DTRI_LAO AS ngaykt_dtri_lao, KET_QUA_DTRI_LAO AS ket_qua_dtri_lao, MA_CSKCB AS ma_cskcb,
       NGAYKD_HIV AS ngaykd_hiv, BDDT_ARV AS bddt_arv, NGAY_BAT_DAU_DT_CTX AS ngay_bat_dau_dt_ctx,
       DU_PHONG AS du_phong
FROM xml130_bang15
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK, STT
