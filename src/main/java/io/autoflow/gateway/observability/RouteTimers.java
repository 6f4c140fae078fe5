package io.autoflow.gateway.observability;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Leaves the plumbing routes out of Camel's route timers ({@code camel_route_policy_seconds}). The timer formats
 * a String per route an exchange enters and leaves, and a chat passes seven routes: the upstream's retry loop
 * and event delivery add four of them and nothing an operator reads ({@code autoflow-guarded} times the
 * upstream call, retries included). camel-main offers no setting for the policy's exclude pattern, so this
 * sets it on the policy factory camel-main created, before the routes are built.
 */
public final class RouteTimers extends LifecycleStrategySupport {

    private final String untimedRoutes;

    /** @param untimedRoutes route ids or patterns, comma separated, as Camel's {@code PatternHelper} matches */
    public RouteTimers(String untimedRoutes) {
        this.untimedRoutes = untimedRoutes.isBlank() ? null : untimedRoutes.replace(" ", "");
    }

    @Override
    public void onContextInitializing(CamelContext context) {
        for (var factory : context.getRoutePolicyFactories()) {
            if (factory instanceof MicrometerRoutePolicyFactory micrometer) {
                micrometer.setPolicyConfiguration(withExclusions(micrometer.getPolicyConfiguration()));
            }
        }
    }

    /** A copy: the factory may hold Camel's shared default configuration. */
    private MicrometerRoutePolicyConfiguration withExclusions(MicrometerRoutePolicyConfiguration base) {
        MicrometerRoutePolicyConfiguration copy = new MicrometerRoutePolicyConfiguration();
        copy.setContextEnabled(base.isContextEnabled());
        copy.setRouteEnabled(base.isRouteEnabled());
        copy.setAdditionalCounters(base.isAdditionalCounters());
        copy.setExchangesSucceeded(base.isExchangesSucceeded());
        copy.setExchangesFailed(base.isExchangesFailed());
        copy.setExchangesTotal(base.isExchangesTotal());
        copy.setExternalRedeliveries(base.isExternalRedeliveries());
        copy.setFailuresHandled(base.isFailuresHandled());
        copy.setLongTask(base.isLongTask());
        copy.setTimerInitiator(base.getTimerInitiator());
        copy.setLongTaskInitiator(base.getLongTaskInitiator());
        copy.setExcludePattern(untimedRoutes);
        return copy;
    }
}
