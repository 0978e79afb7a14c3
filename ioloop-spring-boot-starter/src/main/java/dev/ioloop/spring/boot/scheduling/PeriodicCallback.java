package dev.ioloop.spring.boot.scheduling;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Runs the annotated bean method periodically on an I/O loop, through a core
 * {@link dev.ioloop.PeriodicCallback dev.ioloop.PeriodicCallback} (same schedule: missed runs are skipped, never
 * run back to back).
 *
 * <pre>{@code
 * @Component
 * class Housekeeping {
 *     @PeriodicCallback(period = "${housekeeping.period:10s}", jitter = "0.1")
 *     void evictExpired() { ... }                      // runs on thread ioloop-main
 * }
 * }</pre>
 *
 * <p>The method takes no parameters. It runs on the loop's thread, so it must not block. If it returns a
 * {@link java.util.concurrent.CompletionStage}, it is not run again before that stage completes (the periods that
 * fall in between are counted as skipped). An exception is logged and counted; the next run still happens.
 *
 * <p>Callbacks start when the application context is refreshed and are cancelled when their bean is destroyed.
 * They work on AOP proxies, and their beans are created eagerly even with lazy initialisation. An invalid method or
 * attribute fails startup with a message naming the attribute, the method and the value.
 *
 * <p>Ahead-of-time processing and native images: like {@code @Scheduled}, the annotation is {@link Reflective}, so
 * Spring's AOT processing registers a reflection hint to invoke each annotated method of a bean.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface PeriodicCallback {

    /**
     * Time between runs, as a Duration string: {@code "500ms"}, {@code "10s"}, {@code "PT1M"}, or a plain number of
     * milliseconds. {@code ${...}} placeholders are resolved. Must be positive.
     * @return the period
     */
    String period();

    /**
     * Jitter as a fraction of the period, {@code 0} to {@code 1}: each period is drawn from a window of
     * {@code jitter * period} centred on it. A number or a {@code ${...}} placeholder. Default {@code "0"}.
     * @return the jitter
     */
    String jitter() default "0";

    /**
     * Delay before the first run, as a Duration string (placeholders resolved); must not be negative. Empty (the
     * default): the first run comes one period after the context is refreshed.
     * @return the initial delay, or empty
     */
    String initialDelay() default "";

    /**
     * The loop to run on: {@code "main"} (the default, thread {@code ioloop-main}), {@code "group"} (one loop of the
     * group, chosen round-robin when the bean is created, then fixed), or the name of a group loop such as
     * {@code "ioloop-2"}. Placeholders are resolved.
     * @return the loop's name
     */
    String loop() default "main";
}
