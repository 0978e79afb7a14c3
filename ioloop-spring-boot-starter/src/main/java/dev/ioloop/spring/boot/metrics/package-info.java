/**
 * Micrometer meters for the loops and the periodic callbacks, and the loop-lag probe. Threading: the probe's timer
 * runs on the loop; every Micrometer call happens off the loop threads (scrapes and the lag drain thread).
 */
@NullMarked
package dev.ioloop.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
