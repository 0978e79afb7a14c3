/**
 * Spring Boot test support: {@link dev.ioloop.test.autoconfigure.AutoConfigureIOLoop} adds the starter's loops
 * to a test slice. Needs spring-boot-autoconfigure (an optional dependency of this module) and
 * ioloop-spring-boot-starter on the test classpath.
 *
 * <p>Threading: annotations only; Spring reads them while it builds the test's context.
 */
@NullMarked
package dev.ioloop.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
