package cnnlab.models;

import cnnlab.data.InputView;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * One runnable experiment: a book section's data set, network and hyper-parameters.
 *
 * @param name command-line name, e.g. {@code shape-color-cnn}
 * @param section book section, e.g. {@code 18.3}
 * @param bookAccuracy the test accuracy the book reports (0..1), or NaN when it reports none
 * @param data data-source name ({@code color}, {@code shape}, {@code shape-color}, {@code mnist}, ...)
 * @param view how the network sees the images
 * @param epochs the book's epoch count
 * @param batch the book's batch size
 * @param learningRate the book's learning rate
 * @param checkpoint fraction of an epoch between two validation checks (the book's {@code checkpoint}), with one
 *                   more at each epoch's end; above 1, epochs between checks, plus one at the end of training
 * @param augment whether training uses data augmentation
 * @param stopLoss training stops early once the training loss falls below this (NaN: never)
 * @param network builds the network's configuration, a chain or a graph
 * @param description one line for {@code cnnlab list}
 * @param validateOnTest train on the whole training set and run the validation checks on the test set,
 *                       as the book's Keras script does (18.6.3); otherwise a part of the training set is
 *                       held out, as the book's own framework does
 * @param bookModel which of our two models the book's number is to be compared with
 */
public record Experiment(String name, String section, double bookAccuracy, String data, InputView view,
                         int epochs, int batch, double learningRate, double checkpoint, boolean augment, double stopLoss,
                         Function<NetSpec, NetConf> network, String description, boolean validateOnTest,
                         BookModel bookModel) {

    /**
     * The model the book tested for its number. The book's {@code NeuralNet_4_2.train(..., need_test=True)}
     * tests right after the last epoch ("save parameters / time used / testing... / 0.9865" in 18.4.3),
     * so nearly every number in chapter 18 is the <em>last</em> model's. Only some scripts then call
     * {@code load_parameters()} and test again; 18.2.3 quotes that second figure ("testing... 0.935 / load
     * parameters / 0.96"), our best-validation model. Keras' {@code evaluate} after {@code fit} is the last model.
     */
    public enum BookModel {
        LAST, BEST;

        /** The name used in {@code result.json} ({@code book_model}) and in verdicts. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Starts the declaration of an experiment (see {@link Experiments}). */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Whether the book trained it with its own Python framework (18.1-18.5; 18.6 used Keras). */
    public boolean usesBookFramework() {
        return section.matches("18\\.[1-5](\\..*)?");
    }

    /** Whether the network has convolution/pooling layers that {@code --layers custom} can replace. */
    public boolean isCnn() {
        return view == InputView.IMAGE;
    }

    /**
     * An experiment's declaration, every value named by its method. What an experiment must state: section, data and
     * view, epochs, batch, learning rate, checkpoint, network, description. What it may: the book's accuracy
     * (default NaN: the book reports none), {@link #bookModel} (default {@link BookModel#LAST}), {@link #augment},
     * {@link #stopLoss} (default NaN: never), {@link #validateOnTest}.
     */
    public static final class Builder {
        private final String name;
        private String section;
        private double bookAccuracy = Double.NaN;
        private BookModel bookModel = BookModel.LAST;
        private String data;
        private InputView view;
        private int epochs;
        private int batch;
        private double learningRate = Double.NaN;
        private double checkpoint = Double.NaN;
        private boolean augment;
        private double stopLoss = Double.NaN;
        private boolean validateOnTest;
        private Function<NetSpec, NetConf> network;
        private String description;

        private Builder(String name) {
            this.name = name;
        }

        /** The book section, e.g. {@code 18.4}; {@code 18.0} for the classic nets, {@code beyond} past the book. */
        public Builder section(String s) {
            section = s;
            return this;
        }

        /** The test accuracy the book reports (0..1). */
        public Builder bookAccuracy(double a) {
            bookAccuracy = a;
            return this;
        }

        /** Which of our two models the book's number is to be compared with. */
        public Builder bookModel(BookModel m) {
            bookModel = m;
            return this;
        }

        /** The data source's name and how the network sees its images. */
        public Builder data(String name, InputView v) {
            data = name;
            view = v;
            return this;
        }

        public Builder epochs(int n) {
            epochs = n;
            return this;
        }

        public Builder batch(int n) {
            batch = n;
            return this;
        }

        public Builder learningRate(double lr) {
            learningRate = lr;
            return this;
        }

        /**
         * Fraction of an epoch between two validation checks (the book's {@code checkpoint}), and a check at each
         * epoch's end; above 1, epochs between checks and one at the end of training (no check at other epochs' ends).
         */
        public Builder checkpoint(double fraction) {
            checkpoint = fraction;
            return this;
        }

        /** Training uses the data set's augmentation. */
        public Builder augment() {
            augment = true;
            return this;
        }

        /** Training stops early once the training loss falls below this. */
        public Builder stopLoss(double loss) {
            stopLoss = loss;
            return this;
        }

        /** Train on the whole training set and validate on the test set (the book's Keras script, 18.6.3). */
        public Builder validateOnTest() {
            validateOnTest = true;
            return this;
        }

        /** A chain of layers, as every chapter net is. */
        public Builder chain(Function<NetSpec, MultiLayerConfiguration> f) {
            network = s -> NetConf.of(f.apply(s));
            return this;
        }

        /** A network that is a chain or a graph. */
        public Builder network(Function<NetSpec, NetConf> f) {
            network = f;
            return this;
        }

        /** One line for {@code cnnlab list}. */
        public Builder description(String d) {
            description = d;
            return this;
        }

        public Experiment build() {
            if (section == null || data == null || view == null || epochs <= 0 || batch <= 0 || !(learningRate > 0)
                    || !(checkpoint > 0) || network == null || description == null) {
                throw new IllegalStateException("experiment " + name + " lacks a section, data and view, epochs, batch,"
                        + " learning rate, checkpoint, network or description");
            }
            return new Experiment(name, section, bookAccuracy, data, view, epochs, batch, learningRate, checkpoint,
                    augment, stopLoss, network, description, validateOnTest, bookModel);
        }
    }
}
