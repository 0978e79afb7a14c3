package dev.ioloop.spring.boot.lifecycle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loops stop after the web server: a request in flight at shutdown is completed by the main loop while the
 * server drains, and the loop still runs callbacks after the server has stopped.
 */
class ShutdownOrderTests {

    @Test
    void loopStopsOnlyAfterTheWebServerHasDrainedAndStopped() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
            .properties("server.port=0", "ioloop.group.enabled=true", "ioloop.group.threads=1", "spring.main.banner-mode=off")
            .run();
        IOLoop loop = context.getBean(IOLoop.class);
        Recorder recorder = context.getBean(Recorder.class);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        recorder.port = port;
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(recorder.requestArrived.await(30, TimeUnit.SECONDS)).isTrue();

        context.close();

        HttpResponse<String> completed = response.get(30, TimeUnit.SECONDS);
        assertThat(completed.statusCode()).isEqualTo(200);
        assertThat(completed.body()).isEqualTo("completed on ioloop-main");
        assertThat(recorder.events).containsExactly("request completed by the loop",
                "web server accepts connections: false, loop running: true", "loop ran a callback queued after the web server stopped");
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.isClosed()).isTrue();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Recorder recorder(IOLoop loop) {
            return new Recorder(loop);
        }

        @Bean
        SlowController slowController(IOLoop loop, Recorder recorder) {
            return new SlowController(loop, recorder);
        }
    }

    /**
     * Stops in the phase just above the loops' (after the web server's phases, right before the loops): records
     * whether the server still accepts connections and whether the loop still runs, then queues a callback.
     */
    static class Recorder implements SmartLifecycle {

        final List<String> events = new CopyOnWriteArrayList<>();

        final CountDownLatch requestArrived = new CountDownLatch(1);

        private final IOLoop loop;

        private volatile boolean running;

        volatile int port;

        Recorder(IOLoop loop) {
            this.loop = loop;
        }

        @Override
        public void start() {
            this.running = true;
        }

        @Override
        public void stop() {
            this.events.add("web server accepts connections: " + accepts(this.port) + ", loop running: "
                    + this.loop.isRunning());
            this.loop.addCallback(() -> this.events.add("loop ran a callback queued after the web server stopped"));
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

        @Override
        public int getPhase() {
            return IOLoopLifecycle.PHASE + 1;
        }

        private static boolean accepts(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                return true;
            }
            catch (IOException ex) {
                return false;
            }
        }
    }

    @RestController
    static class SlowController {

        private final IOLoop loop;

        private final Recorder recorder;

        SlowController(IOLoop loop, Recorder recorder) {
            this.loop = loop;
            this.recorder = recorder;
        }

        @GetMapping("/slow")
        CompletableFuture<String> slow() {
            CompletableFuture<String> result = new CompletableFuture<>();
            // Completed by the loop well after shutdown has begun: only a loop that outlives the drain can do it.
            this.loop.callLater(Duration.ofMillis(500), () -> {
                this.recorder.events.add("request completed by the loop");
                result.complete("completed on " + Thread.currentThread().getName());
            });
            this.recorder.requestArrived.countDown();
            return result;
        }
    }
}
