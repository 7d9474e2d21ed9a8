package cnnlab.training;

import cnnlab.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.UserError;
import cnnlab.data.InputView;
import cnnlab.data.ShapeTask;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import cnnlab.models.ShapeCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/** A write that fails half-way (a full disk, simulated) leaves the old file and no temporary file. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsHalfWayKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("loss.png");
        Files.writeString(f, "old");
        UserError e = assertThrows(UserError.class, () -> AtomicFiles.write(f, t -> {
            Files.writeString(t, "half");
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + f + ": No space left on device", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("loss.png"), names());
    }

    @Test
    void aModelSavedOverAFolderFailsCleanly() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("model.zip"));
        Net net = Net.build(ShapeCnn.conf(new NetSpec(1, 28, 28, 5, 0.1, 7, LayerChoice.DL4J)));
        UserError e = assertThrows(UserError.class, () -> net.save(target, new ImagePreProcessingScaler(0, 1), "{}"));
        assertTrue(e.getMessage().startsWith("cannot save model to " + target), e.getMessage());
        assertEquals(List.of("model.zip"), names(), "no temporary file left");
    }

    @Test
    void aSavedModelHasItsPartsAndLoadsBack() throws IOException {
        Path zip = tmp.resolve("m.zip");
        Net net = Net.build(ShapeCnn.conf(new NetSpec(1, 28, 28, 5, 0.1, 7, LayerChoice.DL4J)));
        ModelMeta meta = new ModelMeta("shape-cnn", "shape", InputView.IMAGE, 1, 28, 28, ShapeTask.SHAPE.classNames(),
                "dl4j", 7);
        net.save(zip, new ImagePreProcessingScaler(0, 1), Map.of(ModelMeta.ENTRY, meta.toJson(), "extra.json", "{}"));
        assertEquals(List.of("m.zip"), names(), "no temporary file left");
        SavedModel m = SavedModel.load(zip);
        assertEquals(meta, m.meta());
        assertTrue(m.pipeline().normalizer() instanceof ImagePreProcessingScaler);
        assertArrayEquals(net.params().toFloatVector(), m.net().params().toFloatVector());
    }

    @Test
    void outputFoldersAreCheckedWithoutCreatingAnything() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        UserError e = assertThrows(UserError.class,
                () -> AtomicFiles.requireWritableFolder(file.resolve("sub/dir"), "--out"));
        assertEquals("--out " + file.resolve("sub/dir") + ": " + file + " is a file, not a folder", e.getMessage());
        AtomicFiles.requireWritableFolder(tmp.resolve("new/folder"), "--out");
        assertEquals(List.of("a-file"), names(), "nothing created, no probe left");
    }
}
