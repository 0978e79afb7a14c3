package dev.ioloop.sample.command;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What HRANDFIELD, SRANDMEMBER and ZRANDMEMBER share: a positive count picks that many distinct elements (all of
 * them, in the collection's order, when it covers the collection), a negative one picks that many with repeats.
 * Redis streams a repeated pick of any length to the client; this server builds the reply first, so a repeated
 * pick is limited to {@value #MAX_REPEATED} elements and a larger one answers an error that says so.
 */
final class RandomPicks {

    /** The most elements a negative count may ask for. */
    static final long MAX_REPEATED = 1_000_000;

    private RandomPicks() {
    }

    /** Redis's {@code getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)}. */
    static long count(byte[] arg) {
        long l = Args.longValue(arg);
        if (l == Long.MIN_VALUE) {
            throw new CommandException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        return l;
    }

    /** Refuses a repeated pick larger than {@link #MAX_REPEATED}. */
    static void checkRepeated(long count) {
        if (count < -MAX_REPEATED) {
            throw new CommandException("ERR count is out of range: this server answers at most " + MAX_REPEATED
                    + " random elements with repeats");
        }
    }

    /**
     * Returns the elements to answer for {@code count} (not 0) over {@code elements}: distinct ones for a positive
     * count (every element, in order, when the count covers them), repeats allowed for a negative one.
     */
    static <T> List<T> pick(List<T> elements, long count, SplittableRandom random) {
        int size = elements.size();
        if (count < 0) {
            List<T> out = new ArrayList<>((int) -count);
            for (long i = 0; i < -count; i++) {
                out.add(elements.get(random.nextInt(size)));
            }
            return out;
        }
        if (count >= size) {
            return elements;
        }
        List<T> copy = new ArrayList<>(elements);
        for (int i = 0; i < count; i++) { // a partial Fisher-Yates shuffle
            int j = i + random.nextInt(size - i);
            T t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy.subList(0, (int) count);
    }
}
