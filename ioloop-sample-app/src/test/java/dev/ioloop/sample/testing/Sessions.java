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
 * Sessions of several clients recorded from a real redis-server by {@code src/test/tools/record_sessions.py}: each
 * step is a command one client sent, the replies each client received after it, or a pause that let server time pass.
 * Escapes as in {@link Transcript}.
 */
public final class Sessions {

    /** One step of a session. */
    public sealed interface Step permits Send, Receive, Pause {
    }

    /** Client {@code client} sends {@code args}. */
    public record Send(int line, String client, List<byte[]> args) implements Step {
        /** Returns the request bytes (multibulk). */
        public byte[] request() {
            return dev.ioloop.sample.resp.RespEncoder.encodeCommand(args.toArray(new byte[0][]));
        }

        /** Returns the command as printable text. */
        public String command() {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : args) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }
    }

    /** Client {@code client} receives exactly {@code reply}. */
    public record Receive(int line, String client, byte[] reply) implements Step {
    }

    /** Server time passes: {@code seconds}. */
    public record Pause(int line, double seconds) implements Step {
    }

    /** One named session. */
    public record Session(String name, List<Step> steps) {
    }

    private Sessions() {
    }

    /** Reads the sessions resource {@code name}. */
    public static List<Session> load(String name) {
        try (InputStream in = Sessions.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource: " + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            List<Session> sessions = new ArrayList<>();
            List<Step> steps = null;
            int lineNo = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNo++;
                if (line.startsWith("== ")) {
                    steps = new ArrayList<>();
                    sessions.add(new Session(line.substring(3), steps));
                } else if (line.startsWith("~ ")) {
                    steps.add(new Pause(lineNo, Double.parseDouble(line.substring(2))));
                } else if (line.contains("> ") && !line.startsWith("#")) {
                    int at = line.indexOf("> ");
                    List<byte[]> args = new ArrayList<>();
                    for (String token : line.substring(at + 2).split(" ")) {
                        args.add(Transcript.unescape(token));
                    }
                    steps.add(new Send(lineNo, line.substring(0, at), args));
                } else if (line.contains("< ") && !line.startsWith("#")) {
                    int at = line.indexOf("< ");
                    steps.add(new Receive(lineNo, line.substring(0, at), Transcript.unescape(line.substring(at + 2))));
                }
            }
            return sessions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
