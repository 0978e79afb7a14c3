package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.SetValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SINTER, SUNION and SDIFF key [key ...], their STORE forms (destination first; an empty result removes the
 * destination), and SINTERCARD numkeys key [key ...] [LIMIT limit]. An absent key is an empty set; a key of another
 * type answers WRONGTYPE before anything is computed. Intersections walk the smallest set, O(N*M) at worst as in
 * Redis; SINTERCARD's LIMIT stops the walk early.
 */
final class SetAlgebra implements Command {

    /** Which operation, and whether it stores or counts. */
    enum Form { SINTER, SUNION, SDIFF, SINTERSTORE, SUNIONSTORE, SDIFFSTORE, SINTERCARD }

    private final Form form;

    SetAlgebra(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        switch (form) {
            case SINTER:
                return members(intersection(sets(store, args, 1, args.size()), Long.MAX_VALUE));
            case SUNION:
                return members(union(sets(store, args, 1, args.size())));
            case SDIFF:
                return members(difference(sets(store, args, 1, args.size())));
            case SINTERSTORE:
                return store(store, args, intersection(sets(store, args, 2, args.size()), Long.MAX_VALUE));
            case SUNIONSTORE:
                return store(store, args, union(sets(store, args, 2, args.size())));
            case SDIFFSTORE:
                return store(store, args, difference(sets(store, args, 2, args.size())));
            default:
                return interCard(store, args);
        }
    }

    private static RespFrame interCard(KeyValueStore store, List<byte[]> args) {
        long numKeys = Args.longValue(args.get(1), "ERR numkeys should be greater than 0");
        if (numKeys < 1) {
            return RespFrame.error("ERR numkeys should be greater than 0");
        }
        if (numKeys > args.size() - 2) {
            return RespFrame.error("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + (int) numKeys; j < args.size(); j++) {
            if (Args.is(args.get(j), "limit") && j + 1 < args.size()) {
                limit = Args.longValue(args.get(++j), "ERR LIMIT can't be negative");
                if (limit < 0) {
                    return RespFrame.error("ERR LIMIT can't be negative");
                }
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        List<SetValue> sets = sets(store, args, 2, 2 + (int) numKeys);
        return RespFrame.integer(intersection(sets, limit == 0 ? Long.MAX_VALUE : limit).size());
    }

    /** Looks up keys {@code from..to-1}: absent keys are null; WRONGTYPE for another type. */
    private static List<@Nullable SetValue> sets(KeyValueStore store, List<byte[]> args, int from, int to) {
        List<@Nullable SetValue> sets = new ArrayList<>(to - from);
        for (int j = from; j < to; j++) {
            sets.add(store.read(Args.key(args.get(j)), SetValue.KIND));
        }
        return sets;
    }

    private static LinkedHashSet<String> intersection(List<@Nullable SetValue> sets, long limit) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (sets.contains(null)) {
            return out;
        }
        List<SetValue> bySize = new ArrayList<>(sets);
        bySize.sort(Comparator.comparingInt(SetValue::size));
        SetValue smallest = bySize.get(0);
        for (String member : smallest.members()) {
            boolean inAll = true;
            for (int j = 1; j < bySize.size() && inAll; j++) {
                inAll = bySize.get(j).contains(member);
            }
            if (inAll) {
                out.add(member);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static LinkedHashSet<String> union(List<@Nullable SetValue> sets) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (SetValue set : sets) {
            if (set != null) {
                out.addAll(set.members());
            }
        }
        return out;
    }

    private static LinkedHashSet<String> difference(List<@Nullable SetValue> sets) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        SetValue first = sets.get(0);
        if (first == null) {
            return out;
        }
        for (String member : first.members()) {
            boolean elsewhere = false;
            for (int j = 1; j < sets.size() && !elsewhere; j++) {
                SetValue other = sets.get(j);
                elsewhere = other != null && other.contains(member);
            }
            if (!elsewhere) {
                out.add(member);
            }
        }
        return out;
    }

    private static RespFrame members(LinkedHashSet<String> members) {
        List<RespFrame> out = new ArrayList<>(members.size());
        for (String m : members) {
            out.add(RespFrame.bulk(Args.bytes(m)));
        }
        return new RespFrame.RespArray(out);
    }

    private static RespFrame store(KeyValueStore store, List<byte[]> args, LinkedHashSet<String> members) {
        Key destination = Args.key(args.get(1));
        if (members.isEmpty()) {
            store.delete(destination);
            return RespFrame.ZERO;
        }
        SetValue result = new SetValue();
        for (String m : members) {
            result.add(m);
        }
        store.set(destination, result, false);
        return RespFrame.integer(members.size());
    }
}
