package dev.ioloop.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata written by spring-boot-configuration-processor (merged with the hand-written JSON) describes every
 * property with its type and default, and the README documents each of them.
 */
class IOLoopPropertiesMetadataTests {

    static Stream<Arguments> properties() {
        return Stream.of(
                Arguments.of("ioloop.enabled", "java.lang.Boolean", true, "Whether to create and run the main loop"),
                Arguments.of("ioloop.backend", "dev.ioloop.spring.boot.autoconfigure.IOLoopProperties$Backend", null,
                        "Unset: the backend configured with IOLoop.configure"),
                Arguments.of("ioloop.monitor.reactor-netty.enabled", "java.lang.Boolean", true,
                        "Whether to monitor Reactor Netty's event loops"),
                Arguments.of("ioloop.monitor.event-loop-groups.enabled", "java.lang.Boolean", true,
                        "every Netty EventLoopGroup bean"),
                Arguments.of("ioloop.group.enabled", "java.lang.Boolean", false, "Off by default"),
                Arguments.of("ioloop.group.threads", "java.lang.Integer", null, "number of available processors"),
                Arguments.of("ioloop.shutdown.timeout", "java.time.Duration", "10s", "Maximum time to wait"),
                Arguments.of("ioloop.watchdog.threshold", "java.time.Duration", "2s", "Zero disables the watchdog"),
                Arguments.of("ioloop.watchdog.retained-reports", "java.lang.Integer", 10, "blocked-loop reports"),
                Arguments.of("ioloop.metrics.lag.interval", "java.time.Duration", "100ms", "Interval of the lag probe"),
                Arguments.of("ioloop.metrics.utilization.window", "java.time.Duration", "10s",
                        "reading it does not move it"),
                Arguments.of("ioloop.health.lag-threshold", "java.time.Duration", "5s", "reports the loop DOWN"),
                Arguments.of("management.health.ioloop.enabled", "java.lang.Boolean", true,
                        "Whether to enable the ioloop health indicator"));
    }

    @ParameterizedTest
    @MethodSource("properties")
    void describesPropertyWithTypeDefaultAndDescription(String name, String type, Object defaultValue,
            String description) throws IOException {
        List<Map<String, Object>> matches = JsonPath.read(metadata(), "$.properties[?(@.name == '" + name + "')]");
        assertThat(matches).hasSize(1);
        Map<String, Object> property = matches.get(0);
        assertThat(property.get("type")).isEqualTo(type);
        assertThat(property.get("defaultValue")).isEqualTo(defaultValue);
        assertThat((String) property.get("description")).contains(description).endsWith(".");
    }

    @Test
    void everyIoloopPropertyIsDocumentedInTheReadme() throws IOException {
        List<String> names = JsonPath.read(metadata(), "$.properties[*].name");
        List<String> ours = names.stream().filter((name) -> name.startsWith("ioloop.")).toList();
        assertThat(ours).containsExactlyInAnyOrderElementsOf(properties().map((arguments) -> (String) arguments.get()[0])
            .filter((name) -> name.startsWith("ioloop."))
            .toList());
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String name : names) {
            if (name.startsWith("ioloop.") || name.equals("management.health.ioloop.enabled")) {
                assertThat(readme).as("README documents %s", name).contains("`" + name + "`");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("properties")
    void readmeTableGivesTheMetadataTypeAndDefault(String name, String type, Object defaultValue, String description)
            throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
            .filter((line) -> line.startsWith("| `" + name + "` |"))
            .toList();
        assertThat(rows).as("README table row of %s", name).hasSize(1);
        String[] cells = rows.get(0).split("\\|");
        String readmeType = cells[2].trim();
        String readmeDefault = cells[3].trim();
        String expectedType = switch (type) {
            case "java.lang.Boolean" -> "boolean";
            case "java.lang.Integer" -> "int";
            case "java.time.Duration" -> "Duration";
            case "dev.ioloop.spring.boot.autoconfigure.IOLoopProperties$Backend" -> "enum";
            default -> type;
        };
        assertThat(readmeType).as("README type of %s", name).isEqualTo(expectedType);
        if (defaultValue != null) {
            assertThat(readmeDefault).as("README default of %s", name).isEqualTo("`" + defaultValue + "`");
        }
    }

    @Test
    void everyMeterIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String meter : List.of("ioloop.lag", "ioloop.busy", "ioloop.idle", "ioloop.utilization",
                "ioloop.callbacks.pending", "ioloop.timeouts.pending", "ioloop.handlers", "ioloop.callbacks",
                "ioloop.callbacks.errors", "ioloop.blocked", "ioloop.periodic", "ioloop.periodic.active",
                "ioloop.periodic.skipped")) {
            assertThat(readme).as("README documents %s", meter).contains("`" + meter + "`");
        }
    }

    @Test
    void backendValuesAreHinted() throws IOException {
        List<String> values = JsonPath.read(metadata(), "$.hints[?(@.name == 'ioloop.backend')].values[*].value");
        assertThat(values).containsExactly("selector", "netty", "netty-io-uring");
    }

    private static String metadata() throws IOException {
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
