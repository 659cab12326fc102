package custos.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which address a request is counted under: forwarding headers count only from a trusted proxy, and then only the
 * hops the trusted proxies vouch for (the rightmost untrusted address), so a client can never pick its own.
 */
@Timeout(10)
class ClientAddressTest {
    static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 2001:db8:ffff::/48");

    @Test
    void anUntrustedPeersForwardingHeadersAreIgnored() {
        assertThat(address("198.51.100.9", List.of("203.0.113.5"), List.of("for=203.0.113.6"), PROXIES)).isEqualTo("198.51.100.9");
        assertThat(address("10.1.2.3", List.of("203.0.113.5"), List.of(), TrustedProxies.NONE)).isEqualTo("10.1.2.3");
    }

    @Test
    void aTrustedProxysXForwardedForNamesTheClient() {
        assertThat(address("10.1.2.3", List.of("203.0.113.5"), List.of(), PROXIES)).isEqualTo("203.0.113.5");
    }

    @Test
    void inAChainTheRightmostAddressThatIsNotATrustedProxyIsTheClient() {
        // The client wrote 192.0.2.66 itself; its own proxy-facing address is 203.0.113.5, then two of ours.
        assertThat(address("10.0.0.1", List.of("192.0.2.66, 203.0.113.5, 10.9.9.9", "10.8.8.8"), List.of(), PROXIES))
                .isEqualTo("203.0.113.5");
        // Every hop is one of ours: the leftmost is as far as anyone vouches.
        assertThat(address("10.0.0.1", List.of("10.2.2.2, 10.3.3.3"), List.of(), PROXIES)).isEqualTo("10.2.2.2");
    }

    @Test
    void aMalformedHopEndsTheWalkAtTheLastAddressKnownForSure() {
        assertThat(address("10.0.0.1", List.of("203.0.113.5, not-an-address"), List.of(), PROXIES)).isEqualTo("10.0.0.1");
        assertThat(address("10.0.0.1", List.of("garbage, 10.4.4.4"), List.of(), PROXIES)).isEqualTo("10.4.4.4");
        assertThat(address("10.0.0.1", List.of(""), List.of(), PROXIES)).isEqualTo("10.0.0.1");
        // A host name is never looked up: it is not an address.
        assertThat(address("10.0.0.1", List.of("localhost"), List.of(), PROXIES)).isEqualTo("10.0.0.1");
        assertThat(address("10.0.0.1", List.of("203.0.113.5:99999999"), List.of(), PROXIES)).isEqualTo("10.0.0.1");
    }

    @Test
    void portsAndIpv6FormsAreRead() {
        assertThat(address("10.0.0.1", List.of("203.0.113.5:4711"), List.of(), PROXIES)).isEqualTo("203.0.113.5");
        assertThat(address("10.0.0.1", List.of("2001:db8:cafe::17"), List.of(), PROXIES)).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(address("10.0.0.1", List.of("[2001:db8:cafe::17]:4711"), List.of(), PROXIES)).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        // An IPv6 proxy in the trusted range, and a client address inside another IPv6 range.
        assertThat(address("2001:db8:ffff::1", List.of("2001:db8:cafe::17, 2001:db8:ffff::2"), List.of(), PROXIES))
                .isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(address("2001:db8:fffe::1", List.of("203.0.113.5"), List.of(), PROXIES)).isEqualTo("2001:db8:fffe:0:0:0:0:1");
        assertThat(address("10.0.0.1", List.of("[2001:db8::1"), List.of(), PROXIES)).isEqualTo("10.0.0.1");
    }

    @Test
    void rfc7239ForwardedIsReadWhenThereIsNoXForwardedFor() {
        assertThat(address("10.0.0.1", List.of(), List.of("for=192.0.2.43;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1"),
                PROXIES)).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(address("10.0.0.1", List.of(), List.of("For=\"203.0.113.5\", for=10.7.7.7"), PROXIES)).isEqualTo("203.0.113.5");
        assertThat(address("10.0.0.1", List.of(), List.of("for=unknown"), PROXIES)).isEqualTo("10.0.0.1");
        assertThat(address("10.0.0.1", List.of(), List.of("for=_hidden, for=10.7.7.7"), PROXIES)).isEqualTo("10.7.7.7");
        assertThat(address("10.0.0.1", List.of(), List.of("proto=https"), PROXIES)).isEqualTo("10.0.0.1");
        // A proxy that appends X-Forwarded-For and passes Forwarded through: the client's Forwarded is not believed.
        assertThat(address("10.0.0.1", List.of("203.0.113.5"), List.of("for=192.0.2.1"), PROXIES)).isEqualTo("203.0.113.5");
    }

    @Test
    void rangesMatchByPrefixAndNeverAcrossFamilies() {
        assertThat(TrustedProxies.parse("192.0.2.128/25").trusts(ip("192.0.2.200"))).isTrue();
        assertThat(TrustedProxies.parse("192.0.2.128/25").trusts(ip("192.0.2.127"))).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts(ip("2001:db8::1"))).isFalse();
        assertThat(TrustedProxies.parse("::/0").trusts(ip("2001:db8::1"))).isTrue();
        assertThat(TrustedProxies.parse("10.0.0.0/8, 0.0.0.0/0").trusts(ip("203.0.113.1"))).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse("::ffff:10.0.0.0/104"))
                .hasMessage("'::ffff:10.0.0.0/104' is an IPv4-mapped IPv6 address; write it as IPv4 (e.g. 10.0.0.0/8)");
    }

    private static java.net.InetAddress ip(String literal) {
        return IpRange.literal(literal).orElseThrow();
    }

    private static String address(String peer, List<String> xff, List<String> forwarded, TrustedProxies trusted) {
        return ClientAddress.of(new InetSocketAddress(ip(peer), 40_000), xff, forwarded, trusted).address();
    }
}
