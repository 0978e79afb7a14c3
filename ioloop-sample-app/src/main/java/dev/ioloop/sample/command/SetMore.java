package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.SetValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SMOVE source destination member, SMISMEMBER key member [member ...], SRANDMEMBER key [count] and SSCAN key cursor
 * [MATCH pattern] [COUNT count]. SSCAN answers a set Redis keeps as an intset (at most 512 integers) whole, in
 * ascending order, as Redis does; other sets are walked in {@link dev.ioloop.sample.store.ScanOrder}.
 */
final class SetMore implements Command {

    /** Which of the commands. */
    enum Form { SMOVE, SMISMEMBER, SRANDMEMBER, SSCAN }

    /** Redis 7.0's {@code set-max-intset-entries} default. */
    private static final int INTSET_ENTRIES = 512;

    private final Form form;

    SetMore(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        switch (form) {
            case SMOVE:
                return smove(args, ctx.store());
            case SMISMEMBER: {
                SetValue set = ctx.store().read(Args.key(args.get(1)), SetValue.KIND);
                List<RespFrame> out = new ArrayList<>(args.size() - 2);
                for (int j = 2; j < args.size(); j++) {
                    out.add(set != null && set.contains(Args.text(args.get(j))) ? RespFrame.ONE : RespFrame.ZERO);
                }
                return new RespFrame.RespArray(out);
            }
            case SRANDMEMBER:
                return srandmember(args, ctx.store());
            default:
                return sscan(args, ctx.store());
        }
    }

    private static RespFrame smove(List<byte[]> args, KeyValueStore store) {
        Key source = Args.key(args.get(1));
        Key destination = Args.key(args.get(2));
        String member = Args.text(args.get(3));
        SetValue from = store.read(source, SetValue.KIND);
        if (from == null) {
            return RespFrame.ZERO;
        }
        store.read(destination, SetValue.KIND); // WRONGTYPE before anything moves
        if (source.equals(destination)) {
            return from.contains(member) ? RespFrame.ONE : RespFrame.ZERO;
        }
        if (!from.contains(member)) {
            return RespFrame.ZERO;
        }
        store.modify(source, SetValue.KIND).remove(member);
        store.deleteIfEmpty(source);
        store.modifyOrCreate(destination, SetValue.KIND).add(member);
        return RespFrame.ONE;
    }

    private static RespFrame srandmember(List<byte[]> args, KeyValueStore store) {
        if (args.size() > 3) {
            return RespFrame.error(Errors.SYNTAX);
        }
        if (args.size() == 3) {
            long count = RandomPicks.count(args.get(2));
            SetValue set = store.read(Args.key(args.get(1)), SetValue.KIND);
            if (set == null || count == 0) {
                return RespFrame.EMPTY_ARRAY;
            }
            RandomPicks.checkRepeated(count);
            List<RespFrame> out = new ArrayList<>();
            for (String m : RandomPicks.pick(ordered(set), count, store.random())) {
                out.add(RespFrame.bulk(Args.bytes(m)));
            }
            return new RespFrame.RespArray(out);
        }
        SetValue set = store.read(Args.key(args.get(1)), SetValue.KIND);
        if (set == null) {
            return RespFrame.NULL_BULK;
        }
        List<String> members = set.members();
        return RespFrame.bulk(Args.bytes(members.get(store.random().nextInt(members.size()))));
    }

    private static RespFrame sscan(List<byte[]> args, KeyValueStore store) {
        long cursor = ElementScan.cursor(args.get(2));
        SetValue set = store.read(Args.key(args.get(1)), SetValue.KIND);
        if (set == null) {
            return ElementScan.empty();
        }
        ElementScan.Options options = ElementScan.options(args);
        boolean intset = isIntset(set);
        return ElementScan.step(intset ? ordered(set) : set.members(), m -> m,
                m -> List.of(RespFrame.bulk(Args.bytes(m))), cursor, options, intset);
    }

    /** The members in the order Redis answers a whole set: ascending for an intset, else the set's own order. */
    private static List<String> ordered(SetValue set) {
        List<String> members = set.members();
        if (isIntset(set)) {
            members.sort(Comparator.comparingLong(Long::parseLong));
        }
        return members;
    }

    /** Whether Redis would hold this set as an intset: at most 512 members, each a canonical 64-bit integer. */
    private static boolean isIntset(SetValue set) {
        if (set.size() > INTSET_ENTRIES) {
            return false;
        }
        for (String m : set.members()) {
            if (!isCanonicalLong(m)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCanonicalLong(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        try {
            return Long.toString(Long.parseLong(s)).equals(s);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
