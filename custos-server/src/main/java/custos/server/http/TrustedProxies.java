package custos.server.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The proxies whose forwarding headers are believed ({@code proxy.trusted}): comma-separated addresses and CIDR
 * ranges. Empty (the default) believes no header, so a client can never choose the address it is counted under.
 */
public record TrustedProxies(List<IpRange> ranges) {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    public TrustedProxies {
        ranges = List.copyOf(ranges);
    }

    /** Reads {@code 10.0.0.0/8, 192.0.2.7, 2001:db8::/32}; an empty text is none; IllegalArgumentException otherwise. */
    public static TrustedProxies parse(String text) {
        List<IpRange> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                if (text.isBlank()) {
                    continue;
                }
                throw new IllegalArgumentException("an empty entry in '" + text + "' (separate addresses and ranges by one comma)");
            }
            ranges.add(IpRange.parse(part));
        }
        return new TrustedProxies(ranges);
    }

    public boolean trusts(InetAddress address) {
        return ranges.stream().anyMatch(r -> r.contains(address));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return ranges.stream().map(IpRange::toString).collect(Collectors.joining(","));
    }
}
