package custos.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The public URL an operator gives: what is accepted, how it is written, and the one line a bad value gets. */
class PublicUrlTest {

    @Test
    @Timeout(10)
    void anOriginIsAcceptedWithOrWithoutItsTrailingSlashAndWrittenWithoutIt() {
        assertThat(PublicUrl.parse("https://custos.example.com").toString()).isEqualTo("https://custos.example.com");
        assertThat(PublicUrl.parse("https://custos.example.com/")).isEqualTo(PublicUrl.parse("https://custos.example.com"));
        assertThat(PublicUrl.parse(" HTTPS://Custos.Example.com:8443/ ").toString()).isEqualTo("https://custos.example.com:8443");
        assertThat(PublicUrl.parse("http://10.0.0.7:8080").toString()).isEqualTo("http://10.0.0.7:8080");
        assertThat(PublicUrl.parse("https://custos.example.com").resolve("/oauth2/token"))
                .isEqualTo("https://custos.example.com/oauth2/token");
    }

    @Test
    @Timeout(10)
    void httpsIsSecureAndHttpIsNot() {
        assertThat(PublicUrl.parse("https://custos.example.com").secure()).isTrue();
        assertThat(PublicUrl.parse("http://custos.example.com").secure()).isFalse();
        assertThat(PublicUrl.localhost(8080).toString()).isEqualTo("http://localhost:8080");
        assertThat(PublicUrl.localhost(8080).secure()).isFalse();
        assertThat(PublicUrl.localhost(0).toString()).as("a server on port 0 before it listens").isEqualTo("http://localhost:0");
    }

    @Test
    @Timeout(10)
    void badValuesAreRefusedWithTheirReasonOnOneLine() {
        refused("ftp://custos.example.com", "the scheme must be http or https, not ftp");
        refused("custos.example.com", "absolute http or https URL");
        refused("localhost:8080", "absolute http or https URL");
        refused("https://custos.example.com/?x=1", "query or a fragment");
        refused("https://custos.example.com#top", "query or a fragment");
        refused("https://custos.example.com/custos", "without a path");
        refused("https://custos.example.com//", "without a path");
        refused("https://admin:pw@custos.example.com", "user name or password");
        refused("https:///nohost", "no host");
        refused("https://custos.example.com:0", "out of range");
        refused("https://custos example.com", "not a URL");
        assertThatThrownBy(() -> PublicUrl.parse("  ")).hasMessageContaining("empty");
    }

    @Property(tries = 200)
    void aTrailingSlashNeverChangesTheUrl(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String label,
                                          @ForAll @IntRange(min = 1, max = 65535) int port, @ForAll boolean https) {
        String origin = (https ? "https" : "http") + "://" + label + ".example:" + port;
        PublicUrl url = PublicUrl.parse(origin);
        assertThat(PublicUrl.parse(origin + "/")).isEqualTo(url);
        assertThat(url.secure()).isEqualTo(https);
        assertThat(url.resolve("/x")).isEqualTo(origin.toLowerCase(java.util.Locale.ROOT) + "/x");
    }

    private static void refused(String value, String reason) {
        assertThatThrownBy(() -> PublicUrl.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("public URL " + value.strip() + " refused: ").hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
