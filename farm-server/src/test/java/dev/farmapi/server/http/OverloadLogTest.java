package dev.farmapi.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of an attack: however many requests are refused or clients cut, the log
 * gets one WARN line when it starts, then at most one per interval with the counts, and one line
 * when it is over.
 */
class OverloadLogTest {
  private static final Duration INTERVAL = Duration.ofMillis(300);

  private final Logger logger = (Logger) LoggerFactory.getLogger(OverloadLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void listen() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(lines);
  }

  @Test
  void aFloodOfEventsIsOneWarnLineAtOnceThenOnePerIntervalWithCountsThenTheEnd()
      throws Exception {
    OverloadLog log = new OverloadLog(INTERVAL);

    for (int i = 0; i < 1000; i++) {
      log.record(OverloadLog.Event.OVERLOADED);
    }
    log.record(OverloadLog.Event.BODY_CUT);
    log.record(OverloadLog.Event.BODY_CUT);
    log.flush(); // within the interval: nothing more yet

    assertThat(messages()).hasSize(1);
    assertThat(messages().get(0)).startsWith("WARN overload: 1 requests refused with 503 (server"
        + " at its limit of requests); at most one such line per ");

    Thread.sleep(INTERVAL.toMillis() + 50);
    log.flush();
    List<String> second = messages();
    assertThat(second).hasSize(2);
    assertThat(second.get(1)).startsWith("WARN overload goes on: 999 requests refused with 503"
        + " (server at its limit of requests), 2 slow or silent request bodies cut with 408 in"
        + " the last ");

    Thread.sleep(INTERVAL.toMillis() + 50);
    log.flush();
    assertThat(messages()).hasSize(3);
    assertThat(messages().get(2)).startsWith("INFO overload over: no request refused");

    Thread.sleep(INTERVAL.toMillis() + 50);
    log.flush(); // quiet and over: nothing to say
    log.record(OverloadLog.Event.FARM_SHARE); // a new episode is told at once
    assertThat(messages()).hasSize(4);
    assertThat(messages().get(3)).startsWith("WARN overload: 1 requests refused with 429");
  }

  private List<String> messages() {
    return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }
}
