package ru.b24connector.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalConfig;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times and durations as the pages show them, in the portal's time zone. */
@ApplicationScoped
public class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    @Inject
    PortalConfig portal;

    public ZoneId zone() {
        return portal.timeZone();
    }

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone()));
    }

    /** "3 д 4 ч" / "3 d 4 h"; minutes below an hour. */
    public static String duration(Duration d, Texts t) {
        if (d == null || d.isNegative()) {
            return "";
        }
        long days = d.toDays();
        long hours = d.toHoursPart();
        if (days > 0) {
            return days + " " + t.get("unit.d") + " " + hours + " " + t.get("unit.h");
        }
        if (hours > 0) {
            return hours + " " + t.get("unit.h") + " " + d.toMinutesPart() + " " + t.get("unit.m");
        }
        return d.toMinutes() + " " + t.get("unit.m");
    }
}
