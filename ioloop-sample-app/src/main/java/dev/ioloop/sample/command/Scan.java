package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.AsciiNumbers;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.ScanPage;
import dev.ioloop.sample.store.ValueType;
import java.util.ArrayList;
import java.util.List;

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: {@code *2} of the next cursor and the keys. */
final class Scan implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long cursor;
        try {
            cursor = AsciiNumbers.parseUnsignedLong(args.get(1));
        } catch (NumberFormatException e) {
            return RespFrame.error("ERR invalid cursor");
        }
        long count = 10;
        GlobPattern pattern = null;
        ValueType type = null;
        boolean noneCanMatch = false;
        for (int i = 2; i < args.size(); ) {
            byte[] opt = args.get(i);
            boolean hasValue = args.size() - i >= 2;
            if (Args.is(opt, "count") && hasValue) {
                count = Args.longValue(args.get(i + 1));
                if (count < 1) {
                    return RespFrame.error(Errors.SYNTAX);
                }
            } else if (Args.is(opt, "match") && hasValue) {
                String p = Args.text(args.get(i + 1));
                pattern = p.equals("*") ? null : new GlobPattern(p);
            } else if (Args.is(opt, "type") && hasValue) {
                String name = Args.text(args.get(i + 1));
                type = ValueType.byRedisName(name);
                noneCanMatch = type == null; // Redis 7.0 filters by name: an unknown type matches no key
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
            i += 2;
        }
        ScanPage page = ctx.store().scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), pattern, type);
        List<RespFrame> keys = new ArrayList<>();
        if (!noneCanMatch) {
            for (Key key : page.keys()) {
                keys.add(RespFrame.bulk(key.bytes()));
            }
        }
        return new RespFrame.RespArray(List.of(
                RespFrame.bulk(Long.toUnsignedString(page.cursor())), new RespFrame.RespArray(keys)));
    }
}
