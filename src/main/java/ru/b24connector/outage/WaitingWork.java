package ru.b24connector.outage;

import java.util.Map;

/** The work that waits for a dependency (the job queue implements it), as {@link DependencyProbes} sees it. */
public interface WaitingWork {

    /** Items waiting per dependency label. */
    Map<String, Long> waitingCounts();

    /** Makes everything waiting for {@code dependency} (its label) due now; returns how many. */
    int release(String dependency);
}
