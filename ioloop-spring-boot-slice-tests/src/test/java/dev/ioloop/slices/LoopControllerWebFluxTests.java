package dev.ioloop.slices;

import dev.ioloop.IOLoop;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @WebFluxTest} of the same controller gets the loop too. */
@WebFluxTest(LoopController.class)
class LoopControllerWebFluxTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private IOLoop loop;

    @Test
    void theControllerRunsItsWorkOnTheStartersMainLoop() {
        client.get().uri("/greet/bob").exchange().expectStatus().isOk().expectBody(String.class)
                .isEqualTo("hello bob from ioloop-main");
        assertThat(loop.isRunning()).isTrue();
    }
}
