/**
 * The {@link dev.ioloop.spring.boot.scheduling.PeriodicCallback @PeriodicCallback} annotation, its post-processor
 * (also Spring's {@code ScheduledTaskHolder} for {@code /actuator/scheduledtasks}), the observation of each run
 * ({@code ioloop.periodic}: context and conventions), the failure analyzer, the lazy-initialisation filter, and the
 * reporter used when {@code ioloop.enabled=false}. Threading: callbacks run on their loop's thread; their statistics
 * are written there only and read from any thread.
 */
@NullMarked
package dev.ioloop.spring.boot.scheduling;

import org.jspecify.annotations.NullMarked;
