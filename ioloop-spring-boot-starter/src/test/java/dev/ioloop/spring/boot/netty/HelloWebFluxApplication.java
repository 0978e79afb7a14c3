package dev.ioloop.spring.boot.netty;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The WebFlux "hello" application of the monitoring-overhead measurement ({@code ioloop-benchmarks/run-webflux-overhead.sh}):
 * Boot's WebFlux server on Reactor Netty's global loops, the starter, and {@code GET /hello} answered on the event
 * loop. Run it with {@code --ioloop.monitor.reactor-netty.enabled=true} or {@code false}. Not a test; lives with the
 * tests because they share its classpath (WebFlux is a test dependency of the starter).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class HelloWebFluxApplication {

    /** @return {@code hello}, on the Reactor Netty event loop that read the request */
    @GetMapping("/hello")
    String hello() {
        return "hello";
    }

    /**
     * Starts the application.
     * @param args Spring Boot arguments ({@code --server.port=8080 --ioloop.monitor.reactor-netty.enabled=false})
     */
    public static void main(String[] args) {
        new SpringApplicationBuilder(HelloWebFluxApplication.class).web(WebApplicationType.REACTIVE).run(args);
    }
}
