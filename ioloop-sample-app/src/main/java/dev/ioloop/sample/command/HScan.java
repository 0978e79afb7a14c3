package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import java.util.List;
import java.util.Map;

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]: fields and values, {@link ElementScan}'s way. A hash Redis keeps
 * as a listpack (at most 128 fields, none and no value over 64 bytes) is answered whole, in insertion order.
 */
final class HScan implements Command {

    /** Redis 7.0's {@code hash-max-listpack-entries} and {@code hash-max-listpack-value} defaults. */
    private static final int LISTPACK_ENTRIES = 128;
    private static final int LISTPACK_VALUE = 64;

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long cursor = ElementScan.cursor(args.get(2));
        HashValue hash = ctx.store().read(Args.key(args.get(1)), HashValue.KIND);
        if (hash == null) {
            return ElementScan.empty();
        }
        ElementScan.Options options = ElementScan.options(args);
        return ElementScan.step(hash.entrySet(), Map.Entry::getKey,
                e -> List.of(RespFrame.bulk(Args.bytes(e.getKey())), RespFrame.bulk(e.getValue())),
                cursor, options, isListpack(hash));
    }

    private static boolean isListpack(HashValue hash) {
        if (hash.size() > LISTPACK_ENTRIES) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : hash.entrySet()) {
            if (e.getKey().length() > LISTPACK_VALUE || e.getValue().length > LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }
}
