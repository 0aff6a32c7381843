-- Vendor-shaped HIS (one table per XML table, upper-case XML element names, dates as yyyyMMddHHmm text).
-- Each query returns the view-contract column names (docs/his-view-contract.md).
-- Table 1 keeps every card of the episode as ";" lists; the reader splits them position by position.
SELECT MA_LK AS ma_lk, 1 AS stt, MA_THE_BHYT AS ma_the_bhyt, MA_DKBD AS ma_dkbd,
       GT_THE_TU AS gt_the_tu, GT_THE_DEN AS gt_the_den
FROM xml130_bang1
WHERE MA_LK IN :ma_lks
ORDER BY MA_LK
