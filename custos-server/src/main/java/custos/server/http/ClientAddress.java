package custos.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The address a request comes from, as throttles and the access log count it. It is the socket's peer, unless that
 * peer is a {@linkplain TrustedProxies trusted proxy}: then it is the rightmost address in {@code X-Forwarded-For}
 * (or, when the request has none, RFC 7239 {@code Forwarded: for=}) that is not itself a trusted proxy. Everything
 * left of that address was written by the client and is ignored; a malformed or hidden entry ends the walk at the
 * last address known for sure. So only the operator's proxies can name a client, never the client itself.
 */
public record ClientAddress(String address) {
    private static final HeaderName FORWARDED = HeaderNames.create("Forwarded");

    /** The filter that works the address out once per request, before anything reads it. */
    public static Filter resolving(TrustedProxies trusted) {
        return (chain, req, res) -> {
            req.context().register(of(peer(req), req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of),
                    req.headers().all(FORWARDED, List::of), trusted));
            chain.proceed();
        };
    }

    /** The request's client address (the socket's peer for a request the filter has not seen). */
    public static String of(ServerRequest req) {
        return req.context().get(ClientAddress.class).map(ClientAddress::address)
                .orElseGet(() -> text(peer(req)));
    }

    /** The rule itself, on the peer and the header lines as received (in order). */
    static ClientAddress of(SocketAddress peer, List<String> forwardedFor, List<String> forwarded, TrustedProxies trusted) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null || !trusted.trusts(inet.getAddress())) {
            return new ClientAddress(text(peer));
        }
        List<String> hops = !forwardedFor.isEmpty() ? split(forwardedFor) : forwardedHops(forwarded);
        InetAddress known = inet.getAddress();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = hop(hops.get(i));
            if (hop.isEmpty()) {
                break; // a trusted proxy's hop we cannot read: nothing left of it is known either
            }
            known = hop.get();
            if (!trusted.trusts(known)) {
                break;
            }
        }
        return new ClientAddress(known.getHostAddress());
    }

    private static List<String> split(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String part : line.split(",", -1)) {
                hops.add(part.strip());
            }
        }
        return hops;
    }

    /** The {@code for=} value of each element of {@code Forwarded} (an element without one is an unreadable hop). */
    private static List<String> forwardedHops(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String element : split(lines)) {
            String value = "";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                    value = pair.substring(eq + 1).strip();
                }
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            hops.add(value);
        }
        return hops;
    }

    /**
     * One hop: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]} or
     * {@code [2001:db8::1]:4711}; empty for anything else ({@code unknown}, {@code _hidden}, names, garbage).
     */
    static Optional<InetAddress> hop(String text) {
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || !(close == t.length() - 1 || t.charAt(close + 1) == ':' && port(t.substring(close + 2)))) {
                return Optional.empty();
            }
            String inside = t.substring(1, close);
            return inside.indexOf(':') >= 0 ? IpRange.literal(inside) : Optional.empty();
        }
        int colon = t.indexOf(':');
        if (colon >= 0 && colon == t.lastIndexOf(':')) {
            // One colon: an IPv4 address with a port.
            return port(t.substring(colon + 1)) ? IpRange.literal(t.substring(0, colon)) : Optional.empty();
        }
        return IpRange.literal(t);
    }

    private static boolean port(String text) {
        return text.matches("[0-9]{1,5}");
    }

    private static SocketAddress peer(ServerRequest req) {
        return req.remotePeer().address();
    }

    private static String text(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(peer);
    }
}
