package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Product names by Ref_Key. Lines of a tabular section carry no presentation of their product (17.4.3), so products
 * are read from the catalog, {@value #GROUP} keys per request ({@code Ref_Key eq guid'…' or …}, {@code $select} of
 * the name only, {@code allowedOnly}), and kept for an hour: a pull of many documents about the same goods asks 1C
 * once per product, not once per line.
 */
@ApplicationScoped
class OneCProducts {

    static final int GROUP = 20;
    private static final Duration KEEP = Duration.ofHours(1);
    private static final int MOST = 20_000;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCConfig config;

    @Inject
    Clock clock;

    private record Known(String name, Instant until) {
    }

    private final Map<String, Known> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > MOST;
        }
    };

    /** Names of the products (refs in lower case); a product 1C does not show is missing from the answer. */
    Map<String, String> names(List<String> refs) {
        Map<String, String> names = new HashMap<>();
        List<String> missing = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (cache) {
            for (String ref : refs) {
                Known known = cache.get(ref);
                if (known != null && known.until().isAfter(now)) {
                    names.put(ref, known.name());
                } else if (!missing.contains(ref)) {
                    missing.add(ref);
                }
            }
        }
        for (int from = 0; from < missing.size(); from += GROUP) {
            List<String> group = missing.subList(from, Math.min(missing.size(), from + GROUP));
            String filter = group.stream().map(r -> "Ref_Key eq guid'" + r + "'").collect(Collectors.joining(" or "));
            for (JsonNode product : odata.page(config.productSet(), Map.of("$filter", filter, "$select", "Ref_Key,Description"))) {
                String ref = product.path("Ref_Key").asText("").toLowerCase(Locale.ROOT);
                String name = product.path("Description").asText(ref);
                names.put(ref, name);
                synchronized (cache) {
                    cache.put(ref, new Known(name, now.plus(KEEP)));
                }
            }
        }
        return names;
    }

    /** Forgets every name (tests; a product renamed in 1C shows its new name at once). */
    void forget() {
        synchronized (cache) {
            cache.clear();
        }
    }
}
