/**
 * The {@code ioloop} actuator endpoint. Threading: reads thread-safe state only; safe from any thread.
 */
@NullMarked
package dev.ioloop.spring.boot.endpoint;

import org.jspecify.annotations.NullMarked;
