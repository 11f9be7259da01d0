package ru.b24connector.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyProbe;

import java.util.Optional;

/** The portal's contribution to the dependency probes: {@link PortalClient#probe()}. */
@ApplicationScoped
public class PortalDependencyProbe implements DependencyProbe {

    @Inject
    PortalClient portal;

    @Override
    public Dependency dependency() {
        return Dependency.PORTAL;
    }

    @Override
    public Optional<String> probe() {
        return portal.probe();
    }
}
