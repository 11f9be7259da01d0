package ru.b24connector.process;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code calendar:} section of a process file: zone, working days and hours, holidays. */
final class WorkCalendarParser {

    private static final Pattern HOURS = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

    private WorkCalendarParser() {
    }

    static WorkCalendar parse(ProcessFile.Calendar c, ZoneId defaultZone, ProcessFileLines errors) {
        String at = "/calendar";
        ZoneId zone = defaultZone;
        Set<DayOfWeek> days = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        LocalTime start = LocalTime.of(9, 0);
        LocalTime end = LocalTime.of(18, 0);
        Set<LocalDate> holidays = new HashSet<>();
        if (c != null) {
            if (c.zone() != null) {
                try {
                    zone = ZoneId.of(c.zone());
                } catch (DateTimeException e) {
                    throw errors.fail(at + "/zone", "'" + c.zone() + "' is not a time zone (e.g. Europe/Moscow)");
                }
            }
            if (c.workDays() != null) {
                days = EnumSet.noneOf(DayOfWeek.class);
                for (int i = 0; i < c.workDays().size(); i++) {
                    days.add(day(c.workDays().get(i), at + "/work-days/" + i, errors));
                }
            }
            if (c.hours() != null) {
                Matcher m = HOURS.matcher(c.hours().trim());
                try {
                    if (!m.matches()) {
                        throw new DateTimeException("no match");
                    }
                    start = LocalTime.parse(pad(m.group(1)));
                    end = LocalTime.parse(pad(m.group(2)));
                } catch (DateTimeException e) {
                    throw errors.fail(at + "/hours", "'" + c.hours() + "' is not working hours such as 09:00-18:00");
                }
                if (!end.isAfter(start)) {
                    throw errors.fail(at + "/hours", "working hours must end after they start");
                }
            }
            for (int i = 0; c.holidays() != null && i < c.holidays().size(); i++) {
                try {
                    holidays.add(LocalDate.parse(c.holidays().get(i)));
                } catch (DateTimeException e) {
                    throw errors.fail(at + "/holidays/" + i, "'" + c.holidays().get(i) + "' is not a date such as 2026-01-01");
                }
            }
        }
        if (days.isEmpty()) {
            throw errors.fail(at + "/work-days", "needs at least one working day");
        }
        return new WorkCalendar(zone, Set.copyOf(days), start, end, Set.copyOf(holidays));
    }

    private static DayOfWeek day(String value, String at, ProcessFileLines errors) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (v.length() >= 2 && d.name().startsWith(v)) {
                return d;
            }
        }
        throw errors.fail(at, "'" + value + "' is not a day of the week (MON, TUE, ...)");
    }

    private static String pad(String time) {
        return time.length() == 4 ? "0" + time : time;
    }

}
