package dev.ioloop.spring.boot.health;

import java.time.Duration;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IOLoopHealthContributor} follows {@link MonitoredLoops}: a loop registered after startup (an attached one)
 * gets its component, with the state of whoever registered it, and loses it when unregistered.
 */
class IOLoopHealthContributorTests {

    private static final ManagedLoop.Monitoring MONITORING = new ManagedLoop.Monitoring(Duration.ofMillis(100),
            Duration.ZERO, 0);

    @Test
    void hasOneComponentPerMonitoredLoopAsLoopsComeAndGo() {
        MonitoredLoops loops = new MonitoredLoops();
        IOLoopHealthContributor contributor = new IOLoopHealthContributor(loops, Duration.ofSeconds(5));
        ManagedLoop main = managed("main", IOLoopLifecycle.State.RUNNING);
        loops.register(main);
        assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly("main");
        assertThat(contributor.getContributor("attached")).isNull();

        ManagedLoop attached = managed("attached", IOLoopLifecycle.State.STARTING);
        loops.register(attached);
        assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly("main", "attached");
        HealthIndicator indicator = (HealthIndicator) contributor.getContributor("attached");
        assertThat(indicator).isNotNull();
        // Its registrant's state, not the starter lifecycle's: STARTING is OUT_OF_SERVICE.
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        loops.unregister(attached);
        assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly("main");
        assertThat(contributor.getContributor("attached")).isNull();
        main.loop().close();
        attached.loop().close();
    }

    private static ManagedLoop managed(String name, IOLoopLifecycle.State state) {
        return new ManagedLoop(IOLoop.builder().name(name).makeCurrent(false).build(), MONITORING, () -> state);
    }
}
