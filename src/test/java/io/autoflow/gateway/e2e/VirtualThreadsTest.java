package io.autoflow.gateway.e2e;

import io.autoflow.gateway.Application;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** On virtual threads. .ci/run runs this class again on Java 25, since the build's own JVM is Java 17. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "gateway.threads=virtual", "gateway.worker-pool-size=2",
        "autoflow.simulator.token-delay=0.03", "autoflow.simulator.first-token-delay=0.05",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=60000",
        "gateway.concurrency.per-client=100", "gateway.concurrency.total=100" })
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTest extends StreamsPastTheWorkerPool {
}
