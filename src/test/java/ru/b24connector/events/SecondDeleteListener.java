package ru.b24connector.events;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test listener: a second listener of deal delete events, so an event has two listener jobs. */
@ApplicationScoped
public class SecondDeleteListener implements PortalEventListener {

    static final Map<Long, AtomicInteger> processed = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "test-second";
    }

    @Override
    public boolean accepts(String event) {
        return "ONCRMDEALDELETE".equals(event);
    }

    @Override
    public void on(PortalEvent event) {
        processed.computeIfAbsent(event.entityId().orElseThrow(), id -> new AtomicInteger()).incrementAndGet();
    }
}
