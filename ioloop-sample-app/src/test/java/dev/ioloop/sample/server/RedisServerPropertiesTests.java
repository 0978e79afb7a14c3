package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code sample.redis.*}: defaults, binding from kebab-case keys, validation messages naming the key, metadata. */
class RedisServerPropertiesTests {

    @Test
    void defaultsAreRedisLikeAndLocalOnly() {
        RedisServerProperties p = new RedisServerProperties();
        assertThat(p.getPort()).isEqualTo(6380);
        assertThat(p.getBind()).isEqualTo("127.0.0.1");
        assertThat(p.getRequirepass()).isNull();
        assertThat(p.getMaxclients()).isEqualTo(10_000);
        assertThat(p.getHz()).isEqualTo(10);
        assertThat(p.cronPeriod()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.getQueryBufferLimit()).isEqualTo(1024 * 1024);
        assertThat(p.getProtoMaxBulkLen()).isEqualTo(512L * 1024 * 1024);
        assertThat(p.getActiveExpireBudget()).isEqualTo(Duration.ofMillis(5));
        assertThat(p.getConnectionLoops()).isEqualTo(RedisServerProperties.ConnectionLoops.DATA);
        assertThat(p.getMaxmemory()).isNull();
        assertThat(p.maxmemoryBytes(1_000_000)).isEqualTo(500_000); // half the heap
        assertThat(p.getMaxmemoryPolicy()).isEqualTo(RedisServerProperties.MaxmemoryPolicy.NOEVICTION);
        assertThat(p.getClientOutputBufferLimit().hardBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(p.getClientOutputBufferLimit().softBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(p.getClientOutputBufferLimit().getSoftSeconds()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void bindsEveryKey() {
        Map<String, String> source = new java.util.HashMap<>();
        source.put("sample.redis.port", "7000");
        source.put("sample.redis.bind", "0.0.0.0");
        source.put("sample.redis.requirepass", "pw");
        source.put("sample.redis.maxclients", "5");
        source.put("sample.redis.hz", "100");
        source.put("sample.redis.active-expire-budget", "2ms");
        source.put("sample.redis.query-buffer-limit", "4096");
        source.put("sample.redis.proto-max-bulk-len", "1000");
        source.put("sample.redis.connection-loops", "group");
        source.put("sample.redis.maxmemory", "256MB");
        source.put("sample.redis.client-output-buffer-limit.hard", "32MB");
        source.put("sample.redis.client-output-buffer-limit.soft", "1MB");
        source.put("sample.redis.client-output-buffer-limit.soft-seconds", "5s");
        RedisServerProperties p = new Binder(new MapConfigurationPropertySource(source))
                .bind("sample.redis", RedisServerProperties.class).get();
        assertThat(p.getPort()).isEqualTo(7000);
        assertThat(p.getBind()).isEqualTo("0.0.0.0");
        assertThat(p.getRequirepass()).isEqualTo("pw");
        assertThat(p.getMaxclients()).isEqualTo(5);
        assertThat(p.getHz()).isEqualTo(100);
        assertThat(p.getActiveExpireBudget()).isEqualTo(Duration.ofMillis(2));
        assertThat(p.getQueryBufferLimit()).isEqualTo(4096);
        assertThat(p.getProtoMaxBulkLen()).isEqualTo(1000);
        assertThat(p.getConnectionLoops()).isEqualTo(RedisServerProperties.ConnectionLoops.GROUP);
        assertThat(p.maxmemoryBytes(1)).isEqualTo(256L * 1024 * 1024);
        assertThat(p.getClientOutputBufferLimit().hardBytes()).isEqualTo(32 * 1024 * 1024);
        assertThat(p.getClientOutputBufferLimit().softBytes()).isEqualTo(1024 * 1024);
        assertThat(p.getClientOutputBufferLimit().getSoftSeconds()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void validationMessagesNameTheKeyTheRuleAndTheValue() {
        RedisServerProperties p = new RedisServerProperties();
        assertThatThrownBy(() -> p.setPort(70000)).hasMessage("'sample.redis.port' must be between 0 and 65535 (was 70000)");
        assertThatThrownBy(() -> p.setBind(" ")).hasMessage("'sample.redis.bind' must not be blank (was ' ')");
        assertThatThrownBy(() -> p.setMaxclients(0)).hasMessage("'sample.redis.maxclients' must be at least 1 (was 0)");
        assertThatThrownBy(() -> p.setHz(0)).hasMessage("'sample.redis.hz' must be between 1 and 500 (was 0)");
        assertThatThrownBy(() -> p.setActiveExpireBudget(Duration.ZERO))
                .hasMessage("'sample.redis.active-expire-budget' must be positive (was PT0S)");
        assertThatThrownBy(() -> p.setQueryBufferLimit(10))
                .hasMessage("'sample.redis.query-buffer-limit' must be at least 1024 bytes (was 10)");
        assertThatThrownBy(() -> p.setProtoMaxBulkLen(0))
                .hasMessage("'sample.redis.proto-max-bulk-len' must be between 1 and 2147483639 (was 0)");
        assertThatThrownBy(() -> p.setMaxmemory(org.springframework.util.unit.DataSize.ofBytes(-1)))
                .hasMessage("'sample.redis.maxmemory' must not be negative (was -1B)");
        assertThatThrownBy(() -> p.getClientOutputBufferLimit().setHard(org.springframework.util.unit.DataSize.ofGigabytes(2)))
                .hasMessage("'sample.redis.client-output-buffer-limit.hard' must be between 0 and 2147483631 bytes (was 2147483648B)");
        assertThatThrownBy(() -> p.getClientOutputBufferLimit().setSoft(org.springframework.util.unit.DataSize.ofBytes(-5)))
                .hasMessage("'sample.redis.client-output-buffer-limit.soft' must be between 0 and 2147483631 bytes (was -5B)");
        assertThatThrownBy(() -> p.getClientOutputBufferLimit().setSoftSeconds(Duration.ZERO))
                .hasMessage("'sample.redis.client-output-buffer-limit.soft-seconds' must be positive (was PT0S)");
        p.setRequirepass("");
        assertThat(p.getRequirepass()).isNull();
    }

    @Test
    void metadataDescribesEveryKey() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String key : new String[] {"port", "bind", "requirepass", "maxclients", "hz", "active-expire-budget",
                "query-buffer-limit", "proto-max-bulk-len", "connection-loops", "maxmemory", "maxmemory-policy",
                "client-output-buffer-limit.hard", "client-output-buffer-limit.soft",
                "client-output-buffer-limit.soft-seconds"}) {
                assertThat(json).contains("\"name\": \"sample.redis." + key + "\"");
            }
            assertThat(json).contains("\"defaultValue\": 6380").contains("\"defaultValue\": \"127.0.0.1\"");
        }
    }
}
