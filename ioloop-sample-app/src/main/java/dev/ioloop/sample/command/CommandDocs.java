package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.DecodeResult;
import dev.ioloop.sample.resp.RespDecoder;
import dev.ioloop.sample.resp.RespFrame;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What Redis 7.0.15 answers to COMMAND INFO and COMMAND DOCS for each command this server implements (only the
 * subcommands it implements kept), recorded into the resource {@value #RESOURCE} by
 * {@code src/test/tools/record_command_table.py}. Loaded once; immutable and thread-safe.
 */
final class CommandDocs {

    static final String RESOURCE = "/redis-7.0.15-commands.resp";

    private static final CommandDocs STANDARD = load();

    private final Map<String, RespFrame> info;
    private final Map<String, RespFrame> docs;

    private CommandDocs(Map<String, RespFrame> info, Map<String, RespFrame> docs) {
        this.info = Collections.unmodifiableMap(info);
        this.docs = Collections.unmodifiableMap(docs);
    }

    /** Returns the recorded table. */
    static CommandDocs standard() {
        return STANDARD;
    }

    /** Returns the COMMAND INFO entry of {@code name} (lower case), or null if none was recorded. */
    @Nullable RespFrame info(String name) {
        return info.get(name);
    }

    /** Returns the COMMAND DOCS value of {@code name} (lower case), or null if none was recorded. */
    @Nullable RespFrame docs(String name) {
        return docs.get(name);
    }

    /** Returns every recorded command name. */
    java.util.Set<String> names() {
        return info.keySet();
    }

    private static CommandDocs load() {
        Map<String, RespFrame> info = new LinkedHashMap<>();
        Map<String, RespFrame> docs = new LinkedHashMap<>();
        try (InputStream in = CommandDocs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            RespDecoder decoder = new RespDecoder(Integer.MAX_VALUE - 8);
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" ", 3);
                byte[] bytes = unescape(parts[2]);
                DecodeResult<RespFrame> frame = decoder.decodeFrame(bytes, 0, bytes.length);
                if (!(frame instanceof DecodeResult.Complete<RespFrame> complete)) {
                    throw new IllegalStateException("a truncated entry in " + RESOURCE + ": " + parts[0] + " " + parts[1]);
                }
                (parts[0].equals("info") ? info : docs).put(parts[1], complete.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.ioloop.sample.resp.RespProtocolException e) {
            throw new IllegalStateException("a malformed entry in " + RESOURCE + ": " + e.getMessage(), e);
        }
        return new CommandDocs(info, docs);
    }

    /** The recorder's escapes: {@code \s} space, {@code \r}, {@code \n}, {@code \\}, {@code \xHH}, {@code \e} empty. */
    private static byte[] unescape(String s) {
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
                default -> throw new IllegalStateException("bad escape \\" + e + " in " + RESOURCE);
            }
        }
        return out.toByteArray();
    }
}
