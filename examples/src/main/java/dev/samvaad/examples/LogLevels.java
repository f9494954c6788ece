package dev.samvaad.examples;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the level of Samvaad's loggers ({@code dev.samvaad.*}) for a command. The backend is
 * slf4j-simple (src/main/resources/simplelogger.properties: Samvaad at info, other libraries at
 * warn, ND4J's op-mapping chatter at error), which reads a logger's level once, when the logger is
 * made: loggers made from now on get it from a system property, those made already (a command
 * run in the same JVM before this one) have it set in place.
 */
final class LogLevels {
    static final String SAMVAAD = "dev.samvaad";
    private static final String PROPERTY = "org.slf4j.simpleLogger.log." + SAMVAAD;

    private LogLevels() {}

    static void apply(CommonFlags.LogLevel level) {
        System.setProperty(PROPERTY, level.name().toLowerCase(Locale.ROOT));
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals("org.slf4j.simple.SimpleLoggerFactory")) {
            return; // another backend: its own configuration decides
        }
        try {
            Field map = factory.getClass().getDeclaredField("loggerMap");
            map.setAccessible(true);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) map.get(factory)).entrySet()) {
                String name = String.valueOf(e.getKey());
                if (name.equals(SAMVAAD) || name.startsWith(SAMVAAD + ".")) {
                    setLevel((Logger) e.getValue(), level);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // An slf4j-simple without these fields: loggers made from now on still get the level.
        }
    }

    private static void setLevel(Logger logger, CommonFlags.LogLevel level) throws ReflectiveOperationException {
        Field current = logger.getClass().getDeclaredField("currentLogLevel");
        current.setAccessible(true);
        // slf4j-simple's levels: trace 0, debug 10, info 20, warn 30, error 40, off 50.
        current.setInt(logger, level.ordinal() * 10);
    }
}
