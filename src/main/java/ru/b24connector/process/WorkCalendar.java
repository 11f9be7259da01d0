package ru.b24connector.process;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * Working days and hours of the process, for deadlines counted in working hours: time outside working hours,
 * weekends and holidays does not count.
 */
public record WorkCalendar(ZoneId zone, Set<DayOfWeek> workDays, LocalTime start, LocalTime end,
                           Set<LocalDate> holidays) {

    /** Length of one working day, the unit of "3d working". */
    public Duration day() {
        return Duration.between(start, end);
    }

    /** {@code from} plus {@code amount}, in calendar time or in working time. */
    public Instant plus(Instant from, Duration amount, boolean working) {
        if (!working) {
            return from.plus(amount);
        }
        ZonedDateTime at = from.atZone(zone);
        Duration left = amount;
        while (true) {
            if (!isWorkDay(at.toLocalDate()) || !at.toLocalTime().isBefore(end)) {
                at = at.toLocalDate().plusDays(1).atTime(start).atZone(zone);
                continue;
            }
            if (at.toLocalTime().isBefore(start)) {
                at = at.toLocalDate().atTime(start).atZone(zone);
            }
            Duration today = Duration.between(at.toLocalTime(), end);
            if (left.compareTo(today) <= 0) {
                return at.plus(left).toInstant();
            }
            left = left.minus(today);
            at = at.toLocalDate().plusDays(1).atTime(start).atZone(zone);
        }
    }

    boolean isWorkDay(LocalDate date) {
        return workDays.contains(date.getDayOfWeek()) && !holidays.contains(date);
    }
}
