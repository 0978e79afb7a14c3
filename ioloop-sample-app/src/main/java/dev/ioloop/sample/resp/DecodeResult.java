package dev.ioloop.sample.resp;

/**
 * What a decoder found at the start of its input: a complete value and where it ends, or the fact that more bytes
 * are needed. "Need more bytes" is a value, not an exception (mini-redis's rule): it is the common case on a socket.
 *
 * @param <T> the decoded value's type
 */
public sealed interface DecodeResult<T> {

    /** Returns the shared "need more bytes" result. */
    @SuppressWarnings("unchecked")
    static <T> Incomplete<T> incomplete() {
        return (Incomplete<T>) Incomplete.INSTANCE;
    }

    /**
     * A complete value.
     *
     * @param value the value
     * @param end the index just after the value's last byte in the decoder's input
     */
    record Complete<T>(T value, int end) implements DecodeResult<T> {
    }

    /** The input holds only the beginning of a value: read more and decode again from the same start. */
    final class Incomplete<T> implements DecodeResult<T> {
        private static final Incomplete<Object> INSTANCE = new Incomplete<>();

        private Incomplete() {
        }

        @Override
        public String toString() {
            return "Incomplete";
        }
    }
}
