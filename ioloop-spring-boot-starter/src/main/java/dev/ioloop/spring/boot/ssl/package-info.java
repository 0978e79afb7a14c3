/**
 * TLS for ioloop's TCP servers and clients from Spring Boot's SSL bundles ({@code spring.ssl.bundle.*}).
 *
 * <p>Threading: stateless helpers, safe from any thread.
 */
@NullMarked
package dev.ioloop.spring.boot.ssl;

import org.jspecify.annotations.NullMarked;
