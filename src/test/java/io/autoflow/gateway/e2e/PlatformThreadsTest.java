package io.autoflow.gateway.e2e;

import io.autoflow.gateway.Application;
import org.apache.camel.test.main.junit5.CamelMainTest;

/** On platform threads (Java 17, the build's JVM): the route gives its thread back at the call to Autoflow. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "gateway.threads=platform", "gateway.worker-pool-size=2",
        "autoflow.simulator.token-delay=0.03", "autoflow.simulator.first-token-delay=0.05",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=60000",
        "gateway.concurrency.per-client=100", "gateway.concurrency.total=100" })
class PlatformThreadsTest extends StreamsPastTheWorkerPool {
}
