/**
 * The {@code ioloop} health indicator, one per loop. Threading: reads thread-safe state only; safe from any thread.
 */
@NullMarked
package dev.ioloop.spring.boot.health;

import org.jspecify.annotations.NullMarked;
