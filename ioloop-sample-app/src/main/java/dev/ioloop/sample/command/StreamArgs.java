package dev.ioloop.sample.command;

import dev.ioloop.sample.store.StreamValue.StreamId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stream arguments as Redis 7.0 parses them: IDs ({@code streamGenericParseIDOrReply}: {@code ms-seq}, {@code ms}
 * with a default sequence, {@code -} and {@code +} where not strict, {@code (} for an exclusive interval bound) and
 * the trimming options XADD and XTRIM share ({@code streamParseAddOrTrimArgsOrReply}).
 */
final class StreamArgs {

    static final StreamId MAX = new StreamId(-1L, -1L);

    private StreamArgs() {
    }

    /**
     * Parses an ID.
     *
     * @param missingSeq the sequence of an ID given as {@code ms} alone
     * @param strict whether {@code -} and {@code +} are refused
     * @throws CommandException Redis's invalid-ID error
     */
    static StreamId id(byte[] arg, long missingSeq, boolean strict) {
        if (arg.length > 127) {
            throw new CommandException(XAdd.INVALID_ID);
        }
        String text = Args.text(arg);
        if (text.equals("-") || text.equals("+")) {
            if (strict) {
                throw new CommandException(XAdd.INVALID_ID);
            }
            return text.equals("-") ? StreamId.ZERO : MAX;
        }
        int dash = text.indexOf('-');
        Long ms = XAdd.unsigned(dash < 0 ? text : text.substring(0, dash));
        if (ms == null) {
            throw new CommandException(XAdd.INVALID_ID);
        }
        if (dash < 0) {
            return new StreamId(ms, missingSeq);
        }
        Long seq = XAdd.unsigned(text.substring(dash + 1));
        if (seq == null) {
            throw new CommandException(XAdd.INVALID_ID);
        }
        return new StreamId(ms, seq);
    }

    /** Parses an interval bound: {@code (id} is exclusive (strict ID), anything else as {@link #id}. */
    static Bound bound(byte[] arg, long missingSeq) {
        if (arg.length > 1 && arg[0] == '(') {
            return new Bound(id(java.util.Arrays.copyOfRange(arg, 1, arg.length), missingSeq, true), true);
        }
        return new Bound(id(arg, missingSeq, false), false);
    }

    /** An interval bound. */
    record Bound(StreamId id, boolean exclusive) {
    }

    /** Returns {@code id + 1}, or null past the largest ID. */
    static @Nullable StreamId increment(StreamId id) {
        if (id.seq() != -1L) {
            return new StreamId(id.ms(), id.seq() + 1);
        }
        return id.ms() == -1L ? null : new StreamId(id.ms() + 1, 0);
    }

    /** Returns {@code id - 1}, or null below {@code 0-0}. */
    static @Nullable StreamId decrement(StreamId id) {
        if (id.seq() != 0) {
            return new StreamId(id.ms(), id.seq() - 1);
        }
        return id.ms() == 0 ? null : new StreamId(id.ms() - 1, -1L);
    }

    /** The trimming options: MAXLEN or MINID (with {@code =} or {@code ~}), LIMIT. */
    static final class Trim {
        boolean maxlenGiven;
        long maxlen;
        @Nullable StreamId minId;
        boolean approximate;
        long limit;
        boolean limitGiven;
        boolean noMkStream;
        /** XADD: where the ID argument is. */
        int idIndex;

        boolean any() {
            return maxlenGiven || minId != null;
        }

        /**
         * Parses from argument 2 on; for XADD stops at the ID ({@code *} or an ID), which it leaves at
         * {@link #idIndex}.
         */
        static Trim parse(List<byte[]> args, boolean xadd) {
            Trim t = new Trim();
            int i = 2;
            for (; i < args.size(); i++) {
                int more = args.size() - 1 - i;
                byte[] opt = args.get(i);
                if (xadd && opt.length == 1 && opt[0] == '*') {
                    break;
                } else if ((Args.is(opt, "maxlen") || Args.is(opt, "minid")) && more > 0) {
                    if (t.any()) {
                        throw new CommandException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    }
                    boolean maxlen = Args.is(opt, "maxlen");
                    t.approximate = false;
                    byte[] next = args.get(i + 1);
                    if (more >= 2 && next.length == 1 && next[0] == '~') {
                        t.approximate = true;
                        i++;
                    } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                        i++;
                    }
                    if (maxlen) {
                        t.maxlen = Args.longValue(args.get(i + 1));
                        if (t.maxlen < 0) {
                            throw new CommandException("ERR The MAXLEN argument must be >= 0.");
                        }
                        t.maxlenGiven = true;
                    } else {
                        t.minId = id(args.get(i + 1), 0, true);
                    }
                    i++;
                } else if (Args.is(opt, "limit") && more > 0) {
                    t.limit = Args.longValue(args.get(i + 1));
                    if (t.limit < 0) {
                        throw new CommandException("ERR The LIMIT argument must be >= 0.");
                    }
                    t.limitGiven = true;
                    i++;
                } else if (xadd && Args.is(opt, "nomkstream")) {
                    t.noMkStream = true;
                } else if (xadd) {
                    break;
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
            t.idIndex = i;
            if (t.limit != 0 && !t.any()) {
                throw new CommandException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            }
            if (!xadd && !t.any()) {
                throw new CommandException("ERR syntax error, XTRIM must be called with a trimming strategy");
            }
            if (t.limitGiven) {
                if (!t.approximate) {
                    throw new CommandException("ERR syntax error, LIMIT cannot be used without the special ~ option");
                }
            } else {
                t.limit = t.approximate ? 100L * 100 : 0; // 100 nodes of stream-node-max-entries
            }
            return t;
        }
    }
}
