package dev.ioloop.iostream;

/**
 * A {@link CharSequence} over a byte range, each byte read as the ISO-8859-1 character of the same
 * value. Lets {@code readUntilRegex} match buffered bytes without decoding them into a copy.
 *
 * <p>Loop thread only; valid until its {@link ReadBuffer} changes.
 */
final class Latin1View implements CharSequence {

    private byte[] bytes = new byte[0];
    private int from;
    private int to;

    Latin1View() {
    }

    private Latin1View(byte[] bytes, int from, int to) {
        reset(bytes, from, to);
    }

    void reset(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length()) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + length() + ")");
        }
        return (char) (bytes[from + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length() || start > end) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + end + ") outside [0, " + length() + ")");
        }
        return new Latin1View(bytes, from + start, from + end);
    }

    @Override
    public String toString() {
        return new String(bytes, from, length(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
