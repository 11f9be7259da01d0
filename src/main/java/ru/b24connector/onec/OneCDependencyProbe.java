package ru.b24connector.onec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyProbe;

import java.util.Optional;

/** 1C's contribution to the dependency probes: {@link OneCODataClient#probe()}. */
@ApplicationScoped
public class OneCDependencyProbe implements DependencyProbe {

    @Inject
    OneCODataClient onec;

    @Override
    public Dependency dependency() {
        return Dependency.ONEC;
    }

    @Override
    public Optional<String> probe() {
        return onec.probe();
    }
}
