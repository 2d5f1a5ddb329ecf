-- Agriculture: daily minimum, mean and maximum temperature per device (degrees Celsius), from the
-- daily rollup.
SELECT device_id,
       day,
       value_min AS temperature_min,
       value_avg AS temperature_avg,
       value_max AS temperature_max,
       value_count AS readings
FROM readings_daily
WHERE metric = 'temperature'
ORDER BY device_id, day
