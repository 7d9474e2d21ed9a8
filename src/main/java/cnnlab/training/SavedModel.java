package cnnlab.training;

import java.nio.file.Path;

/** A model zip written by cnnlab: the network, its metadata and the input pipeline it was trained with. */
public record SavedModel(Net net, ModelMeta meta, Pipeline pipeline) {

    /** Loads a model; anything but a cnnlab/DL4J model zip is a {@link cnnlab.UserError} naming the file. */
    public static SavedModel load(Path zip) {
        Net net = Net.load(zip);
        ModelMeta meta = ModelMeta.read(zip);
        return new SavedModel(net, meta, new Pipeline(Net.loadNormalizer(zip), meta.view()));
    }
}
