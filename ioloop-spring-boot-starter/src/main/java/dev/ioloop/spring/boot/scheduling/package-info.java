/**
 * The {@link dev.ioloop.spring.boot.scheduling.PeriodicCallback @PeriodicCallback} annotation, its post-processor,
 * failure analyzer and lazy-initialisation filter. Threading: callbacks run on their loop's thread; their statistics
 * are written there only and read from any thread.
 */
@NullMarked
package dev.ioloop.spring.boot.scheduling;

import org.jspecify.annotations.NullMarked;
