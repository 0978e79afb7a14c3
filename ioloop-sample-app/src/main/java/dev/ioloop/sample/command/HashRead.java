package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HGET key field, HLEN key, HGETALL key, HEXISTS key field, HKEYS key, HVALS key, HMGET key field... and HSTRLEN key
 * field: an absent key is an empty hash. Whole-hash replies list fields in insertion order (as Redis's small listpack
 * hashes do).
 */
final class HashRead implements Command {

    /** Which of the commands. */
    enum Form { HGET, HLEN, HGETALL, HEXISTS, HKEYS, HVALS, HMGET, HSTRLEN }

    private final Form form;

    HashRead(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        HashValue hash = ctx.store().read(Args.key(args.get(1)), HashValue.KIND);
        switch (form) {
            case HGET: {
                byte[] value = hash == null ? null : hash.get(Args.text(args.get(2)));
                return value == null ? RespFrame.NULL_BULK : RespFrame.bulk(value);
            }
            case HLEN:
                return RespFrame.integer(hash == null ? 0 : hash.size());
            case HEXISTS:
                return hash != null && hash.containsKey(Args.text(args.get(2))) ? RespFrame.ONE : RespFrame.ZERO;
            case HSTRLEN: {
                byte[] value = hash == null ? null : hash.get(Args.text(args.get(2)));
                return RespFrame.integer(value == null ? 0 : value.length);
            }
            case HMGET: {
                List<RespFrame> out = new ArrayList<>(args.size() - 2);
                for (int i = 2; i < args.size(); i++) {
                    byte[] value = hash == null ? null : hash.get(Args.text(args.get(i)));
                    out.add(value == null ? RespFrame.NULL_BULK : RespFrame.bulk(value));
                }
                return new RespFrame.RespArray(out);
            }
            default: {
                if (hash == null) {
                    return RespFrame.EMPTY_ARRAY;
                }
                List<RespFrame> out = new ArrayList<>(hash.size() * 2);
                for (Map.Entry<String, byte[]> e : hash.entrySet()) {
                    if (form != Form.HVALS) {
                        out.add(RespFrame.bulk(Args.bytes(e.getKey())));
                    }
                    if (form != Form.HKEYS) {
                        out.add(RespFrame.bulk(e.getValue()));
                    }
                }
                return new RespFrame.RespArray(out);
            }
        }
    }
}
