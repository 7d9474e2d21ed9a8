package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.UserError;
import cnnlab.data.InputView;
import java.nio.file.Path;
import java.util.List;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What cnnlab stores beside the network in a model zip, so that {@code eval} and {@code predict}
 * can feed it images the way it was trained.
 *
 * @param experiment the experiment that trained it
 * @param data the data set it was trained on
 * @param view how the network sees an image
 * @param channels input channels
 * @param height input height
 * @param width input width
 * @param classNames class names in label order
 * @param layers {@code dl4j} or {@code custom}
 * @param seed the seed of the run (a generated data set is drawn again from it)
 */
public record ModelMeta(String experiment, String data, InputView view, int channels, int height, int width,
                        List<String> classNames, String layers, long seed) {

    /** The zip entry that holds the metadata. */
    public static final String ENTRY = "cnnlab-meta.json";

    public String toJson() {
        return Json.write(this);
    }

    /** Reads the metadata of a model written by cnnlab. */
    public static ModelMeta read(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry entry = z.getEntry(ENTRY);
            if (entry == null) {
                throw new UserError(zip + " is not a cnnlab model (no " + ENTRY + " inside)");
            }
            ModelMeta m;
            try {
                m = Json.read(new String(z.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8), ModelMeta.class);
            } catch (IllegalArgumentException e) {
                throw new UserError(zip + ": its " + ENTRY + " is not valid (" + SavedModel.firstLine(e.getMessage()) + ")", e);
            }
            SavedModel.checkMeta(zip, m);
            return m;
        } catch (IOException e) {
            throw new UserError("cannot read " + zip + ": " + AtomicFiles.reason(e), e);
        }
    }
}
