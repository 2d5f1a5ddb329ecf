-- Daily temperature per field: the daily facts joined to the location version each device was at
-- and to the calendar. Readings of devices without a known location count as field (unknown).
SELECT d.date, COALESCE(l.field, '(unknown)') AS field, COALESCE(l.crop, '(unknown)') AS crop,
       ROUND(SUM(f.value_sum) / SUM(f.value_count), 2) AS avg_celsius,
       ROUND(MIN(f.value_min), 2) AS min_celsius,
       ROUND(MAX(f.value_max), 2) AS max_celsius,
       SUM(f.value_count) AS readings
FROM fact_reading_daily f
JOIN dim_location l ON l.location_key = f.location_key
JOIN dim_date d ON d.date_key = f.date_key
WHERE f.metric = 'temperature'
GROUP BY d.date, l.field, l.crop
ORDER BY d.date, field, crop
