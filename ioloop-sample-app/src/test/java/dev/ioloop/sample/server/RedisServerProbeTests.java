package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The remaining probes over real sockets: a glob no command can get stuck on, HELLO as Redis 7.0 answers it
 * (byte for byte, recorded from redis-server 7.0.15), and INFO's cpu section.
 */
class RedisServerProbeTests {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a backtracking matcher never ends here (12 stars took 42 s)
    void keysAndScanWithTwentyStarsAnswerWhileOtherClientsAreServed() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client loader = running.connect(); Client other = running.connect()) {
            for (int i = 0; i < 2_000; i++) { // 40-char keys of 'a', each made unique by its last chars
                String key = ("a".repeat(40) + i).substring(i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4);
                loader.send("SET", key, "v");
            }
            for (int i = 0; i < 2_000; i++) {
                loader.readReply();
            }
            loader.send("SET", "a".repeat(39) + "b", "v");
            assertThat(loader.readReply()).isEqualTo("+OK\r\n");
            String pattern = "a*".repeat(20) + "b";
            CompletableFuture<String> keys = CompletableFuture.supplyAsync(() -> call(loader, "KEYS", pattern));
            for (int i = 0; i < 50; i++) { // served meanwhile, on the same loop
                assertThat(other.call("INCR", "served")).isEqualTo(":" + (i + 1) + "\r\n");
            }
            assertThat(keys.get(60, TimeUnit.SECONDS)).isEqualTo("*1\r\n$40\r\n" + "a".repeat(39) + "b\r\n");
            StringBuilder scanned = new StringBuilder();
            String cursor = "0";
            do {
                String page = loader.call("SCAN", cursor, "MATCH", pattern, "COUNT", "500");
                Matcher m = Pattern.compile("^\\*2\r\n\\$\\d+\r\n(\\d+)\r\n").matcher(page);
                assertThat(m.find()).as(page).isTrue();
                cursor = m.group(1);
                scanned.append(page.substring(m.end()));
            } while (!cursor.equals("0"));
            assertThat(scanned.toString()).contains("a".repeat(39) + "b").doesNotContain("a".repeat(40));
        }
    }

    @Test
    void helloAnswersProtocol2AsRedis7AndRefusesResp3Cleanly() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            long id = Long.parseLong(client.call("CLIENT", "ID").substring(1).strip());
            assertThat(client.call("HELLO")).isEqualTo(hello(id));
            assertThat(client.call("HELLO", "2", "SETNAME", "app")).isEqualTo(hello(id));
            assertThat(client.call("CLIENT", "GETNAME")).isEqualTo("$3\r\napp\r\n");
            assertThat(client.call("HELLO", "2", "AUTH", "default", "anything")).isEqualTo(hello(id)); // no requirepass
            assertThat(client.call("HELLO", "3")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(client.call("HELLO", "1")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(client.call("HELLO", "x")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            assertThat(client.call("HELLO", "2", "FOO")).isEqualTo("-ERR Syntax error in HELLO option 'FOO'\r\n");
            assertThat(client.call("HELLO", "2", "AUTH", "default")).isEqualTo("-ERR Syntax error in HELLO option 'AUTH'\r\n");
            assertThat(client.call("HELLO", "2", "SETNAME", "a b"))
                    .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
            assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void helloAuthenticatesWithRequirepass() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setRequirepass("secret");
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Client client = running.connect()) {
            assertThat(client.call("HELLO", "2")).isEqualTo("-NOAUTH HELLO must be called with the client already "
                    + "authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the "
                    + "client and select the RESP protocol version at the same time\r\n");
            assertThat(client.call("HELLO", "2", "AUTH", "default", "wrong"))
                    .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(client.call("HELLO", "3", "AUTH", "default", "secret"))
                    .isEqualTo("-NOPROTO unsupported protocol version\r\n"); // refused before AUTH, as in Redis
            assertThat(client.call("GET", "k")).isEqualTo("-NOAUTH Authentication required.\r\n");
            String reply = client.call("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "app");
            long id = Long.parseLong(client.call("CLIENT", "ID").substring(1).strip());
            assertThat(reply).isEqualTo(hello(id));
            assertThat(client.call("GET", "k")).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void infoHasACpuSectionAsRedis() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            String cpu = client.call("INFO", "cpu");
            Matcher m = Pattern.compile("\r\n# CPU\r\nused_cpu_sys:(\\d+\\.\\d{6})\r\nused_cpu_user:(\\d+\\.\\d{6})\r\n"
                    + "used_cpu_sys_children:0\\.000000\r\nused_cpu_user_children:0\\.000000\r\n"
                    + "used_cpu_sys_main_thread:(\\d+\\.\\d{6})\r\nused_cpu_user_main_thread:(\\d+\\.\\d{6})\r\n\r\n$")
                    .matcher(cpu);
            assertThat(m.find()).as(cpu).isTrue();
            double process = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
            double mainThread = Double.parseDouble(m.group(3)) + Double.parseDouble(m.group(4));
            assertThat(process).isPositive(); // this JVM has run a while
            assertThat(mainThread).isLessThanOrEqualTo(process + 0.02); // the process counts in 10 ms ticks
            assertThat(client.call("INFO")).contains("\r\n\r\n# CPU\r\nused_cpu_sys:");
        }
    }

    /** What Redis 7.0.15 answers to HELLO (protocol 2) for a client with {@code id}. */
    private static String hello(long id) {
        return "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:"
                + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";
    }

    private static String call(Client client, String... args) {
        try {
            return client.call(args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
