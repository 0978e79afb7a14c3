package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The clients blocked in BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK and the like, as Redis's {@code blocked.c}: each waits on its keys,
 * in the order clients blocked (a FIFO per key), until a command changes one of them and leaves something to take,
 * its timeout passes on the loop, CLIENT UNBLOCK releases it, or it disconnects.
 *
 * <p>How a client is served: a change to a key with waiters marks it ready ({@link #keyTouched}); once the command
 * that made the change has finished (a whole EXEC included) the table calls {@link #serveReady()}, which offers each
 * ready key to its waiters in order; a waiter's {@link Attempt} takes what it needs (and may make another key ready:
 * BLMOVE pushes), and the first waiters get served while the key has something for them. A served or timed-out
 * client's reply goes to its connection ({@link BlockingClient#unblocked}), which writes it and runs whatever the
 * client sent after the blocking command.
 *
 * <p>Threading: the data loop only. Blocking, serving, timeouts (scheduled on the data loop by the {@link Scheduler}),
 * CLIENT UNBLOCK and disconnects all run there, one at a time, so the FIFO order is the order in which the data loop
 * ran the blocking commands, whichever loop the connections live on. Memory: one waiter per blocked client and one
 * queue entry per key it waits on; a client is blocked at most once, and everything is removed when it is served,
 * times out, is unblocked or disconnects.
 */
public final class BlockedClients {

    /** Runs a task after a delay on the data loop; returns how to cancel it. */
    @FunctionalInterface
    public interface Scheduler {
        /** Schedules {@code task} in {@code seconds}; the returned action cancels it. */
        Runnable schedule(double seconds, Runnable task);

        /** A scheduler that never runs anything (a store used without a loop: nothing blocks there). */
        Scheduler NONE = (seconds, task) -> () -> { };
    }

    /** The connection of a client that may block: told its reply when the wait ends. */
    @FunctionalInterface
    public interface BlockingClient {
        /** The wait ended with {@code reply}: send it, then go on with the client's next commands. Data loop. */
        void unblocked(RespFrame reply);
    }

    /**
     * A blocked command's next try, on the key that became ready: returns its reply if the key now allows it, else
     * null to keep waiting.
     */
    @FunctionalInterface
    interface Attempt {
        @Nullable RespFrame tryServe(Key readyKey);
    }

    private static final class Waiter {
        final CommandContext client;
        final List<Key> keys;
        final Attempt attempt;
        final RespFrame timeoutReply;
        Runnable cancelTimeout = () -> { };

        Waiter(CommandContext client, List<Key> keys, Attempt attempt, RespFrame timeoutReply) {
            this.client = client;
            this.keys = keys;
            this.attempt = attempt;
            this.timeoutReply = timeoutReply;
        }
    }

    private final Scheduler scheduler;
    private final Map<Key, ArrayDeque<Waiter>> byKey = new HashMap<>();
    private final Map<Long, Waiter> byClient = new HashMap<>();
    private final LinkedHashSet<Key> readyKeys = new LinkedHashSet<>();

    BlockedClients(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Returns how many clients are blocked (INFO's blocked_clients). */
    public int count() {
        return byClient.size();
    }

    /**
     * Blocks {@code client} on {@code keys} until {@code attempt} succeeds after a change to one of them, or
     * {@code timeoutMillis} pass (0: forever), when it gets {@code timeoutReply}.
     *
     * @throws IllegalStateException if the client is already blocked
     */
    void block(CommandContext client, List<Key> keys, long timeoutMillis, Attempt attempt, RespFrame timeoutReply) {
        if (byClient.containsKey(client.clientId())) {
            throw new IllegalStateException("client " + client.clientId() + " is already blocked");
        }
        Waiter w = new Waiter(client, List.copyOf(new LinkedHashSet<>(keys)), attempt, timeoutReply);
        byClient.put(client.clientId(), w);
        for (Key key : w.keys) {
            byKey.computeIfAbsent(key, k -> new ArrayDeque<>(2)).add(w);
        }
        if (timeoutMillis > 0) {
            w.cancelTimeout = scheduler.schedule(timeoutMillis / 1000.0, () -> {
                if (byClient.get(client.clientId()) == w) {
                    end(w, w.timeoutReply);
                }
            });
        }
        client.setBlocked(true);
    }

    /** A command changed {@code key}: if clients wait on it, it is offered to them once the command ends. */
    void keyTouched(Key key) {
        if (!byKey.isEmpty() && byKey.containsKey(key)) {
            readyKeys.add(key);
        }
    }

    /**
     * Serves the waiters of every key made ready, in the order the keys became ready and, per key, the order the
     * clients blocked; repeats while serving makes more keys ready. Called by the table after each command.
     */
    void serveReady() {
        while (!readyKeys.isEmpty()) {
            Iterator<Key> it = readyKeys.iterator();
            Key key = it.next();
            it.remove();
            ArrayDeque<Waiter> waiters = byKey.get(key);
            if (waiters == null) {
                continue;
            }
            // attempts change keys (and may mark more keys ready), never the queues; the served leave afterwards
            List<Waiter> served = new ArrayList<>();
            List<RespFrame> replies = new ArrayList<>();
            for (Waiter w : waiters) {
                if (!w.client.store().exists(key)) {
                    break; // nothing left on this key for anyone (stops a long queue after the first few)
                }
                RespFrame reply;
                try {
                    reply = w.attempt.tryServe(key);
                } finally {
                    w.client.store().settle();
                }
                if (reply != null) {
                    served.add(w);
                    replies.add(reply);
                }
            }
            for (int i = 0; i < served.size(); i++) {
                end(served.get(i), replies.get(i));
            }
        }
    }

    /**
     * Releases the client with id {@code clientId} if it is blocked (CLIENT UNBLOCK): with its timeout reply, or with
     * Redis's {@code -UNBLOCKED} error when {@code error}.
     *
     * @return whether the client was blocked
     */
    boolean unblock(long clientId, boolean error) {
        Waiter w = byClient.get(clientId);
        if (w == null) {
            return false;
        }
        end(w, error ? RespFrame.error("UNBLOCKED client unblocked via CLIENT UNBLOCK") : w.timeoutReply);
        return true;
    }

    /** Forgets {@code client} without a reply: it disconnected. */
    void release(CommandContext client) {
        Waiter w = byClient.get(client.clientId());
        if (w != null) {
            remove(w);
        }
    }

    private void end(Waiter w, RespFrame reply) {
        remove(w);
        BlockingClient connection = w.client.blockingClient();
        if (connection != null) {
            connection.unblocked(reply);
        }
    }

    private void remove(Waiter w) {
        byClient.remove(w.client.clientId());
        w.cancelTimeout.run();
        for (Key key : w.keys) {
            ArrayDeque<Waiter> waiters = byKey.get(key);
            if (waiters != null) {
                waiters.remove(w);
                if (waiters.isEmpty()) {
                    byKey.remove(key);
                }
            }
        }
        w.client.setBlocked(false);
    }
}
