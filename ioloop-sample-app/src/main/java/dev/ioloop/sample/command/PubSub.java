package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The channels and patterns clients subscribe to, and PUBLISH's fan-out, as Redis's {@code pubsub.c}: a message goes
 * to the channel's subscribers in the order they subscribed, then to the subscribers of each matching pattern, framed
 * as Redis frames it ({@code message} / {@code pmessage}). PUBLISH encodes a message once per channel (and once per
 * matching pattern) and hands the same bytes to every subscriber's connection ({@link Subscriber#deliver}), which
 * queues them on its socket under the pub/sub class of the client output limits: a subscriber that reads too slowly
 * is disconnected there, and the publisher never waits for anyone.
 *
 * <p>Threading: the data loop only (subscribing, unsubscribing, publishing and disconnects all run there). A
 * subscriber's connection may live on another loop; {@link Subscriber#deliver} hands the bytes over to it. Memory:
 * one set entry per (client, channel or pattern), removed on unsubscribe and disconnect.
 */
public final class PubSub {

    /** The connection of a client that may subscribe. */
    public interface Subscriber {
        /** Queues a message (complete RESP bytes, shared with other subscribers: do not change) for the client. */
        void deliver(byte[] message);

        /** The client entered ({@code true}) or left pub/sub mode: its output limits change class. */
        void subscribed(boolean subscribed);
    }

    private final Map<String, LinkedHashSet<CommandContext>> channels = new HashMap<>();
    private final Map<String, LinkedHashSet<CommandContext>> patterns = new LinkedHashMap<>();
    private final Map<String, GlobPattern> compiled = new HashMap<>();

    PubSub() {
    }

    /** Returns how many channels have subscribers (INFO's pubsub_channels). */
    public int channelCount() {
        return channels.size();
    }

    /** Returns how many patterns have subscribers (INFO's pubsub_patterns, PUBSUB NUMPAT). */
    public int patternCount() {
        return patterns.size();
    }

    /** Subscribes {@code client} to {@code channel}; returns whether it was new. */
    boolean subscribe(CommandContext client, String channel) {
        if (!client.addChannel(channel)) {
            return false;
        }
        channels.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(client);
        modeMayHaveChanged(client);
        return true;
    }

    /** Unsubscribes {@code client} from {@code channel}; returns whether it was subscribed. */
    boolean unsubscribe(CommandContext client, String channel) {
        if (!client.removeChannel(channel)) {
            return false;
        }
        LinkedHashSet<CommandContext> subscribers = channels.get(channel);
        if (subscribers != null) {
            subscribers.remove(client);
            if (subscribers.isEmpty()) {
                channels.remove(channel);
            }
        }
        modeMayHaveChanged(client);
        return true;
    }

    /** Subscribes {@code client} to {@code pattern}; returns whether it was new. */
    boolean psubscribe(CommandContext client, String pattern) {
        if (!client.addPattern(pattern)) {
            return false;
        }
        patterns.computeIfAbsent(pattern, k -> new LinkedHashSet<>()).add(client);
        compiled.computeIfAbsent(pattern, GlobPattern::new);
        modeMayHaveChanged(client);
        return true;
    }

    /** Unsubscribes {@code client} from {@code pattern}; returns whether it was subscribed. */
    boolean punsubscribe(CommandContext client, String pattern) {
        if (!client.removePattern(pattern)) {
            return false;
        }
        LinkedHashSet<CommandContext> subscribers = patterns.get(pattern);
        if (subscribers != null) {
            subscribers.remove(client);
            if (subscribers.isEmpty()) {
                patterns.remove(pattern);
                compiled.remove(pattern);
            }
        }
        modeMayHaveChanged(client);
        return true;
    }

    /**
     * Delivers {@code message} on {@code channel} to its subscribers, then to the subscribers of every matching
     * pattern; returns how many deliveries were made (a client matching twice counts twice, as in Redis).
     */
    int publish(String channel, byte[] message) {
        int receivers = 0;
        byte[] channelBytes = Args.bytes(channel);
        LinkedHashSet<CommandContext> subscribers = channels.get(channel);
        if (subscribers != null) {
            byte[] framed = RespEncoder.encode(new RespFrame.RespArray(List.of(
                    RespFrame.bulk(MESSAGE), RespFrame.bulk(channelBytes), RespFrame.bulk(message))));
            for (CommandContext client : subscribers) {
                deliver(client, framed);
                receivers++;
            }
        }
        for (Map.Entry<String, LinkedHashSet<CommandContext>> p : patterns.entrySet()) {
            if (!compiled.get(p.getKey()).matches(channel)) {
                continue;
            }
            byte[] framed = RespEncoder.encode(new RespFrame.RespArray(List.of(RespFrame.bulk(PMESSAGE),
                    RespFrame.bulk(Args.bytes(p.getKey())), RespFrame.bulk(channelBytes), RespFrame.bulk(message))));
            for (CommandContext client : p.getValue()) {
                deliver(client, framed);
                receivers++;
            }
        }
        return receivers;
    }

    /** Returns the channels with subscribers matching {@code pattern} (null: all), in no particular order. */
    List<String> activeChannels(@Nullable GlobPattern pattern) {
        List<String> out = new ArrayList<>();
        for (String channel : channels.keySet()) {
            if (pattern == null || pattern.matches(channel)) {
                out.add(channel);
            }
        }
        return out;
    }

    /** Returns how many clients subscribe to {@code channel}. */
    int subscriberCount(String channel) {
        LinkedHashSet<CommandContext> subscribers = channels.get(channel);
        return subscribers == null ? 0 : subscribers.size();
    }

    /** Unsubscribes {@code client} from everything without replies: it disconnected. */
    void release(CommandContext client) {
        for (String channel : new ArrayList<>(client.channels())) {
            unsubscribe(client, channel);
        }
        for (String pattern : new ArrayList<>(client.patterns())) {
            punsubscribe(client, pattern);
        }
    }

    private static void deliver(CommandContext client, byte[] framed) {
        Subscriber subscriber = client.subscriber();
        if (subscriber != null) {
            subscriber.deliver(framed);
        }
    }

    private static void modeMayHaveChanged(CommandContext client) {
        Subscriber subscriber = client.subscriber();
        if (subscriber != null) {
            subscriber.subscribed(client.subscriptionCount() > 0);
        }
    }

    private static final byte[] MESSAGE = Args.bytes("message");
    private static final byte[] PMESSAGE = Args.bytes("pmessage");
}
