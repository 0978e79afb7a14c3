package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import dev.ioloop.sample.testing.ServerProcess;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * maxmemory as Redis's (policy noeviction) over real sockets: writes over it are refused with -OOM while reads,
 * deletes and other clients go on; INFO and CONFIG GET show it; and a server with the default settings in a small
 * heap answers -OOM long before its heap is full.
 */
class RedisServerMemoryTests {

    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

    @Test
    void writesOverMaxmemoryAreRefusedWhileReadsAndDeletesWork() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setMaxmemory(DataSize.ofMegabytes(4));
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Client filler = running.connect(); Client other = running.connect()) {
            assertThat(other.call("SET", "kept", "value")).isEqualTo("+OK\r\n");
            byte[] value = new byte[100 * 1024];
            int stored = 0;
            String reply = "";
            while (stored < 1000) {
                filler.send(RespEncoder.encodeCommand(b("SET"), b("key" + stored), value));
                reply = filler.readReply();
                if (!reply.equals("+OK\r\n")) {
                    break;
                }
                stored++;
            }
            assertThat(reply).isEqualTo(OOM);
            assertThat(stored).isBetween(35, 41); // 4 MiB of 100 KiB values, plus each key's own cost
            // other write commands that may add data are refused too; reads, deletes and the like are not
            assertThat(other.call("RPUSH", "list", "x")).isEqualTo(OOM);
            assertThat(other.call("APPEND", "kept", "more")).isEqualTo(OOM);
            assertThat(other.call("GET", "kept")).isEqualTo("$5\r\nvalue\r\n");
            assertThat(other.call("EXPIRE", "kept", "100")).isEqualTo(":1\r\n");
            assertThat(filler.call("DEL", "key0", "key1")).isEqualTo(":2\r\n");
            assertThat(filler.call("SET", "again", "small")).isEqualTo("+OK\r\n");
            String memory = filler.call("INFO", "memory");
            long used = field(memory, "used_memory");
            assertThat(used).isGreaterThan(DataSize.ofMegabytes(3).toBytes()).isLessThanOrEqualTo(DataSize.ofMegabytes(4).toBytes() + 2 * value.length);
            assertThat(memory).contains("\r\nmaxmemory:4194304\r\n").contains("\r\nmaxmemory_human:4.00M\r\n")
                    .contains("\r\nmaxmemory_policy:noeviction\r\n");
            assertThat(filler.call("CONFIG", "GET", "maxmemory*")).isEqualTo(
                    "*4\r\n$9\r\nmaxmemory\r\n$7\r\n4194304\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n");
            assertThat(filler.call("FLUSHALL")).isEqualTo("+OK\r\n");
            assertThat(field(filler.call("INFO", "memory"), "used_memory")).isZero();
        }
    }

    @Test
    void withTheDefaultSettingsFillingASmallHeapWithLargeSetsEndsInOomRepliesNotAHang() throws Exception {
        // The probe: 1 MB SETs until memory is full. The default maxmemory is half the heap, so the writes
        // are refused with -OOM while the server still has room to answer everything else.
        try (ServerProcess server = ServerProcess.start("96m", 2 * 1024 * 1024);
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            byte[] value = new byte[1_000_000];
            int stored = 0;
            String reply = "";
            while (stored < 500) {
                out.write(RespEncoder.encodeCommand(b("SET"), b("key" + stored), value));
                reply = line(in);
                if (!reply.equals("+OK")) {
                    break;
                }
                stored++;
            }
            assertThat(reply).as("reply to SET number %d; server output:\n%s", stored + 1, server.output())
                    .isEqualTo(OOM.strip());
            assertThat(stored).isBetween(30, 50); // about 48 MB: half of 96 MB
            for (int i = 0; i < 3; i++) { // refused again and again, never a hang
                out.write(RespEncoder.encodeCommand(b("SET"), b("more" + i), value));
                assertThat(line(in)).isEqualTo(OOM.strip());
            }
            out.write(b("*2\r\n$6\r\nSTRLEN\r\n$4\r\nkey0\r\nPING\r\n"));
            assertThat(line(in)).isEqualTo(":1000000");
            assertThat(line(in)).isEqualTo("+PONG");
            out.write(b("INFO memory\r\n"));
            String header = line(in);
            String info = new String(in.readNBytes(Integer.parseInt(header.substring(1)) + 2), StandardCharsets.ISO_8859_1);
            assertThat(field(info, "maxmemory")).isEqualTo(field(info, "jvm_heap_max") / 2);
            assertThat(server.isAlive()).isTrue();
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
        }
    }

    private static long field(String info, String name) {
        Matcher m = Pattern.compile("(?:^|\\n)" + name + ":(\\d+)\\r\\n").matcher(info);
        assertThat(m.find()).as("%s in %s", name, info).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && s.length() > 0 && s.charAt(s.length() - 1) == '\r') {
                return s.substring(0, s.length() - 1);
            }
            s.append((char) c);
        }
        throw new java.io.EOFException("connection closed after '" + s + "'");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
