package dev.ioloop.sample.server;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The connected clients, for the idle timeout: a doubly linked list through the connections themselves
 * ({@link RedisConnection#prevClient}, {@link RedisConnection#nextClient}), so tracking a client costs two fields
 * instead of a hash-set entry (issue 12: an idle connection's memory). Adding and removing are O(1), iterating is in
 * the order clients were added.
 *
 * <p>Not thread-safe: the data loop's thread owns it.
 */
final class ClientList {

    private @Nullable RedisConnection first;
    private @Nullable RedisConnection last;
    private int size;

    /** Appends {@code client}; no effect if it is already in the list. */
    void add(RedisConnection client) {
        if (contains(client)) {
            return;
        }
        client.prevClient = last;
        client.nextClient = null;
        if (last == null) {
            first = client;
        } else {
            last.nextClient = client;
        }
        last = client;
        size++;
    }

    /** Removes {@code client}; no effect if it is not in the list. */
    void remove(RedisConnection client) {
        if (!contains(client)) {
            return;
        }
        RedisConnection prev = client.prevClient;
        RedisConnection next = client.nextClient;
        if (prev == null) {
            first = next;
        } else {
            prev.nextClient = next;
        }
        if (next == null) {
            last = prev;
        } else {
            next.prevClient = prev;
        }
        client.prevClient = null;
        client.nextClient = null;
        size--;
    }

    /** Whether {@code client} is in the list. */
    boolean contains(RedisConnection client) {
        return client.prevClient != null || first == client;
    }

    /** How many clients the list holds. */
    int size() {
        return size;
    }

    /** Whether the list is empty. */
    boolean isEmpty() {
        return size == 0;
    }

    /** Runs {@code action} on each client in order; {@code action} must not add or remove clients. */
    void forEach(Consumer<RedisConnection> action) {
        for (RedisConnection c = first; c != null; c = c.nextClient) {
            action.accept(c);
        }
    }
}
