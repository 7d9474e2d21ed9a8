package cnnlab.models;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.data.InputView;
import cnnlab.models.classic.ClassicNet;
import cnnlab.models.classic.ClassicNets;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Every network cnnlab builds by name ({@code cnnlab summary}, {@code cnnlab bench nets}): an experiment's, at its
 * data set's input and class count, or a classic network of 18.0 ({@link ClassicNets}), at its default input.
 */
public final class NetCatalog {
    private NetCatalog() {
    }

    /**
     * A network resolved from a name.
     *
     * @param input what one example is: {@code C,H,W}, or {@code H·W} for an experiment that sees flat grey pixels
     * @param experiment the experiment of that name, or null for a classic network
     */
    public record Entry(String name, NetConf conf, int[] input, int classes, Experiment experiment) {
        /** The input as DL4J's shape inference takes it. */
        public InputType inputType() {
            return input.length == 1 ? InputType.feedForward(input[0])
                    : InputType.convolutional(input[1], input[2], input[0]);
        }
    }

    /** Every name: the experiments in book order, then the classic networks. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        Experiments.all().forEach(e -> names.add(e.name()));
        names.addAll(ClassicNets.names());
        return names;
    }

    public static boolean contains(String name) {
        return Experiments.exists(name) || ClassicNets.contains(name);
    }

    /** The network of that name at its default input and classes, built with {@code layers}; see {@link #get(String, int[], Integer, LayerChoice)}. */
    public static Entry get(String name, LayerChoice layers) {
        return get(name, null, null, layers);
    }

    /**
     * The network of that name, built for {@link Experiments#SEED}.
     *
     * @param chw input channels, height and width instead of the default ones; null: the data set's (experiments),
     *            the network's (classic nets: 3×224×224, LeNet-5 1×32×32)
     * @param classes classes instead of the default (the data set's; 1000, LeNet-5 10); null: the default
     * @param layers convolution/pooling implementation of an experiment's net (the classic nets always use DL4J's)
     * @throws UserError for an unknown name, or {@code --layers custom} with a classic-net experiment
     */
    public static Entry get(String name, int[] chw, Integer classes, LayerChoice layers) {
        if (Experiments.exists(name)) {
            Experiment e = Experiments.get(name);
            DataSources.Info info = DataSources.info(e.data());
            int c = chw != null ? chw[0] : info.channels(), h = chw != null ? chw[1] : info.height();
            int w = chw != null ? chw[2] : info.width();
            int k = classes != null ? classes : info.classes();
            NetConf conf = e.network().apply(new NetSpec(c, h, w, k, e.learningRate(), Experiments.SEED, layers));
            int[] input = e.view() == InputView.GREY_FLAT ? new int[] {h * w} : new int[] {c, h, w};
            return new Entry(name, conf, input, k, e);
        }
        if (!ClassicNets.contains(name)) {
            throw new UserError("unknown network or experiment '" + name + "'; known: " + String.join(", ", names()));
        }
        ClassicNet<?> net = ClassicNets.get(name);
        if (chw != null) {
            net.input(chw[0], chw[1], chw[2]);
        }
        if (classes != null) {
            net.classes(classes);
        }
        return new Entry(name, net.build(), net.inputShape(), net.classes(), null);
    }
}
