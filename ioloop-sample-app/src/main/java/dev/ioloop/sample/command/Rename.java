package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import java.util.List;

/**
 * RENAME key newkey: moves value and expiry time; {@code -ERR no such key} if the source is absent. RENAMENX key
 * newkey: the same, but {@code :0} and nothing moved if the new key exists, {@code :1} once moved.
 */
final class Rename implements Command {

    private final boolean nx;

    Rename() {
        this(false);
    }

    /** @param nx RENAMENX rather than RENAME */
    Rename(boolean nx) {
        this.nx = nx;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key from = Args.key(args.get(1));
        Key to = Args.key(args.get(2));
        if (!ctx.store().exists(from)) {
            return RespFrame.error(Errors.NO_SUCH_KEY);
        }
        if (nx && (from.equals(to) || ctx.store().exists(to))) {
            return RespFrame.ZERO;
        }
        ctx.store().rename(from, to);
        return nx ? RespFrame.ONE : RespFrame.OK;
    }
}
