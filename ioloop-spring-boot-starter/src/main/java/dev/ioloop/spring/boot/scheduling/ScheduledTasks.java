package dev.ioloop.spring.boot.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.config.FixedRateTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Makes Spring's {@link ScheduledTask} for a periodic callback, so that {@code /actuator/scheduledtasks} lists it.
 * {@code ScheduledTask} has no public constructor; {@link ScheduledTaskRegistrar#scheduleFixedRateTask} is the public
 * way to get one, and it asks a {@link TaskScheduler} for the task's future. The scheduler given here schedules
 * nothing (the loop runs the schedule): it hands back the callback's own future.
 */
final class ScheduledTasks {

    private ScheduledTasks() {
    }

    /**
     * @param task the task Spring describes
     * @param future the callback's future: next run and cancellation
     * @return a scheduled task over both
     */
    static ScheduledTask of(FixedRateTask task, ScheduledFuture<?> future) {
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
        registrar.setTaskScheduler(new HandBack(future));
        ScheduledTask scheduled = registrar.scheduleFixedRateTask(task);
        if (scheduled == null) { // only for a task this (new) registrar had seen before
            throw new IllegalStateException("ScheduledTaskRegistrar returned no ScheduledTask for " + task);
        }
        return scheduled;
    }

    /** Answers the registrar's fixed-rate requests with the given future; nothing else is ever asked of it. */
    private record HandBack(ScheduledFuture<?> future) implements TaskScheduler {

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
            return this.future;
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
            return this.future;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
            throw unsupported();
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
            throw unsupported();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
            throw unsupported();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
            throw unsupported();
        }

        private static UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException(
                    "Only hands back a @PeriodicCallback's future to ScheduledTaskRegistrar; the loop runs schedules");
        }
    }
}
