package io.tierflow.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything this JVM logs through SLF4J while attached, kept as text (level, logger, thread, message, MDC, stack
 * trace) so a test can look for what must never be logged. The named loggers are opened down to DEBUG while attached
 * (the console appender of logback-test.xml still prints INFO and above only), so a secret logged at debug is caught.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> {
    private final List<String> lines = new ArrayList<>();
    private final Map<Logger, Level> levelsBefore = new LinkedHashMap<>();

    private CapturedLogs() {
    }

    /** Starts capturing on the root logger, with {@code debugLoggers} at DEBUG. */
    static CapturedLogs attach(String... debugLoggers) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        CapturedLogs capture = new CapturedLogs();
        capture.setContext(context);
        capture.setName("captured-logs");
        capture.start();
        for (String name : debugLoggers) {
            Logger logger = context.getLogger(name);
            capture.levelsBefore.put(logger, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
        return capture;
    }

    /** Stops capturing and gives the loggers their levels back. */
    void detach() {
        LoggerContext context = (LoggerContext) getContext();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        levelsBefore.forEach(Logger::setLevel);
        stop();
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                .append(" [").append(event.getThreadName()).append("] ").append(event.getFormattedMessage());
        if (!event.getMDCPropertyMap().isEmpty()) {
            line.append(' ').append(event.getMDCPropertyMap());
        }
        if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        lines.add(line.toString());
    }

    /** The lines logged so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
