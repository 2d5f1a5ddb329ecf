-- One device's temperature by hour from the live view: batch hours up to the batch watermark, then
-- the speed layer's. The one parameter is the device id.
SELECT hour_start, layer, value_count, ROUND(value_avg, 2) AS avg_celsius, value_min, value_max
FROM v_reading_hourly_live
WHERE device_id = ? AND metric = 'temperature'
ORDER BY hour_start DESC
LIMIT 6
