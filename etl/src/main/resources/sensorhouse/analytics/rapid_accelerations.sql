-- Vehicle: rapid accelerations per device and year: acceleration readings above the metric
-- catalog's alert_high for acceleration (bound as :threshold, 3.5 m/s2 in the shipped catalog).
-- Counted on the cleansed readings: a threshold count cannot be derived from min/max/sum buckets.
SELECT device_id,
       year(event_date) AS year,
       sum(CASE WHEN value > :threshold THEN 1 ELSE 0 END) AS rapid_accelerations,
       count(*) AS acceleration_readings
FROM readings
WHERE metric = 'acceleration'
GROUP BY device_id, year(event_date)
ORDER BY device_id, year
