-- The serving view of the Lambda architecture: hourly rows from the batch layer before the batch
-- watermark, and from the speed layer from the watermark on. The two predicates are complements, so
-- an hour comes from exactly one layer: no overlap, no gap. The watermark is that of the newest
-- successful warehouse load (etl_job_run); before the first one every hour comes from the speed layer.
SELECT device_id, metric, hour_start, value_count, value_min, value_max, value_sum, value_avg, 'batch' AS layer
FROM fact_reading_hourly
WHERE hour_start < (SELECT COALESCE(MAX(watermark), TIMESTAMP '1970-01-01 00:00:00') FROM etl_job_run WHERE job = 'load-warehouse' AND status = 'SUCCEEDED')
UNION ALL
SELECT device_id, metric, hour_start, value_count, value_min, value_max, value_sum, value_avg, 'speed' AS layer
FROM speed_reading_hourly
WHERE hour_start >= (SELECT COALESCE(MAX(watermark), TIMESTAMP '1970-01-01 00:00:00') FROM etl_job_run WHERE job = 'load-warehouse' AND status = 'SUCCEEDED')
