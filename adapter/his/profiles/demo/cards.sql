-- Demo profile (the HIS view contract as tables). Generated from adapter.his.contract; keep in step.
-- BHYT cards valid during the episode, in order (several when a new card was issued).
SELECT ma_lk, stt, ma_the_bhyt, ma_dkbd, gt_the_tu, gt_the_den
FROM his_card
WHERE ma_lk IN :ma_lks
ORDER BY ma_lk, stt
