-- Vehicle: miles driven per device and year: per day the odometer's max - min (km, from the daily
-- rollup), summed over the year and converted with :km_per_mile (1.609344). Distance between a
-- day's last reading and the next day's first is not counted.
SELECT device_id,
       year(day) AS year,
       sum(value_max - value_min) / :km_per_mile AS miles,
       count(*) AS days_with_readings
FROM readings_daily
WHERE metric = 'odometer'
GROUP BY device_id, year(day)
ORDER BY device_id, year
