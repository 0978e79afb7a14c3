package dev.ioloop;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What the backend reported during one wait, in order: a channel's registration and its ready events,
 * or {@link #INVALIDATED} for a channel closed under the loop. Reused arrays, so a wait allocates
 * nothing; they hold at most one entry per registered channel per wait, and shrink back after a burst.
 *
 * <p>Loop thread only.
 */
final class ReadyChannels {

    /** The events of an entry whose channel was closed, or whose registration was lost, under the loop. */
    static final int INVALIDATED = -1;

    private static final int INITIAL_CAPACITY = 64;
    private static final int SHRINK_CAPACITY = 64 * 1024;

    private @Nullable Object[] attachments = new Object[INITIAL_CAPACITY];
    private int[] events = new int[INITIAL_CAPACITY];
    private int count;

    void add(Object attachment, int readyEvents) {
        if (count == attachments.length) {
            attachments = Arrays.copyOf(attachments, count * 2);
            events = Arrays.copyOf(events, count * 2);
        }
        attachments[count] = attachment;
        events[count] = readyEvents;
        count++;
    }

    int count() {
        return count;
    }

    Object attachment(int i) {
        return attachments[i];
    }

    int events(int i) {
        return events[i];
    }

    /**
     * Forgets the first {@code n} entries (those dispatched), keeping any reported meanwhile, and the
     * references, so that removed handlers can be collected.
     */
    void consume(int n) {
        int left = count - n;
        if (left > 0) {
            System.arraycopy(attachments, n, attachments, 0, left);
            System.arraycopy(events, n, events, 0, left);
            Arrays.fill(attachments, left, count, null);
        } else if (attachments.length > SHRINK_CAPACITY) {
            attachments = new Object[INITIAL_CAPACITY];
            events = new int[INITIAL_CAPACITY];
        } else {
            Arrays.fill(attachments, 0, count, null);
        }
        count = left;
    }
}
