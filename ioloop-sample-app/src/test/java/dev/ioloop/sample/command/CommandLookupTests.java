package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.TestServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dispatch finds every command by its name's bytes in any ASCII case, and nothing else. */
class CommandLookupTests {

    private final KeyValueStore store = new KeyValueStore(new FakeStoreClock(5_000), 1);
    private final CommandContext ctx = new CommandContext(store, new TestServerInfo(null), 77);
    private final CommandTable table = CommandTable.standard();

    @Test
    void everyCommandIsFoundInLowerUpperAndMixedCase() {
        for (CommandSpec spec : table.all()) {
            String name = spec.name();
            StringBuilder mixed = new StringBuilder();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                mixed.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
            }
            for (String form : List.of(name, name.toUpperCase(java.util.Locale.ROOT), mixed.toString())) {
                // too many arguments for most commands: the arity error names the command found, else it ran
                String reply = run(form, "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11");
                if (reply.contains("wrong number of arguments")) { // EXEC words it as EXECABORT
                    assertThat(reply).as(form).contains("'" + name + "'");
                } else {
                    assertThat(reply).as(form).doesNotStartWith("-ERR unknown command");
                    assertThat(ctx.commandName()).as(form).isEqualTo(name);
                }
            }
        }
    }

    @Test
    void namesThatDifferOnlyOutsideAsciiLettersAreUnknown() {
        assertThat(run("pInG")).isEqualTo("+PONG\r\n");
        assertThat(run("PING\u00c0")).isEqualTo("-ERR unknown command 'PING\u00c0', with args beginning with: \r\n");
        assertThat(run("P", "x")).isEqualTo("-ERR unknown command 'P', with args beginning with: 'x' \r\n");
        // unknown, and printed as Redis prints it: a C string, so up to the NUL (redis-server 7.0.15 answers the same)
        assertThat(run("get\u0000")).isEqualTo("-ERR unknown command 'get', with args beginning with: \r\n");
        assertThat(run("g\u00c5t", "k")).startsWith("-ERR unknown command"); // 0xC5 is not 'E' + 128
        assertThat(run("", "k")).isEqualTo("-ERR unknown command '', with args beginning with: 'k' \r\n");
    }

    private String run(String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new String(RespEncoder.encode(table.dispatch(argv, ctx)), StandardCharsets.ISO_8859_1);
    }
}
