package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.TestServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * COMMAND tells the truth about the table: the recording of Redis's COMMAND INFO and DOCS (made by
 * record_command_table.py) covers exactly the commands the table holds, agrees with each table entry's arity, key
 * positions and the flags that change behaviour here (write, denyoom), and lists only implemented subcommands.
 * When a command is added, this fails until the recording is made again.
 */
class CommandIntrospectionTests {

    private final CommandTable table = CommandTable.standard();
    private final CommandContext ctx =
            new CommandContext(new KeyValueStore(new FakeStoreClock(5_000), 1), new TestServerInfo(null), 7);

    @Test
    void theRecordingCoversExactlyTheTablesCommands() {
        Set<String> tableNames = new HashSet<>();
        for (CommandSpec spec : table.all()) {
            tableNames.add(spec.name());
        }
        assertThat(CommandDocs.standard().names()).containsExactlyInAnyOrderElementsOf(tableNames);
        assertThat(run("COMMAND", "COUNT")).isEqualTo(":" + tableNames.size() + "\r\n");
    }

    @Test
    void eachRecordedEntryAgreesWithItsTableEntry() {
        for (CommandSpec spec : table.all()) {
            List<RespFrame> info = ((RespFrame.RespArray) CommandDocs.standard().info(spec.name())).elements();
            assertThat(info.get(1)).as(spec.name() + " arity").isEqualTo(RespFrame.integer(spec.arity()));
            assertThat(info.get(3)).as(spec.name() + " first key").isEqualTo(RespFrame.integer(spec.firstKey()));
            assertThat(info.get(4)).as(spec.name() + " last key").isEqualTo(RespFrame.integer(spec.lastKey()));
            assertThat(info.get(5)).as(spec.name() + " key step").isEqualTo(RespFrame.integer(spec.keyStep()));
            List<String> flags = new ArrayList<>();
            for (RespFrame f : ((RespFrame.RespArray) info.get(2)).elements()) {
                flags.add(((RespFrame.SimpleString) f).text());
            }
            for (String behaviour : List.of("write", "denyoom")) {
                assertThat(flags.contains(behaviour)).as(spec.name() + " " + behaviour)
                        .isEqualTo(spec.flags().contains(behaviour));
            }
        }
    }

    @Test
    void listNamesImplementedSubcommandsOnly() {
        String all = run("COMMAND", "LIST");
        assertThat(all).contains("$10\r\nconfig|get\r\n").contains("$14\r\nclient|unblock\r\n")
                .doesNotContain("config|rewrite").doesNotContain("client|list").doesNotContain("xgroup")
                .contains("$12\r\nxinfo|stream\r\n").doesNotContain("xinfo|groups");
        assertThat(run("COMMAND", "LIST", "FILTERBY", "PATTERN", "bl*")).isEqualTo("*3\r\n$5\r\nblpop\r\n$6\r\nblmove\r\n$6\r\nblmpop\r\n");
        assertThat(run("COMMAND", "LIST", "FILTERBY", "ACLCAT", "transaction")).startsWith("*5\r\n");
        assertThat(run("COMMAND", "INFO", "blpop", "nosuch", "xgroup")).startsWith("*3\r\n*10\r\n$5\r\nblpop\r\n")
                .endsWith("$-1\r\n$-1\r\n");
        assertThat(run("COMMAND", "DOCS", "nosuch", "xgroup")).isEqualTo("*0\r\n");
    }

    @Test
    void anUnrecordedCommandIsDescribedFromItsTableEntry() {
        CommandTable extended = table.with("mycmd", -2, (args, c) -> RespFrame.OK, "write");
        List<byte[]> argv = new ArrayList<>();
        for (String a : new String[] {"COMMAND", "INFO", "mycmd"}) {
            argv.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        String reply = new String(RespEncoder.encode(extended.dispatch(argv, ctx)), StandardCharsets.ISO_8859_1);
        assertThat(reply).startsWith("*1\r\n*10\r\n$5\r\nmycmd\r\n:-2\r\n*1\r\n+write\r\n");
    }

    private String run(String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new String(RespEncoder.encode(table.dispatch(argv, ctx)), StandardCharsets.ISO_8859_1);
    }
}
