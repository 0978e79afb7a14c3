package dev.ioloop.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.netty.RingSockets;
import dev.ioloop.sample.server.RedisServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import redis.clients.jedis.Jedis;

/**
 * The sample app as a user starts it on io_uring ({@code --ioloop.backend=netty-io-uring}): its loops on Netty's
 * io_uring event loops, its Redis server accepting, reading and sending through the ring, a real client served,
 * and the context's close ending each loop on its own thread (io_uring refuses a shutdown from any other).
 */
@ExtendWith(OutputCaptureExtension.class)
class IoUringApplicationTests {

    @Test
    void theServerRunsOnTheRingAndTheContextClosesCleanly(CapturedOutput output) {
        Assumptions.assumeTrue(RingSockets.isAvailable(), () -> "io_uring cannot be used here: "
                + RingSockets.unavailabilityCause());
        SpringApplication app = new SpringApplication(SampleApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = app.run("--ioloop.backend=netty-io-uring",
                "--sample.redis.port=0", "--sample.redis.connection-loops=GROUP", "--ioloop.group.enabled=true",
                "--ioloop.group.threads=2")) {
            assertThat(context.getBean(IOLoop.class).stats().backend()).isEqualTo("netty-io_uring");
            assertThat(context.getBean(IOLoopGroup.class).loops())
                    .allSatisfy(loop -> assertThat(loop.stats().backend()).isEqualTo("netty-io_uring"));
            int port = context.getBean(RedisServer.class).port();
            try (Jedis a = new Jedis("127.0.0.1", port); Jedis b = new Jedis("127.0.0.1", port)) {
                assertThat(a.set("ring", "value")).isEqualTo("OK");
                assertThat(b.get("ring")).isEqualTo("value");
                assertThat(b.incr("n")).isEqualTo(1L);
                assertThat(a.incr("n")).isEqualTo(2L);
            }
        }
        assertThat(output).contains("Started 3 IOLoops (netty-io_uring backend)")
                .doesNotContain("failed to shut down").doesNotContain("ERROR");
    }
}
