package dev.sensorhouse.simulate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@link LakeOutput} on a local folder: temporary file, then an atomic rename over the target. */
final class LocalLakeOutput implements LakeOutput {
    private final Path root;

    LocalLakeOutput(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public long write(String relativePath, Body body) throws IOException {
        Path target = root.resolve(relativePath);
        Path folder = target.getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve("_" + target.getFileName() + ".inprogress");
        try {
            CountingOutputStream counter;
            try (OutputStream out = counter =
                    new CountingOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 18))) {
                body.writeTo(out);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return counter.count();
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public String location(String relativePath) {
        return root.resolve(relativePath).toString();
    }

    @Override
    public void close() {}
}
