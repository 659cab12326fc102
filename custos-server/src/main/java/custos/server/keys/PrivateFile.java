package custos.server.keys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A key file on disk: written once, readable by its owner only (0600), never overwritten; read with one-line errors. */
final class PrivateFile {
    private PrivateFile() {}

    /** Creates {@code path} (and its missing folders) holding {@code bytes}, with permissions 0600 from the start. */
    static void create(Path path, byte[] bytes, String what) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(path);
            }
            Files.write(path, bytes);
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException(what + " " + path + " already exists; it is never overwritten");
        } catch (IOException e) {
            throw new KeyFileException("cannot write " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    static byte[] read(Path path, String what, String setting) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("no " + what + " at " + path + " (setting " + setting + "; make one with "
                    + hint(setting) + ")");
        } catch (IOException | SecurityException e) {
            throw new KeyFileException("cannot read " + what + " " + path + " (setting " + setting + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static String hint(String setting) {
        return setting.equals(KeySource.MASTER_SETTING) ? "custos keys master generate --out FILE" : "custos log key generate --out FILE";
    }
}
