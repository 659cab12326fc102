package custos.server.cli;

import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.NoteVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Where an outside checker reads a log: a server over HTTP or a directory mirror. Trouble reaching or reading it is
 * {@link CouldNotCheck}; only content the log itself signed or promised and that does not hold up is an
 * {@link InvalidProofException} (a verdict on the log).
 */
final class LogSources {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration READ = Duration.ofSeconds(60);

    private LogSources() {}

    /** The base URL of a running Custos, checked to be an absolute http(s) URL. */
    static URI serverUrl(String raw) {
        URI uri;
        try {
            uri = new URI(raw.replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw new CouldNotCheck("--server is not a URL: " + raw);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new CouldNotCheck("--server needs an http:// or https:// URL with a host, e.g. http://localhost:8080; got " + raw);
        }
        return uri;
    }

    static NoteVerifier key(String raw, String where) {
        try {
            return NoteVerifier.parse(raw.strip());
        } catch (InvalidProofException | RuntimeException e) {
            throw new CouldNotCheck(where + " is not a log verifier key (name+keyid+base64): " + e.getMessage());
        }
    }

    static String readFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new CouldNotCheck("no " + what + " file " + file);
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CouldNotCheck("cannot read the " + what + " file " + file + ": " + e.getMessage());
        }
    }

    /** A running Custos's log endpoints. */
    static final class Server implements LogAuditor.Source {
        private final URI base;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT).build();

        Server(URI base) {
            this.base = base;
        }

        URI base() {
            return base;
        }

        @Override
        public String checkpoint() {
            return new String(get("/log/checkpoint", true), StandardCharsets.UTF_8);
        }

        String key() {
            return new String(get("/log/key", true), StandardCharsets.UTF_8).strip();
        }

        @Override
        public byte[] read(String tilePath) throws InvalidProofException {
            byte[] body = get("/log/" + tilePath, false);
            if (body == null) {
                throw new InvalidProofException("the server does not serve " + tilePath + ", which its signed checkpoint covers");
            }
            return body;
        }

        /** The consistency proof's hashes; the roots it names are ignored, the caller has signed ones. */
        List<byte[]> consistency(long from, long to) throws InvalidProofException {
            byte[] body = get("/v1/log/proof/consistency?from=" + from + "&to=" + to, false);
            if (body == null) {
                throw new InvalidProofException("the server has no consistency proof from " + from + " to " + to
                        + " entries, although it signed both");
            }
            Object hashes;
            try {
                hashes = custos.server.http.Json.MAPPER.readValue(body, Map.class).get("hashes");
            } catch (IOException e) {
                throw new InvalidProofException("the consistency proof is not JSON");
            }
            if (!(hashes instanceof List<?> list)) throw new InvalidProofException("the consistency proof has no hashes");
            List<byte[]> out = new ArrayList<>();
            for (Object h : list) {
                try {
                    out.add(Base64.getDecoder().decode((String) h));
                } catch (RuntimeException e) {
                    throw new InvalidProofException("a consistency proof hash is not base64");
                }
            }
            return out;
        }

        /** The body of a 200; null for a 404 unless {@code required}; anything else could not be checked. */
        private byte[] get(String path, boolean required) {
            URI uri = URI.create(base + path);
            HttpResponse<byte[]> res;
            try {
                res = client.send(HttpRequest.newBuilder(uri).timeout(READ).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new CouldNotCheck("could not reach " + base + ": " + reason(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CouldNotCheck("interrupted while reading " + uri);
            }
            if (res.statusCode() == 200) return res.body();
            if (res.statusCode() == 404 && !required) return null;
            if (res.statusCode() == 404) {
                throw new CouldNotCheck(uri + " answered 404: is " + base + " a Custos log?");
            }
            throw new CouldNotCheck(uri + " answered " + res.statusCode() + "; try again later");
        }

        /** The JDK client wraps a refused connection in exceptions without messages: name the first known kind. */
        private static String reason(IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String kind = switch (t) {
                    case java.net.ConnectException c -> "connection refused";
                    case java.net.http.HttpTimeoutException x -> "timed out";
                    case java.net.UnknownHostException u -> "unknown host " + u.getMessage();
                    case java.nio.channels.ClosedChannelException c -> "connection closed";
                    default -> null;
                };
                if (kind != null) return kind;
            }
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
    }

    /** A directory mirror: checkpoint, key and tile/... files; a missing file means the mirror is incomplete. */
    static LogAuditor.Source mirror(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CouldNotCheck("no mirror directory " + dir);
        }
        return new LogAuditor.Source() {
            @Override
            public String checkpoint() {
                return readFile(dir.resolve("checkpoint"), "mirror's checkpoint");
            }

            @Override
            public byte[] read(String path) {
                Path file = dir.resolve(path);
                if (!Files.isRegularFile(file)) {
                    throw new CouldNotCheck("the mirror is incomplete: it has no " + path);
                }
                try {
                    return Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new CouldNotCheck("cannot read " + file + ": " + e.getMessage());
                }
            }
        };
    }
}
