package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB CHANNELS | NUMSUB | NUMPAT over {@link PubSub},
 * with Redis 7.0's replies: one {@code subscribe}/{@code unsubscribe} array per channel with the client's count of
 * channels and patterns, {@code $-1} when an argument-less unsubscribe had nothing to leave. While a client has any
 * subscription (RESP2's subscribed mode) the table refuses every command but {@link #ALLOWED_WHEN_SUBSCRIBED}.
 */
final class PubSubCommands {

    /** What a subscribed client may run, as Redis 7.0 (PING answers in the pub/sub form then). */
    static final Set<String> ALLOWED_WHEN_SUBSCRIBED =
            Set.of("subscribe", "psubscribe", "unsubscribe", "punsubscribe", "ping", "quit", "reset", "ssubscribe", "sunsubscribe");

    private PubSubCommands() {
    }

    /** The refusal of a command a subscribed client may not run; {@code fullName} as Redis names it. */
    static String notAllowedWhenSubscribed(String fullName) {
        return "ERR Can't execute '" + fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are"
                + " allowed in this context";
    }

    static RespFrame subscribe(List<byte[]> args, CommandContext ctx) {
        return join(args, ctx, "subscribe", ctx.shared().pubsub()::subscribe);
    }

    static RespFrame psubscribe(List<byte[]> args, CommandContext ctx) {
        return join(args, ctx, "psubscribe", ctx.shared().pubsub()::psubscribe);
    }

    static RespFrame unsubscribe(List<byte[]> args, CommandContext ctx) {
        return leave(args, ctx, "unsubscribe", ctx.channels(), ctx.shared().pubsub()::unsubscribe);
    }

    static RespFrame punsubscribe(List<byte[]> args, CommandContext ctx) {
        return leave(args, ctx, "punsubscribe", ctx.patterns(), ctx.shared().pubsub()::punsubscribe);
    }

    /** Subscribes to each name given, one confirmation each. */
    private static RespFrame join(List<byte[]> args, CommandContext ctx, String kind,
                                  java.util.function.BiConsumer<CommandContext, String> action) {
        List<RespFrame> replies = new ArrayList<>(args.size() - 1);
        for (int i = 1; i < args.size(); i++) {
            String name = Args.text(args.get(i));
            action.accept(ctx, name);
            replies.add(confirmation(kind, name, ctx));
        }
        return new RespFrame.Replies(replies);
    }

    /** Unsubscribes from the names given (or all of {@code current}), one confirmation each ({@code $-1} if none). */
    private static RespFrame leave(List<byte[]> args, CommandContext ctx, String kind, Set<String> current,
                                   java.util.function.BiConsumer<CommandContext, String> action) {
        List<RespFrame> replies = new ArrayList<>();
        for (String name : names(args, current)) {
            action.accept(ctx, name);
            replies.add(confirmation(kind, name, ctx));
        }
        if (replies.isEmpty()) {
            replies.add(confirmation(kind, null, ctx));
        }
        return new RespFrame.Replies(replies);
    }

    static RespFrame publish(List<byte[]> args, CommandContext ctx) {
        return RespFrame.integer(ctx.shared().pubsub().publish(Args.text(args.get(1)), args.get(2)));
    }

    static RespFrame pubsub(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        PubSub pubsub = ctx.shared().pubsub();
        if (Args.is(sub, "channels")) {
            if (args.size() > 3) {
                return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand or wrong number of arguments for '"
                        + Client.truncated(sub) + "'. Try PUBSUB HELP."));
            }
            GlobPattern pattern = args.size() == 3 ? new GlobPattern(Args.text(args.get(2))) : null;
            List<RespFrame> out = new ArrayList<>();
            for (String channel : pubsub.activeChannels(pattern)) {
                out.add(RespFrame.bulk(Args.bytes(channel)));
            }
            return new RespFrame.RespArray(out);
        }
        if (Args.is(sub, "numsub")) {
            List<RespFrame> out = new ArrayList<>();
            for (int i = 2; i < args.size(); i++) {
                out.add(RespFrame.bulk(args.get(i)));
                out.add(RespFrame.integer(pubsub.subscriberCount(Args.text(args.get(i)))));
            }
            return new RespFrame.RespArray(out);
        }
        if (Args.is(sub, "numpat")) {
            if (args.size() != 2) {
                return RespFrame.error(Errors.wrongArity("pubsub|numpat"));
            }
            return RespFrame.integer(pubsub.patternCount());
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try PUBSUB HELP."));
    }

    /** The names given, or (none given) every one the client has, in the order it subscribed. */
    private static List<String> names(List<byte[]> args, Set<String> current) {
        if (args.size() == 1) {
            return new ArrayList<>(current);
        }
        List<String> names = new ArrayList<>(args.size() - 1);
        for (int i = 1; i < args.size(); i++) {
            names.add(Args.text(args.get(i)));
        }
        return names;
    }

    private static RespFrame confirmation(String kind, @org.jspecify.annotations.Nullable String name, CommandContext ctx) {
        return new RespFrame.RespArray(List.of(RespFrame.bulk(kind),
                name == null ? RespFrame.NULL_BULK : RespFrame.bulk(Args.bytes(name)),
                RespFrame.integer(ctx.subscriptionCount())));
    }
}
