package custos.server.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited filesystem (a tmpfs of a few MiB) that a test can fill to the last byte and free again: a full disk
 * for whatever PostgreSQL keeps on it, without touching any real disk. Mounting needs root (as in CI); {@link #mount}
 * says why it cannot when it cannot.
 */
final class TinyDisk implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;

    private TinyDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code mebibytes} on a new temp folder; throws with mount's words when it cannot. */
    static TinyDisk mount(int mebibytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("custos-tiny-disk");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "custos-tiny-disk",
                dir.toString()).redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes()).strip();
        if (!mount.waitFor(30, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            Files.deleteIfExists(dir);
            throw new IOException("cannot mount a tmpfs on " + dir + ": " + out);
        }
        return new TinyDisk(dir);
    }

    /** A new, empty folder on the disk (for a tablespace: PostgreSQL wants one of its own). */
    Path folder(String name) throws IOException {
        return Files.createDirectory(mountPoint.resolve(name));
    }

    /** Writes a filler file until the disk refuses another byte. */
    void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // Page-sized crumbs can remain after the last 64 KiB block: take them too.
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // now truly full
        }
    }

    /** Deletes the filler: the space is back. */
    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(mountPoint);
    }
}
