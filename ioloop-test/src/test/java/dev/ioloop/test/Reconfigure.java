package dev.ioloop.test;

/** Resets a backend's configuration as Spring Boot's logging system does when an application starts. */
final class Reconfigure {

    private Reconfigure() {
    }

    static void reset(LogBackend backend) {
        switch (backend.describe()) {
            case "Logback" -> {
                ch.qos.logback.classic.LoggerContext context =
                        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
                context.reset();
                try {
                    new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
                } catch (ch.qos.logback.core.joran.spi.JoranException e) {
                    throw new IllegalStateException(e);
                }
            }
            case "Log4j 2" -> ((org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager
                    .getContext(false)).reconfigure();
            case "java.util.logging" -> {
                try {
                    java.util.logging.LogManager.getLogManager().readConfiguration();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            default -> throw new IllegalArgumentException(backend.describe());
        }
    }
}
