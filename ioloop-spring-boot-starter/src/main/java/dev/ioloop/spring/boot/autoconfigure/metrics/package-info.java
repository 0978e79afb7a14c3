/**
 * Auto-configuration of the ioloop meters. Threading: used by the container at startup only.
 */
@NullMarked
package dev.ioloop.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
