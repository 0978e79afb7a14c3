package dev.ioloop.spring.boot.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the ioloop starter, bound from {@code ioloop.*}.
 *
 * <p>Every setter validates its value and throws {@link IllegalArgumentException} naming the key, the rule
 * and the value, so that an invalid value fails startup with that message. Not thread-safe: bound once at
 * startup, then only read.
 */
@ConfigurationProperties("ioloop")
public class IOLoopProperties {

    /**
     * Whether to create and run the main loop, the loop group and their monitoring. With false, @PeriodicCallback
     * methods do not run, and one WARN at startup names them.
     */
    private boolean enabled = true;

    /**
     * Backend of the starter's own loops (main and group): selector (a java.nio Selector per loop) or netty (each
     * loop on a Netty NIO event loop of its own, which Netty channels can share; needs dev.ioloop:ioloop-netty).
     * Unset: the backend configured with IOLoop.configure, the selector unless changed.
     */
    private @Nullable Backend backend;

    private final Group group = new Group();

    private final Monitor monitor = new Monitor();

    private final Shutdown shutdown = new Shutdown();

    private final Watchdog watchdog = new Watchdog();

    private final Metrics metrics = new Metrics();

    private final Health health = new Health();

    /** @return whether the starter is enabled */
    public boolean isEnabled() {
        return this.enabled;
    }

    /** @param enabled whether the starter is enabled */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the backend of the starter's own loops, or null for the one configured with {@code IOLoop.configure} */
    public @Nullable Backend getBackend() {
        return this.backend;
    }

    /** @param backend the backend of the starter's own loops, or null for the configured one */
    public void setBackend(@Nullable Backend backend) {
        this.backend = backend;
    }

    /** @return the {@code ioloop.monitor.*} settings */
    public Monitor getMonitor() {
        return this.monitor;
    }

    /** @return the {@code ioloop.group.*} settings */
    public Group getGroup() {
        return this.group;
    }

    /** @return the {@code ioloop.shutdown.*} settings */
    public Shutdown getShutdown() {
        return this.shutdown;
    }

    /** @return the {@code ioloop.watchdog.*} settings */
    public Watchdog getWatchdog() {
        return this.watchdog;
    }

    /** @return the {@code ioloop.metrics.*} settings */
    public Metrics getMetrics() {
        return this.metrics;
    }

    /** @return the {@code ioloop.health.*} settings */
    public Health getHealth() {
        return this.health;
    }

    static Duration requirePositive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("'" + key + "' must be positive (was " + value + ")");
        }
        return value;
    }

    /** What the starter's own loops wait with ({@code ioloop.backend}). */
    public enum Backend {

        /** A {@code java.nio} Selector per loop ({@code IOLoopBackend.selector()}). */
        SELECTOR,

        /** A Netty NIO event loop per loop ({@code NettyBackend.factory()}, module ioloop-netty). */
        NETTY,

        /**
         * A Netty io_uring event loop per loop whose {@code TCPServer}s accept, read and send through the ring
         * ({@code RingSockets.backend()}, module ioloop-netty and Netty's io_uring natives; Linux only).
         */
        NETTY_IO_URING
    }

    /** Settings of the monitoring of event loops the starter does not run ({@code ioloop.monitor.*}). */
    public static class Monitor {

        private final ReactorNetty reactorNetty = new ReactorNetty();

        private final EventLoopGroups eventLoopGroups = new EventLoopGroups();

        /** @return the {@code ioloop.monitor.reactor-netty.*} settings */
        public ReactorNetty getReactorNetty() {
            return this.reactorNetty;
        }

        /** @return the {@code ioloop.monitor.event-loop-groups.*} settings */
        public EventLoopGroups getEventLoopGroups() {
            return this.eventLoopGroups;
        }

        /** Monitoring of Reactor Netty's event loops ({@code ioloop.monitor.reactor-netty.*}). */
        public static class ReactorNetty {

            /**
             * Whether to monitor Reactor Netty's event loops (those a WebFlux server on Netty runs on, which WebClient
             * shares), found through the ReactorResourceFactory bean: an IOLoop is attached to each and gets the lag
             * probe, blocked-loop watchdog, meters, health component and endpoint entry of the starter's own loops,
             * named after the loop's thread (reactor-http-epoll-1). Needs dev.ioloop:ioloop-netty on the classpath.
             */
            private boolean enabled = true;

            /** @return whether Reactor Netty's event loops are monitored */
            public boolean isEnabled() {
                return this.enabled;
            }

            /** @param enabled whether Reactor Netty's event loops are monitored */
            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }
        }

        /** Monitoring of the application's EventLoopGroup beans ({@code ioloop.monitor.event-loop-groups.*}). */
        public static class EventLoopGroups {

            /**
             * Whether to monitor the event loops of every Netty EventLoopGroup bean of the application, as Reactor
             * Netty's are. Needs dev.ioloop:ioloop-netty on the classpath.
             */
            private boolean enabled = true;

            /** @return whether the EventLoopGroup beans' event loops are monitored */
            public boolean isEnabled() {
                return this.enabled;
            }

            /** @param enabled whether the EventLoopGroup beans' event loops are monitored */
            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }
        }
    }

    /** Settings of the group of per-thread loops ({@code ioloop.group.*}). */
    public static class Group {

        /**
         * Whether to create the group of per-thread loops (an IOLoopGroup bean) next to the main loop. Off by default:
         * only code that spreads work over the group uses it, and unused loops would cost threads, selectors and
         * probe wake-ups.
         */
        private boolean enabled;

        /**
         * Number of per-thread loops in the group, each on its own thread named ioloop-1 to ioloop-N. Defaults to
         * the number of available processors.
         */
        private int threads = Runtime.getRuntime().availableProcessors();

        /** @return whether the group is created */
        public boolean isEnabled() {
            return this.enabled;
        }

        /** @param enabled whether the group is created */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the number of loops in the group, at least 1 */
        public int getThreads() {
            return this.threads;
        }

        /**
         * @param threads the number of loops in the group
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public void setThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("'ioloop.group.threads' must be at least 1 (was " + threads + ")");
            }
            this.threads = threads;
        }
    }

    /** Settings of the shutdown of the loops ({@code ioloop.shutdown.*}). */
    public static class Shutdown {

        /**
         * Maximum time to wait, at shutdown, for the loops to run the callbacks already queued and stop. A loop still
         * busy then (or when spring.lifecycle.timeout-per-shutdown-phase passes first) is reported at WARN with its
         * stack and closed once its callback returns.
         */
        private Duration timeout = Duration.ofSeconds(10);

        /** @return the shutdown timeout, positive */
        public Duration getTimeout() {
            return this.timeout;
        }

        /**
         * @param timeout the shutdown timeout
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public void setTimeout(Duration timeout) {
            this.timeout = requirePositive("ioloop.shutdown.timeout", timeout);
        }
    }

    /** Settings of the blocked-loop watchdog ({@code ioloop.watchdog.*}). */
    public static class Watchdog {

        /**
         * Time one loop iteration may run before the watchdog logs the loop thread's stack at WARN, counts the event
         * in ioloop.blocked and keeps the report for the ioloop endpoint. Zero disables the watchdog.
         */
        private Duration threshold = Duration.ofSeconds(2);

        /**
         * Number of most recent blocked-loop reports (with their captured stack) kept per loop for the ioloop
         * endpoint.
         */
        private int retainedReports = 10;

        /** @return the watchdog threshold, zero when disabled */
        public Duration getThreshold() {
            return this.threshold;
        }

        /**
         * @param threshold the watchdog threshold, zero to disable
         * @throws IllegalArgumentException if {@code threshold} is null or negative
         */
        public void setThreshold(Duration threshold) {
            if (threshold == null || threshold.isNegative()) {
                throw new IllegalArgumentException(
                        "'ioloop.watchdog.threshold' must be zero (disabled) or positive (was " + threshold + ")");
            }
            this.threshold = threshold;
        }

        /** @return how many blocked-loop reports are kept per loop */
        public int getRetainedReports() {
            return this.retainedReports;
        }

        /**
         * @param retainedReports how many blocked-loop reports to keep per loop
         * @throws IllegalArgumentException if {@code retainedReports < 0}
         */
        public void setRetainedReports(int retainedReports) {
            if (retainedReports < 0) {
                throw new IllegalArgumentException(
                        "'ioloop.watchdog.retained-reports' must not be negative (was " + retainedReports + ")");
            }
            this.retainedReports = retainedReports;
        }
    }

    /** Settings of the loop metrics ({@code ioloop.metrics.*}). */
    public static class Metrics {

        private final Lag lag = new Lag();

        private final Utilization utilization = new Utilization();

        /** @return the {@code ioloop.metrics.lag.*} settings */
        public Lag getLag() {
            return this.lag;
        }

        /** @return the {@code ioloop.metrics.utilization.*} settings */
        public Utilization getUtilization() {
            return this.utilization;
        }

        /** Settings of the utilisation gauge ({@code ioloop.metrics.utilization.*}). */
        public static class Utilization {

            /**
             * Length of the fixed window the ioloop.utilization gauge reports (the last complete one; reading it does
             * not move it). The ioloop.busy and ioloop.idle counters give any other window.
             */
            private Duration window = Duration.ofSeconds(10);

            /** @return the window, positive */
            public Duration getWindow() {
                return this.window;
            }

            /**
             * @param window the window
             * @throws IllegalArgumentException if {@code window} is null, zero or negative
             */
            public void setWindow(Duration window) {
                this.window = requirePositive("ioloop.metrics.utilization.window", window);
            }
        }

        /** Settings of the loop-lag probe ({@code ioloop.metrics.lag.*}). */
        public static class Lag {

            /**
             * Interval of the lag probe: a timer on each loop that measures how late it fires (ioloop.lag, and the
             * lag seen by the ioloop health indicator).
             */
            private Duration interval = Duration.ofMillis(100);

            /** @return the probe interval, positive */
            public Duration getInterval() {
                return this.interval;
            }

            /**
             * @param interval the probe interval
             * @throws IllegalArgumentException if {@code interval} is null, zero or negative
             */
            public void setInterval(Duration interval) {
                this.interval = requirePositive("ioloop.metrics.lag.interval", interval);
            }
        }
    }

    /** Settings of the ioloop health indicator ({@code ioloop.health.*}). */
    public static class Health {

        /**
         * Loop lag at or above which the ioloop health indicator reports the loop DOWN.
         */
        private Duration lagThreshold = Duration.ofSeconds(5);

        /** @return the lag threshold, positive */
        public Duration getLagThreshold() {
            return this.lagThreshold;
        }

        /**
         * @param lagThreshold the lag threshold
         * @throws IllegalArgumentException if {@code lagThreshold} is null, zero or negative
         */
        public void setLagThreshold(Duration lagThreshold) {
            this.lagThreshold = requirePositive("ioloop.health.lag-threshold", lagThreshold);
        }
    }
}
