-- One device's temperature by hour from the live view: batch hours up to the batch watermark, then
-- the speed layer's. The one parameter is the device id.
SELECT hour_start, layer, value_count, ROUND(value_avg, 2) AS avg_celsius, ROUND(value_min, 2) AS min_celsius, ROUND(value_max, 2) AS max_celsius
FROM v_reading_hourly_live
WHERE device_id = ? AND metric = 'temperature'
ORDER BY hour_start DESC
LIMIT 6
