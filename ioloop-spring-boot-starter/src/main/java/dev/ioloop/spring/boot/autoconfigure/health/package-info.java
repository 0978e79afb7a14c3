/**
 * Auto-configuration of the {@code ioloop} health contributor. Threading: used by the container at startup only.
 */
@NullMarked
package dev.ioloop.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
