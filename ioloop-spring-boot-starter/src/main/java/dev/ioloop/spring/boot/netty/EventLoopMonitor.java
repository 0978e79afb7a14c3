package dev.ioloop.spring.boot.netty;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.ioloop.IOLoop;
import dev.ioloop.netty.NettyBackend;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Monitors Netty event loops the starter does not run (Reactor Netty's, the application's {@code EventLoopGroup}
 * beans) as it monitors its own: when it starts, it attaches an IOLoop to each event loop its sources name
 * ({@code NettyBackend.attach}), registers it in {@link MonitoredLoops} under the event loop's thread name (so it gets
 * the {@code ioloop.*} meters tagged {@code name=reactor-http-epoll-1}, a health component and an endpoint entry) and
 * starts its lag probe and blocked-loop watchdog. The watchdog sees a blocking request handler although the handler
 * runs in the event loop's own task, not in the IOLoop's (core's heartbeat for loops that share their thread).
 *
 * <pre>{@code
 * EventLoopMonitor monitor = new EventLoopMonitor(monitoredLoops, List.of(() -> List.of(myGroup)), monitoring);
 * monitor.start();   // myGroup's event loops: ioloop.lag, ioloop.blocked, health ioloop/<thread>, ...
 * }</pre>
 *
 * <p>Phase {@link #PHASE}: it starts just after the web server (whose start creates Reactor Netty's loops) and stops
 * just before it, after graceful shutdown drained the requests. Stopping removes the monitoring and unregisters the
 * loops; the attached IOLoops stay attached, idle (no timers, no heartbeats), until their event loop terminates, so
 * code of the application's that attached to the same event loop keeps its loop. Monitors of two contexts that watch
 * the same event loop share its attached IOLoop and its watchdog ({@code ManagedLoop#startMonitoring}): each gets its
 * own reports, and one stopping leaves the watchdog to the other.
 *
 * <p>Threading: {@link #start()} and {@link #stop()} are called by Spring's lifecycle processor, one at a time;
 * {@link #state()} is safe from any thread.
 */
public class EventLoopMonitor implements SmartLifecycle {

    /** The phase: one after the web server's start/stop phase ({@code DEFAULT_PHASE - 2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048 + 1;

    private static final long NAME_TIMEOUT_SECONDS = 10;

    private static final Logger logger = LoggerFactory.getLogger(EventLoopMonitor.class);

    private final MonitoredLoops registry;

    private final List<EventLoopSource> sources;

    private final ManagedLoop.Monitoring monitoring;

    // ordering: volatile so that health and endpoint threads see the lifecycle processor's last transition.
    private volatile IOLoopLifecycle.State state = IOLoopLifecycle.State.NEW;

    // Written by the lifecycle thread only (start and stop are called one at a time); copy-on-write so that loops()
    // can be read from any thread.
    private final List<ManagedLoop> attached = new CopyOnWriteArrayList<>();

    /**
     * Creates a stopped monitor.
     * @param registry where the attached loops are registered
     * @param sources the event loop groups to watch, asked when the monitor starts
     * @param monitoring the lag probe and watchdog settings (those of the starter's own loops)
     */
    public EventLoopMonitor(MonitoredLoops registry, List<? extends EventLoopSource> sources,
            ManagedLoop.Monitoring monitoring) {
        this.registry = registry;
        this.sources = List.copyOf(sources);
        this.monitoring = monitoring;
    }

    /** @return the monitor's state; its loops' health is OUT_OF_SERVICE unless RUNNING. Safe from any thread. */
    public IOLoopLifecycle.State state() {
        // ordering: volatile read.
        return this.state;
    }

    /** @return the loops attached and monitored now, in attach order (a snapshot); safe from any thread */
    public List<ManagedLoop> loops() {
        return List.copyOf(this.attached);
    }

    @Override
    public void start() {
        if (this.state == IOLoopLifecycle.State.RUNNING) {
            return;
        }
        // ordering: volatile write; readers see STARTING until every loop is attached.
        this.state = IOLoopLifecycle.State.STARTING;
        Set<EventLoop> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (EventLoopSource source : this.sources) {
            for (EventLoopGroup group : source.eventLoopGroups()) {
                for (EventExecutor executor : group) {
                    if (executor instanceof EventLoop eventLoop && seen.add(eventLoop)) {
                        attach(eventLoop);
                    }
                }
            }
        }
        // ordering: volatile write after every loop is registered and monitored.
        this.state = IOLoopLifecycle.State.RUNNING;
        if (!this.attached.isEmpty()) {
            logger.info("Monitoring {} Netty event loop{}: {}", this.attached.size(),
                    (this.attached.size() == 1) ? "" : "s",
                    this.attached.stream().map(ManagedLoop::name).collect(Collectors.joining(", ")));
        }
    }

    private void attach(EventLoop eventLoop) {
        String thread = threadName(eventLoop);
        String name = (thread != null) ? uniqueName(thread) : null;
        IOLoop loop;
        try {
            loop = (name != null) ? NettyBackend.attach(eventLoop, name) : NettyBackend.attach(eventLoop);
        }
        catch (IllegalArgumentException ex) {
            logger.warn("Not monitoring event loop {}: {}", eventLoop, ex.getMessage());
            return;
        }
        // An IOLoop the application attached before keeps its own name; its monitoring is named after the thread.
        ManagedLoop managed = new ManagedLoop((name != null) ? name : uniqueName(loop.name()), loop, this.monitoring,
                this::state);
        this.registry.register(managed);
        managed.startMonitoring();
        this.attached.add(managed);
    }

    /**
     * The event loop's thread name, asked on that thread (Netty names it; Reactor Netty's read reactor-http-epoll-1),
     * or null if it does not answer in time.
     */
    private static @Nullable String threadName(EventLoop eventLoop) {
        try {
            return eventLoop.submit(() -> Thread.currentThread().getName())
                .get(NAME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            logger.warn("Event loop {} did not tell its thread's name within {} s ({}): monitoring it under its"
                    + " IOLoop's name", eventLoop, NAME_TIMEOUT_SECONDS, ex.toString());
        }
        return null;
    }

    /** {@code name}, or {@code name#2}, {@code name#3}... if another monitored loop has it. */
    private String uniqueName(String name) {
        String unique = name;
        for (int n = 2; this.registry.find(unique) != null; n++) {
            unique = name + "#" + n;
        }
        return unique;
    }

    /** Removes the monitoring of every attached loop and unregisters it (its meters and health component go). */
    @Override
    public void stop() {
        if (this.state != IOLoopLifecycle.State.RUNNING) {
            return;
        }
        // ordering: volatile write before the first loop goes, so health turns OUT_OF_SERVICE first.
        this.state = IOLoopLifecycle.State.STOPPING;
        for (ManagedLoop managed : this.attached) {
            managed.stopMonitoring();
            this.registry.unregister(managed);
        }
        if (!this.attached.isEmpty()) {
            logger.info("Stopped monitoring {} Netty event loop{}", this.attached.size(),
                    (this.attached.size() == 1) ? "" : "s");
        }
        this.attached.clear();
        // ordering: volatile write.
        this.state = IOLoopLifecycle.State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        // ordering: volatile read.
        return this.state == IOLoopLifecycle.State.RUNNING;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }
}
