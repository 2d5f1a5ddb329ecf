-- The speed layer's hourly figures of the hours the batch has covered (before the batch watermark of
-- the newest successful warehouse load), next to the batch's figures of the same hour. A missing batch
-- row has NULL batch figures.
SELECT s.device_id, s.metric, s.hour_start,
       s.value_count AS speed_count, f.value_count AS batch_count,
       s.value_sum AS speed_sum, f.value_sum AS batch_sum
FROM speed_reading_hourly s
LEFT JOIN fact_reading_hourly f
  ON f.device_id = s.device_id AND f.metric = s.metric AND f.hour_start = s.hour_start
WHERE s.hour_start < (SELECT COALESCE(MAX(watermark), TIMESTAMP '1970-01-01 00:00:00') FROM etl_job_run WHERE job = 'load-warehouse' AND status = 'SUCCEEDED')
ORDER BY s.device_id, s.metric, s.hour_start
