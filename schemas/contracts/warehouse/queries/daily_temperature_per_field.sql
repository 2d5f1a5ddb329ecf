-- Daily temperature per field: the daily facts joined to the location version each device was at
-- and to the calendar.
SELECT d.date, l.field, l.crop,
       ROUND(SUM(f.value_sum) / SUM(f.value_count), 2) AS avg_celsius,
       MIN(f.value_min) AS min_celsius,
       MAX(f.value_max) AS max_celsius,
       SUM(f.value_count) AS readings
FROM fact_reading_daily f
JOIN dim_location l ON l.location_key = f.location_key
JOIN dim_date d ON d.date_key = f.date_key
WHERE f.metric = 'temperature'
GROUP BY d.date, l.field, l.crop
ORDER BY d.date, l.field
