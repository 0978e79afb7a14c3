package dev.ioloop.spring.boot.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * One blocked-loop event seen by the watchdog: when it was seen, on which loop and thread, and the loop thread's
 * stack at that moment. Immutable.
 *
 * @param time when the watchdog saw the iteration over its threshold
 * @param loop the loop's name
 * @param thread the loop thread's name
 * @param thresholdMillis the watchdog threshold that was exceeded, in milliseconds
 * @param blockedMillis how long the loop had been blocked when the watchdog saw it, in milliseconds (the watchdog's
 *     own measure: at least the threshold)
 * @param stack the loop thread's stack, innermost frame first
 */
public record BlockedLoopReport(Instant time, String loop, String thread, long thresholdMillis, long blockedMillis,
        List<String> stack) {
}
