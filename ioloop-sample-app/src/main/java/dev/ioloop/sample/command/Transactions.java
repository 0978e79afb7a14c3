package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, as Redis 7.0's {@code multi.c}. After MULTI the table queues every command
 * except these (answering {@code +QUEUED}); a command refused while queueing (unknown, wrong arity, -OOM, ...) makes
 * EXEC answer EXECABORT. EXEC runs the queue in order with nothing in between (one data-loop thread), each command's
 * error a reply of its own; a change to a WATCHed key since WATCH (or its expiry) makes EXEC answer the null array
 * and run nothing. EXEC and DISCARD forget the watched keys.
 */
final class Transactions {

    /** {@code +QUEUED}. */
    static final RespFrame QUEUED = new RespFrame.SimpleString("QUEUED");
    /** The commands that run at once inside MULTI instead of being queued, as Redis's {@code processCommand}. */
    static final Set<String> RUN_IN_MULTI = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private Transactions() {
    }

    /** MULTI: enters the queueing state. */
    static RespFrame multi(List<byte[]> args, CommandContext ctx) {
        if (ctx.inMulti()) {
            return RespFrame.error("ERR MULTI calls can not be nested");
        }
        ctx.beginMulti();
        return RespFrame.OK;
    }

    /** EXEC: runs the queue, or refuses it (EXECABORT) or skips it (a watched key changed: null array). */
    static RespFrame exec(List<byte[]> args, CommandContext ctx) {
        if (!ctx.inMulti()) {
            return RespFrame.error("ERR EXEC without MULTI");
        }
        if (ctx.queueingFailed()) {
            ctx.endMulti();
            return RespFrame.error(EXECABORT);
        }
        WatchedKeys watches = ctx.shared().watches();
        if (ctx.watchTouched() || watches.expiredSinceWatch(ctx, ctx.store())) {
            ctx.endMulti();
            return RespFrame.NULL_ARRAY;
        }
        List<CommandContext.QueuedCommand> queue = ctx.queued();
        ctx.endMulti(); // unwatch first, as Redis: the transaction's own writes do not concern its watches
        List<RespFrame> replies = new ArrayList<>(queue.size());
        ctx.setExecuting(true);
        try {
            for (CommandContext.QueuedCommand q : queue) {
                replies.add(CommandTable.run(q.spec(), q.args(), ctx));
            }
        } finally {
            ctx.setExecuting(false);
            ctx.setCommandName("exec");
        }
        return new RespFrame.RespArray(replies);
    }

    /** DISCARD: drops the queue and the watches. */
    static RespFrame discard(List<byte[]> args, CommandContext ctx) {
        if (!ctx.inMulti()) {
            return RespFrame.error("ERR DISCARD without MULTI");
        }
        ctx.endMulti();
        return RespFrame.OK;
    }

    /** WATCH key...: watches the keys until EXEC, DISCARD, UNWATCH or disconnect. */
    static RespFrame watch(List<byte[]> args, CommandContext ctx) {
        if (ctx.inMulti()) {
            return RespFrame.error("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < args.size(); i++) {
            ctx.shared().watches().watch(ctx, Args.key(args.get(i)), ctx.store());
        }
        return RespFrame.OK;
    }

    /** UNWATCH: forgets every watched key. */
    static RespFrame unwatch(List<byte[]> args, CommandContext ctx) {
        ctx.shared().watches().unwatchAll(ctx);
        return RespFrame.OK;
    }

    /**
     * EXEC was refused before it could run ({@code refusal}, such as a wrong arity): Redis answers EXECABORT with the
     * reason (its "ERR " dropped) and discards the transaction and the watches.
     */
    static RespFrame abort(CommandContext ctx, String refusal) {
        ctx.endMulti();
        String reason = refusal.startsWith("ERR ") ? refusal.substring(4) : refusal;
        return RespFrame.error("EXECABORT Transaction discarded because of: " + reason);
    }

    /** Whether a queued command may add data (EXEC is then refused over maxmemory, as Redis). */
    static boolean queuedDenyOom(CommandContext ctx) {
        for (CommandContext.QueuedCommand q : ctx.queued()) {
            if (q.spec().flags().contains("denyoom")) {
                return true;
            }
        }
        return false;
    }
}
