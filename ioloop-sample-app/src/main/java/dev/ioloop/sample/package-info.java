/**
 * The Spring Boot application: {@link dev.ioloop.sample.SampleApplication} and the configuration that runs the
 * Redis-protocol server on an I/O loop, with its cron, meters and health.
 *
 * <p>Threading: beans are created on the main thread; the server and its data live on the loop's thread.
 */
@NullMarked
package dev.ioloop.sample;

import org.jspecify.annotations.NullMarked;
