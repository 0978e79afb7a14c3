package dev.ioloop.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Adds ioloop-spring-boot-starter's loops to a Spring Boot test slice that does not include them, such as
 * {@code @JsonTest}, {@code @DataRedisTest} or {@code @RestClientTest}: the main {@code IOLoop} (and the
 * {@code IOLoopGroup} with {@code ioloop.group.enabled=true}), running, with {@code @PeriodicCallback}
 * processing. As Boot's own {@code @AutoConfigure...} annotations do, it imports the auto-configurations
 * listed in {@code META-INF/spring/dev.ioloop.test.autoconfigure.AutoConfigureIOLoop.imports}, which the
 * starter ships.
 *
 * <pre>{@code
 * @JsonTest
 * @AutoConfigureIOLoop
 * class QuoteJsonTests {
 *     @Autowired IOLoop loop;
 * }
 * }</pre>
 *
 * <p>{@code @WebMvcTest} and {@code @WebFluxTest} include the loops without it (the starter lists its
 * auto-configuration in those slices, as Boot's own modules do). Metrics, health and the actuator endpoint
 * stay out of slices, as Boot's own actuator support does.
 *
 * <p>Needs {@code dev.ioloop:ioloop-spring-boot-starter} on the test classpath: without it the context fails
 * to start with a message that says so.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@Import(StarterPresent.class)
public @interface AutoConfigureIOLoop {
}
