package dev.ioloop.spring.boot.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Every loop the starter monitors, by name: the loops it runs itself ({@link IOLoopLifecycle}: {@code main} and the
 * group's) and loops attached later to event loops it does not run (such as Reactor Netty's). The meters, the health
 * contributor and the {@code ioloop} endpoint read this registry and follow it as loops come and go, so an attached
 * loop gets the same lag timer, blocked-loop reports, health component and endpoint entry as the starter's own.
 *
 * <pre>{@code
 * ManagedLoop attached = new ManagedLoop(loop, monitoring, () -> RUNNING);
 * monitoredLoops.register(attached);   // meters, health and endpoint pick it up now
 * attached.startMonitoring();          // lag probe and watchdog: the registrant's job
 * }</pre>
 *
 * <p>Safe from any thread. Listeners are called on the registering thread while the registry is locked, in
 * registration order; they must not block.
 */
public final class MonitoredLoops {

    /** Told about loops as they are registered and unregistered. */
    public interface Listener {

        /**
         * A loop was registered (or was already, when the listener subscribed).
         * @param loop the loop
         */
        void added(ManagedLoop loop);

        /**
         * A loop was unregistered.
         * @param loop the loop
         */
        void removed(ManagedLoop loop);
    }

    // Guarded by this.
    private final Map<String, ManagedLoop> loops = new LinkedHashMap<>();

    // Guarded by this.
    private final List<Listener> listeners = new ArrayList<>();

    /**
     * Adds a loop and tells every listener.
     * @param loop the loop, named uniquely
     * @throws IllegalArgumentException if a loop of the same name is registered already
     */
    public synchronized void register(ManagedLoop loop) {
        ManagedLoop existing = this.loops.putIfAbsent(loop.name(), loop);
        if (existing != null) {
            throw new IllegalArgumentException("A loop named '" + loop.name() + "' is monitored already: give each "
                    + "loop its own name (meters, health components and the endpoint are keyed by it)");
        }
        for (Listener listener : this.listeners) {
            listener.added(loop);
        }
    }

    /**
     * Removes a loop and tells every listener (its meters and health component go away).
     * @param loop the loop
     * @return whether it was registered
     */
    public synchronized boolean unregister(ManagedLoop loop) {
        if (!this.loops.remove(loop.name(), loop)) {
            return false;
        }
        for (Listener listener : this.listeners) {
            listener.removed(loop);
        }
        return true;
    }

    /** @return the registered loops in registration order (a snapshot) */
    public synchronized List<ManagedLoop> loops() {
        return List.copyOf(this.loops.values());
    }

    /**
     * @param name a loop's name
     * @return that loop, or null
     */
    public synchronized @Nullable ManagedLoop find(String name) {
        return this.loops.get(name);
    }

    /**
     * Calls {@code listener} for every loop registered now, then for every later change; nothing is missed or seen
     * twice.
     * @param listener the listener
     */
    public synchronized void subscribe(Listener listener) {
        for (ManagedLoop loop : this.loops.values()) {
            listener.added(loop);
        }
        this.listeners.add(listener);
    }

    /**
     * Stops calling {@code listener}.
     * @param listener a subscribed listener
     */
    public synchronized void unsubscribe(Listener listener) {
        this.listeners.remove(listener);
    }
}
