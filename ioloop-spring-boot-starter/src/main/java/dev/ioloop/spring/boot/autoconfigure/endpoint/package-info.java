/**
 * Auto-configuration of the {@code ioloop} actuator endpoint. Threading: used by the container at startup only.
 */
@NullMarked
package dev.ioloop.spring.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
