package dev.ioloop.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Gives each test a fresh {@link dev.ioloop.IOLoop} running on its own thread, and fails the test for
 * what a loop test must not leave behind: Tornado's {@code AsyncTestCase}, for JUnit 5.
 *
 * <pre>{@code
 * @IOLoopTest
 * class EchoServerTests {
 *     @Test
 *     void echoesALine(RunningLoop loop) throws Exception {
 *         UnusedPort port = UnusedPort.bind();
 *         new TCPServer((stream, address) -> stream.readUntil(NEWLINE).thenCompose(stream::write))
 *                 .addSocket(port.channel());
 *         byte[] echoed = loop.runSync(() -> new TCPClient().connect("127.0.0.1", port.port())
 *                 .thenCompose(client -> client.write(LINE).thenCompose(written -> client.readUntil(NEWLINE))));
 *         assertThat(echoed).isEqualTo(LINE);
 *     }
 * }
 * }</pre>
 *
 * <p>For each test, {@link IOLoopExtension}:
 * <ul>
 *   <li>builds a loop named {@link #name()} (on a {@link FakeClock} with {@link #fakeClock()}), starts it on
 *       a thread of the same name, and makes it the test thread's {@code IOLoop.current()} (unless
 *       {@link #makeCurrent()} is false), so that {@code new TCPServer(...)} and {@code new TCPClient()} on
 *       the test thread use it. On the loop thread it is current anyway;
 *   <li>injects it into test and lifecycle method parameters of type {@link RunningLoop} (the loop with
 *       its helpers), {@link dev.ioloop.IOLoop}, and {@link FakeClock};
 *   <li>after the test, stops it, closes it with every channel still registered, restores the test
 *       thread's current loop, and fails the test if a callback threw, if anything was logged at WARN or
 *       ERROR that no {@link ExpectLog} expected, if the loop thread died, or if it did not stop.
 * </ul>
 *
 * <p>The attributes on a method override those on its class. Tests of this kind run one at a time even
 * under JUnit's parallel mode (a {@link ResourceLock} on {@value #LOGS_RESOURCE}): the log records they are
 * judged by are global to the JVM.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IOLoopExtension.class)
@ResourceLock(IOLoopTest.LOGS_RESOURCE)
public @interface IOLoopTest {

    /** The resource that tests judged by the JVM's log records lock. */
    String LOGS_RESOURCE = "dev.ioloop.test.logs";

    /**
     * The loop's name, which its thread also takes.
     *
     * @return a non-blank name
     */
    String name() default "test-loop";

    /**
     * Whether the loop runs on a {@link FakeClock} (injected as a parameter; moved by
     * {@link RunningLoop#advance}) instead of the system clock.
     *
     * @return true for a fake clock
     */
    boolean fakeClock() default false;

    /**
     * Whether the loop becomes the test thread's {@code IOLoop.current()} for the test (Tornado's
     * {@code AsyncTestCase} makes its loop current). Turn it off to test code that creates loops of its own
     * and expects the thread to have none.
     *
     * @return true to make it current
     */
    boolean makeCurrent() default true;
}
