package custos.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** A failure repeated thousands of times is a few lines: the first with its stack trace, one per interval, one on recovery. */
@Timeout(30)
class RepeatedFailureTest {

    @Test
    void thousandsOfFailuresAreAFewLinesAndRecoveryIsSaid() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("custos.test.repeated");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
        try {
            RepeatedFailure failure = new RepeatedFailure(logger, "the store is down", Duration.ofSeconds(2));
            for (int i = 0; i < 5_000; i++) failure.failed(new IllegalStateException("connection refused"));
            assertThat(lines.list).singleElement().satisfies(e -> {
                assertThat(e.getFormattedMessage()).isEqualTo("the store is down: java.lang.IllegalStateException: connection refused");
                assertThat(e.getThrowableProxy()).as("the first carries its stack trace").isNotNull();
            });
            Thread.sleep(2_100);
            failure.failed(new IllegalStateException("connection refused"));
            assertThat(lines.list).hasSize(2);
            assertThat(lines.list.get(1).getFormattedMessage()).startsWith("the store is down: still failing, 5000 more times in the last ");
            assertThat(lines.list.get(1).getThrowableProxy()).isNull();
            failure.succeeded();
            failure.succeeded();
            assertThat(lines.list).hasSize(3);
            assertThat(lines.list.get(2).getFormattedMessage()).startsWith("the store is down: works again after 5001 failures over ");
            assertThat(failure.failures()).isZero();
        } finally {
            logger.detachAppender(lines);
        }
    }
}
