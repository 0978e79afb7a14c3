package dev.ioloop.sample.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A transcript recorded from a real redis-server by {@code src/test/tools/record_transcript.py}: each case is a
 * command line and the exact bytes Redis answered. Escapes: {@code \s} space, {@code \r}, {@code \n}, {@code \\},
 * {@code \xHH}, and {@code \e} for an empty argument.
 */
public final class Transcript {

    /** One command and Redis's reply bytes. */
    public record Case(int line, List<byte[]> args, byte[] reply) {
        /** Returns the command as printable text. */
        public String command() {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : args) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }

        /** Returns the request bytes as a client sends them (multibulk). */
        public byte[] request() {
            return dev.ioloop.sample.resp.RespEncoder.encodeCommand(args.toArray(new byte[0][]));
        }
    }

    private Transcript() {
    }

    /** A raw protocol case's request ending with this continues with 70,000 bytes of 'x' (no line end). */
    public static final String PAD = "<then\\s70000\\sx>";

    /** Returns the bytes of a raw protocol case's escaped request, its {@link #PAD} expanded. */
    public static byte[] rawRequest(String escaped) {
        if (!escaped.endsWith(PAD)) {
            return unescape(escaped);
        }
        byte[] head = unescape(escaped.substring(0, escaped.length() - PAD.length()));
        byte[] all = java.util.Arrays.copyOf(head, head.length + 70_000);
        java.util.Arrays.fill(all, head.length, all.length, (byte) 'x');
        return all;
    }

    /** Reads the transcript resource {@code name}. */
    public static List<Case> load(String name) {
        try (InputStream in = Transcript.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource: " + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            List<Case> cases = new ArrayList<>();
            List<byte[]> args = null;
            int lineNo = 0;
            int commandLine = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNo++;
                if (line.startsWith("> ")) {
                    args = new ArrayList<>();
                    commandLine = lineNo;
                    for (String token : line.substring(2).split(" ")) {
                        args.add(unescape(token));
                    }
                } else if (line.startsWith("< ")) {
                    cases.add(new Case(commandLine, args, unescape(line.substring(2))));
                    args = null;
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes the transcript escapes (see {@link dev.ioloop.sample.resp.Escapes}). */
    public static byte[] unescape(String s) {
        return dev.ioloop.sample.resp.Escapes.unescape(s);
    }

    /** Makes bytes printable for assertion messages. */
    public static String show(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (b == '\r') {
                sb.append("\\r");
            } else if (b == '\n') {
                sb.append("\\n");
            } else if (b >= 32 && b < 127) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return sb.toString();
    }
}
