package custos.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * One address or CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}). Only literal addresses are
 * read, never host names: parsing must not ask DNS, or a configuration or a header could make the gateway wait on it.
 */
record IpRange(byte[] network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** An address or range; IllegalArgumentException with one sentence otherwise. */
    static IpRange parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        InetAddress address = literal(slash < 0 ? t : t.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("'" + t + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)"));
        if (address instanceof java.net.Inet4Address && t.indexOf(':') >= 0) {
            // The JDK reads ::ffff:a.b.c.d as the IPv4 address, and peers arrive that way too.
            throw new IllegalArgumentException("'" + t + "' is an IPv4-mapped IPv6 address; write it as IPv4 (e.g. 10.0.0.0/8)");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + t + "' has a prefix length outside 0.." + bits);
            }
            prefix = Integer.parseInt(p);
        }
        return new IpRange(address.getAddress(), prefix);
    }

    /** The address a literal names, or empty for anything else (a host name, a zone id, garbage). */
    static java.util.Optional<InetAddress> literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        // A colon makes the JDK read it as an IPv6 literal, never a name to look up.
        boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
        if (!v4 && !v6) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    /** True when the address lies in this range (an IPv4 address never lies in an IPv6 range, nor the reverse). */
    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefix == prefix && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            String host = InetAddress.getByAddress(network).getHostAddress();
            return prefix == network.length * 8 ? host : host + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
