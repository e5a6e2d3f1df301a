"""RFC 3339 reading: what datetime refuses is exactly what the rule calls impossible."""

from __future__ import annotations

import itertools

from feedlint.rules import dates

YEARS = ("0000", "0001", "2023", "2024", "2100", "9999")
MONTHS = ("00", "01", "02", "04", "12", "13")
DAYS = ("00", "01", "28", "29", "30", "31", "32")
HOURS = ("00", "23", "24")
MINUTES = ("00", "59", "60")
SECONDS = ("00", "59", "60", "61")
ZONES = ("Z", "-00:00", "+23:59", "-23:59", "+24:00", "+05:60", "+10:75", "+05:30")


def test_a_timestamp_is_refused_exactly_when_a_part_does_not_exist() -> None:
    for year, month, day, hour, minute, second, zone in itertools.product(
        YEARS, MONTHS, DAYS, HOURS, MINUTES, SECONDS, ZONES
    ):
        text = f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"
        hours, minutes = (0, 0) if zone == "Z" else (int(zone[1:3]), int(zone[4:6]))
        problem = dates._impossible(
            int(year), int(month), int(day), int(hour), int(minute), int(second), hours, minutes
        )
        reading = dates.read_timestamp(text)
        if problem is not None:
            assert reading == dates.DateProblem("FL403", f"does not exist: {problem}"), text
        else:
            assert isinstance(reading, dates.Timestamp) or "outside the years" in reading.message


def test_a_leap_second_is_the_next_second() -> None:
    reading = dates.read_timestamp("2016-12-31T23:59:60Z")
    assert isinstance(reading, dates.Timestamp)
    assert reading.instant.isoformat() == "2017-01-01T00:00:00+00:00"
    late = dates.read_timestamp("2016-12-31T18:59:60.5-05:00")
    assert isinstance(late, dates.Timestamp)
    assert late.instant.isoformat() == "2017-01-01T00:00:00.500000+00:00"
