package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StreamValue.StreamId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * XADD key [NOMKSTREAM] {@code <* | ms-seq | ms-* | ms>} field value [field value ...]: the new entry's ID. {@code *}
 * takes the wall clock's Unix milliseconds, or the last ID plus one when the clock is not ahead of it, so IDs always
 * increase; an explicit ID must be greater than the stream's last ID and than {@code 0-0}, with Redis's errors. With
 * NOMKSTREAM an absent key answers {@code $-1}. MAXLEN or MINID (exact with {@code =}, approximate with {@code ~},
 * LIMIT) trims after the append, as {@link StreamValue#trim} describes.
 */
final class XAdd implements Command {

    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
    static final String NOT_GREATER = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    static final String NOT_ABOVE_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
    static final String EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items";

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        int n = args.size();
        StreamArgs.Trim trim = StreamArgs.Trim.parse(args, true);
        int i = trim.idIndex;
        @Nullable ParsedId explicit = null;
        if (i < n && !(args.get(i).length == 1 && args.get(i)[0] == '*')) {
            explicit = parseId(args.get(i));
        }
        int fieldPos = i + 1;
        if (n - fieldPos < 2 || (n - fieldPos) % 2 == 1) {
            return RespFrame.error(Errors.wrongArity(ctx.commandName()));
        }
        if (explicit != null && explicit.seqGiven() && explicit.ms() == 0 && explicit.seq() == 0) {
            return RespFrame.error(NOT_ABOVE_ZERO);
        }
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        if (trim.noMkStream && store.read(key, StreamValue.KIND) == null) {
            return RespFrame.NULL_BULK;
        }
        StreamValue stream = store.modifyOrCreate(key, StreamValue.KIND);
        RespFrame reply = append(stream, explicit, store.unixMillis(), args.subList(fieldPos, n));
        if (trim.any() && !(reply instanceof RespFrame.SimpleError)) {
            stream.trim(trim.maxlen, trim.minId, trim.approximate, trim.limit);
        }
        return reply;
    }

    /** Picks the ID (auto, {@code ms-*} or explicit), checks it against the last one, appends; the reply. */
    private static RespFrame append(StreamValue stream, @Nullable ParsedId explicit, long nowMillis,
                                    List<byte[]> fieldsAndValues) {
        StreamId last = stream.lastId();
        if (last.ms() == -1L && last.seq() == -1L) {
            return RespFrame.error(EXHAUSTED);
        }
        StreamId id;
        if (explicit == null) {
            id = stream.nextAutoId(nowMillis);
        } else if (explicit.seqGiven()) {
            id = new StreamId(explicit.ms(), explicit.seq());
        } else {
            id = stream.nextIdFor(explicit.ms());
        }
        if (id == null || id.compareTo(last) <= 0) {
            return RespFrame.error(NOT_GREATER);
        }
        stream.append(id, fieldsAndValues.toArray(new byte[0][]));
        return RespFrame.bulk(id.toString());
    }

    /** A parsed ID argument; {@code seqGiven} is false for {@code ms-*}. */
    record ParsedId(long ms, long seq, boolean seqGiven) {
    }

    /**
     * Parses {@code ms-seq}, {@code ms} (seq 0) or {@code ms-*} (seq to be chosen) as Redis's strict stream ID
     * parser does.
     *
     * @throws CommandException with Redis's invalid-ID error
     */
    static ParsedId parseId(byte[] arg) {
        if (arg.length > 127) {
            throw new CommandException(INVALID_ID);
        }
        String text = Args.text(arg);
        int dash = text.indexOf('-');
        String msText = dash < 0 ? text : text.substring(0, dash);
        Long ms = unsigned(msText);
        if (ms == null) {
            throw new CommandException(INVALID_ID);
        }
        if (dash < 0) {
            return new ParsedId(ms, 0, true);
        }
        String seqText = text.substring(dash + 1);
        if (seqText.equals("*")) {
            return new ParsedId(ms, 0, false);
        }
        Long seq = unsigned(seqText);
        if (seq == null) {
            throw new CommandException(INVALID_ID);
        }
        return new ParsedId(ms, seq, true);
    }

    /**
     * Redis's {@code string2ull}: an unsigned 64-bit decimal (leading whitespace, a plus sign and leading zeros
     * allowed, as {@code strtoull} allows them), or null. Negative numbers are rejected.
     */
    static @Nullable Long unsigned(String text) {
        int p = 0;
        while (p < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(p)) >= 0) {
            p++;
        }
        if (p < text.length() && text.charAt(p) == '+') {
            p++;
        }
        if (p == text.length()) {
            return null;
        }
        for (int j = p; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseUnsignedLong(text.substring(p));
        } catch (NumberFormatException e) {
            return null; // more than 64 bits: strtoull's ERANGE
        }
    }
}
