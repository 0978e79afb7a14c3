package dev.ioloop.slices;

import java.util.concurrent.CompletableFuture;

import dev.ioloop.IOLoop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller that hands its work to the loop, as a gateway does: the reply is computed on the loop thread.
 * Works under Spring MVC (async request) and WebFlux alike.
 */
@RestController
class LoopController {

    private final IOLoop loop;

    LoopController(IOLoop loop) {
        this.loop = loop;
    }

    @GetMapping("/greet/{name}")
    CompletableFuture<String> greet(@PathVariable String name) {
        return CompletableFuture.supplyAsync(() -> "hello " + name + " from " + Thread.currentThread().getName(), loop);
    }
}
