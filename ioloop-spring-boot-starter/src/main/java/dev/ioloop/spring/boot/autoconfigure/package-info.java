/**
 * Auto-configuration of the main loop, the loop group, their lifecycle and {@code @PeriodicCallback}, and the
 * {@code ioloop.*} properties. Threading: used by the container at startup only.
 */
@NullMarked
package dev.ioloop.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
