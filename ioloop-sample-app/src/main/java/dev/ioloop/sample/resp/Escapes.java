package dev.ioloop.sample.resp;

import java.io.ByteArrayOutputStream;

/**
 * The escapes of the recordings made from redis-server by the tools in {@code src/test/tools} (transcripts, sessions,
 * the COMMAND table): {@code \s} space, {@code \r}, {@code \n}, {@code \\}, {@code \xHH}, and {@code \e} alone for an
 * empty string. Stateless and thread-safe.
 */
public final class Escapes {

    private Escapes() {
    }

    /**
     * Returns the bytes {@code s} stands for.
     *
     * @throws IllegalArgumentException for an unknown escape
     */
    public static byte[] unescape(String s) {
        if (s.equals("\\e")) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 's' -> out.write(' ');
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }
}
