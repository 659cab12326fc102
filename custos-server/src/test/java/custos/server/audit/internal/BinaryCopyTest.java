package custos.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** The binary COPY payload is what PostgreSQL reads back: integers, bytea, NULL, UTF-8 text and microsecond timestamps. */
class BinaryCopyTest {

    @Test
    void rowsWrittenInBinaryCopyFormatReadBackUnchanged() throws Exception {
        Instant at = Instant.parse("2026-11-22T21:14:05.123456Z");
        Instant beforeEpoch = Instant.parse("1999-12-31T23:59:59.999999Z");
        byte[] payload = new BinaryCopy(64)
                .row(4).int8(Long.MAX_VALUE).bytea(new byte[] {0, 1, (byte) 0xff}).text("Zoë ✓").timestamptz(at)
                .row(4).int8(-7).bytea(null).text("").timestamptz(beforeEpoch)
                .finish();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("create temporary table copied (n bigint, b bytea, t text, at timestamptz)");
            }
            long rows = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy copied from stdin (format binary)", new ByteArrayInputStream(payload));
            assertThat(rows).isEqualTo(2);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select n, b, t, at from copied order by n desc")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(Long.MAX_VALUE);
                assertThat(rs.getBytes(2)).containsExactly(0, 1, 0xff);
                assertThat(rs.getString(3)).isEqualTo("Zoë ✓");
                assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(at);
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(-7);
                assertThat(rs.getBytes(2)).isNull();
                assertThat(rs.getString(3)).isEmpty();
                assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(beforeEpoch);
            }
        }
    }
}
