package custos.server.witness;

import custos.audit.CosignatureSigner;
import custos.audit.InvalidProofException;
import custos.audit.CosignatureVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's witnesses ({@code custos demo --witnesses N}): keys and state under {@code DATA/witnesses/}, kept across
 * restarts, each on a free local port, started once the gateway's log key is known.
 */
public final class DemoWitnesses {
    private final Path dir;
    private final List<Path> keys;
    private final List<Integer> ports;
    private final List<WitnessPeer> peers;

    private DemoWitnesses(Path dir, List<Path> keys, List<Integer> ports, List<WitnessPeer> peers) {
        this.dir = dir;
        this.keys = keys;
        this.ports = ports;
        this.peers = peers;
    }

    /** Makes (or reuses) {@code count} witness keys under {@code data/witnesses} and picks a free port for each. */
    public static DemoWitnesses prepare(Path data, int count) {
        Path dir = data.resolve("witnesses");
        List<Path> keys = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<WitnessPeer> peers = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                Path key = dir.resolve("w" + i + ".key");
                if (!Files.exists(key)) WitnessKeyFile.create(key, CosignatureSigner.generate("custos.local/witness-" + i));
                int port;
                try (ServerSocket probe = new ServerSocket(0)) {
                    port = probe.getLocalPort();
                }
                keys.add(key);
                ports.add(port);
                peers.add(new WitnessPeer(URI.create("http://127.0.0.1:" + port),
                        CosignatureVerifier.parse(WitnessKeyFile.read(key).verifierKey())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo's witnesses in " + dir, e);
        } catch (InvalidProofException e) {
            throw new IllegalStateException("a demo witness key does not give a verifier key", e);
        }
        return new DemoWitnesses(dir, keys, ports, List.copyOf(peers));
    }

    /** The witnesses, as the gateway's {@code log.witnesses} setting would list them. */
    public List<WitnessPeer> peers() {
        return peers;
    }

    /** Starts every witness for the log with this verifier key; they run until the process ends. */
    public List<WitnessServer> start(String logKey) {
        List<WitnessServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                servers.add(WitnessCommand.start(dir.resolve("w" + (i + 1)), keys.get(i), List.of(logKey), "127.0.0.1", ports.get(i)));
            }
        } catch (IOException e) {
            servers.forEach(WitnessServer::close);
            throw new UncheckedIOException("cannot start the demo's witnesses", e);
        }
        return servers;
    }
}
