package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.AsciiNumbers;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Value;
import java.util.List;

/**
 * OBJECT ENCODING | FREQ and MEMORY USAGE: what a key's value looks like inside the server. ENCODING names this server's
 * representation in Redis's words (see {@link Value#encoding()}: one representation per type, whatever the encoding
 * knobs say); FREQ answers as Redis does without an LFU policy (this server evicts nothing); USAGE is the store's
 * estimate of the key and value on the heap (what maxmemory counts), not Redis's allocator figure.
 */
final class KeyIntrospection {

    private KeyIntrospection() {
    }

    /** OBJECT subcommand key. */
    static RespFrame object(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        boolean encoding = Args.is(sub, "encoding");
        if (encoding || Args.is(sub, "freq")) {
            if (args.size() != 3) {
                return RespFrame.error(Errors.wrongArity(encoding ? "object|encoding" : "object|freq"));
            }
            Value value = ctx.store().value(Args.key(args.get(2)));
            if (value == null) {
                return RespFrame.NULL_BULK;
            }
            if (!encoding) {
                return RespFrame.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please"
                        + " note that when switching between policies at runtime LRU and LFU data will take some time to"
                        + " adjust.");
            }
            return RespFrame.bulk(value.encoding());
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try OBJECT HELP."));
    }

    /** MEMORY USAGE key [SAMPLES count]. */
    static RespFrame memory(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        if (!Args.is(sub, "usage")) {
            return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try MEMORY HELP."));
        }
        if (args.size() < 3) {
            return RespFrame.error(Errors.wrongArity("memory|usage"));
        }
        for (int i = 3; i < args.size(); i += 2) {
            if (!Args.is(args.get(i), "samples") || i + 1 >= args.size()) {
                return RespFrame.error(Errors.SYNTAX);
            }
            long samples;
            try {
                samples = AsciiNumbers.parseLong(args.get(i + 1));
            } catch (NumberFormatException e) {
                return RespFrame.error(Errors.NOT_INTEGER);
            }
            if (samples < 0) {
                return RespFrame.error(Errors.SYNTAX);
            }
            // accepted as Redis does; the store's estimate samples its own fixed number of elements
        }
        Long bytes = ctx.store().memoryUsage(Args.key(args.get(2)));
        return bytes == null ? RespFrame.NULL_BULK : RespFrame.integer(bytes);
    }
}
