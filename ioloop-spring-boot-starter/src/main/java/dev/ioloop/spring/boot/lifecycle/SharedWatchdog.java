package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.ioloop.BlockedLoopAction;
import dev.ioloop.IOLoop;

/**
 * The blocked-loop watchdog of loops that several monitors watch at once. An IOLoop attached to a Netty event loop is
 * one per event loop for the whole JVM, so every application context that monitors Reactor Netty's global loops (tests
 * with several cached contexts, a parent and a child context) gets the same IOLoop, which has one watchdog slot. This
 * class owns that slot for the monitors: it installs the lowest threshold of the monitors watching a loop and an action
 * that gives each monitor a report once the block passed that monitor's own threshold and logs the stack once, and it
 * removes the watchdog only when the last monitor stops. A monitor that stops no longer disables its peers' watchdog,
 * and the last monitor to start no longer takes every report.
 *
 * <p>Loops the starter runs itself are watched by their one {@link IOLoopLifecycle} and do not come here.
 *
 * <p>Safe from any thread: subscriptions change under this object's lock; the installed action reads an immutable list
 * of the monitors taken when it was installed, on the core's watchdog thread, without that lock.
 */
final class SharedWatchdog {

    /** The subscriptions of the JVM: attached IOLoops are JVM-wide, so their monitors are counted JVM-wide. */
    static final SharedWatchdog INSTANCE = new SharedWatchdog();

    /** A monitor watching a loop past its threshold. */
    private record Subscriber(ManagedLoop monitor, long thresholdNanos) {
    }

    // Guarded by this. A loop is here only while a monitor watches it, so closed loops are not kept.
    private final Map<IOLoop, List<Subscriber>> subscribers = new IdentityHashMap<>();

    /**
     * Adds {@code monitor} to the monitors of its loop with {@code threshold}, and installs the loop's watchdog for
     * every monitor now watching it. A monitor already subscribed is subscribed again with the new threshold.
     * @param monitor the monitor
     * @param threshold its watchdog threshold, positive
     */
    synchronized void subscribe(ManagedLoop monitor, Duration threshold) {
        List<Subscriber> current = new ArrayList<>(this.subscribers.getOrDefault(monitor.loop(), List.of()));
        current.removeIf((subscriber) -> subscriber.monitor() == monitor);
        current.add(new Subscriber(monitor, threshold.toNanos()));
        install(monitor.loop(), List.copyOf(current));
    }

    /**
     * Removes {@code monitor} from the monitors of its loop; the watchdog stays for the others, and goes with the last.
     * A monitor that is not subscribed is ignored.
     * @param monitor the monitor
     */
    synchronized void unsubscribe(ManagedLoop monitor) {
        List<Subscriber> current = this.subscribers.get(monitor.loop());
        if (current == null || current.stream().noneMatch((subscriber) -> subscriber.monitor() == monitor)) {
            return;
        }
        List<Subscriber> rest = new ArrayList<>(current);
        rest.removeIf((subscriber) -> subscriber.monitor() == monitor);
        install(monitor.loop(), List.copyOf(rest));
    }

    /** @return how many monitors watch {@code loop} now */
    synchronized int subscribers(IOLoop loop) {
        return this.subscribers.getOrDefault(loop, List.of()).size();
    }

    private void install(IOLoop loop, List<Subscriber> watching) {
        if (watching.isEmpty()) {
            this.subscribers.remove(loop);
            loop.setBlockingSignalThreshold(null, null);
            return;
        }
        this.subscribers.put(loop, watching);
        long lowest = watching.stream().mapToLong(Subscriber::thresholdNanos).min().getAsLong();
        loop.setBlockingSignalThreshold(Duration.ofNanos(lowest), action(loop, watching));
    }

    /**
     * The installed action: the core calls it once the block passed the lowest threshold and again each time it
     * doubles; each monitor records the reports whose measure passed its own threshold, and the stack is logged once
     * per report whoever records it.
     */
    private static BlockedLoopAction action(IOLoop loop, List<Subscriber> watching) {
        return (thread, blockedNanos) -> {
            for (Subscriber subscriber : watching) {
                if (blockedNanos >= subscriber.thresholdNanos()) {
                    subscriber.monitor().record(thread, subscriber.thresholdNanos() / 1_000_000, blockedNanos);
                }
            }
            loop.logStack(thread, blockedNanos);
        };
    }
}
