package cnnlab.training;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import java.nio.file.Path;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

/** A model zip written by cnnlab: the network, its metadata and the input pipeline it was trained with. */
public record SavedModel(Net net, ModelMeta meta, Pipeline pipeline) {

    /**
     * Loads a model, checking its parts against each other: the zip intact, the metadata complete and
     * naming a known data set, the normalizer present (every cnnlab data set scales its pixels, so a
     * model without one would see unscaled input), and the network taking the metadata's input shape
     * and giving one output per class name. Anything else is a {@link UserError} naming the file.
     */
    public static SavedModel load(Path zip) {
        Net net = Net.load(zip);
        ModelMeta meta = ModelMeta.read(zip);
        DataNormalization normalizer = Net.loadNormalizer(zip);
        if (normalizer == null) {
            throw new UserError(zip + " has no " + ModelSerializer.NORMALIZER_BIN + ": the " + meta.data()
                    + " pixels it was trained on were scaled by it, so it cannot be evaluated faithfully; "
                    + "use the model.zip of a cnnlab run");
        }
        Pipeline pipeline = new Pipeline(normalizer, meta.view());
        INDArray out;
        try {
            out = net.output(pipeline.features(Nd4j.zeros(1, meta.channels(), meta.height(), meta.width())));
        } catch (RuntimeException e) {
            throw new UserError(zip + ": the network does not take the input its " + ModelMeta.ENTRY + " describes ("
                    + meta.channels() + "x" + meta.height() + "x" + meta.width() + ", " + meta.view() + "): "
                    + firstLine(e.getMessage()), e);
        }
        if (out.rank() != 2 || out.size(1) != meta.classNames().size()) {
            throw new UserError(zip + ": the network has " + (out.rank() == 2 ? out.size(1) : "no 2-D") + " outputs but its "
                    + ModelMeta.ENTRY + " names " + meta.classNames().size() + " classes");
        }
        return new SavedModel(net, meta, pipeline);
    }

    static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    /** Checks the metadata's fields (a hand-edited or foreign {@code cnnlab-meta.json}). */
    static void checkMeta(Path zip, ModelMeta m) {
        String bad = null;
        if (m.experiment() == null || m.data() == null || m.view() == null || m.classNames() == null) {
            bad = "lacks experiment, data, view or classNames";
        } else if (m.channels() <= 0 || m.height() <= 0 || m.width() <= 0) {
            bad = "gives an input of " + m.channels() + "x" + m.height() + "x" + m.width();
        } else if (m.classNames().size() < 2) {
            bad = "names " + m.classNames().size() + " classes";
        } else {
            try {
                DataSources.Info info = DataSources.info(m.data());
                if (info.channels() != m.channels() || info.height() != m.height() || info.width() != m.width()
                        || !info.classNames().equals(m.classNames())) {
                    bad = "describes " + m.channels() + "x" + m.height() + "x" + m.width() + " images of "
                            + m.classNames().size() + " classes, but " + m.data() + " has " + info.channels() + "x"
                            + info.height() + "x" + info.width() + " images of " + info.classes() + " classes";
                }
            } catch (UserError e) {
                bad = "names " + e.getMessage();
            }
        }
        if (bad != null) {
            throw new UserError(zip + ": its " + ModelMeta.ENTRY + " " + bad);
        }
    }
}
