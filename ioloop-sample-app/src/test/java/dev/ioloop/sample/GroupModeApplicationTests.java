package dev.ioloop.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.server.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import redis.clients.jedis.Jedis;

/** With {@code connection-loops=GROUP}, connections run on the starter's group and commands hop to the main loop. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {"sample.redis.port=0",
    "sample.redis.connection-loops=GROUP", "ioloop.group.enabled=true", "ioloop.group.threads=2"})
@DirtiesContext // close this context after the class, so two never share IOLoop.instance()
class GroupModeApplicationTests {

    @Autowired
    RedisServer server;

    @Test
    void clientsAreServedFromTheGroupWhileTheDataStaysOnTheMainLoop() {
        try (Jedis a = new Jedis("127.0.0.1", server.port()); Jedis b = new Jedis("127.0.0.1", server.port())) {
            assertThat(a.set("k", "v")).isEqualTo("OK");
            assertThat(b.get("k")).isEqualTo("v");
            assertThat(b.incr("n")).isEqualTo(1L);
            assertThat(a.incr("n")).isEqualTo(2L);
            assertThat(a.info("server")).contains("data_thread:ioloop-main");
        }
        assertThat(server.connectedClients()).isBetween(0, 2);
    }
}
