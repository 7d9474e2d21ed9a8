package cnnlab.models;

import cnnlab.data.InputView;
import java.util.function.Function;

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
 * @param checkpoint fraction of an epoch between two validation checks (the book's {@code checkpoint})
 * @param augment whether training uses data augmentation
 * @param stopLoss training stops early once the training loss falls below this (NaN: never)
 * @param network builds the {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration}
 * @param description one line for {@code cnnlab list}
 * @param validateOnTest train on the whole training set and run the validation checks on the test set,
 *                       as the book's Keras script does (18.6.3); otherwise a part of the training set is
 *                       held out, as the book's own framework does
 * @param bookModel which of our two models the book's number is to be compared with
 */
public record Experiment(String name, String section, double bookAccuracy, String data, InputView view,
                         int epochs, int batch, double learningRate, double checkpoint, boolean augment, double stopLoss,
                         Function<NetSpec, Object> network, String description, boolean validateOnTest,
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

    /** An experiment whose book figure is the last model's. */
    public Experiment(String name, String section, double bookAccuracy, String data, InputView view, int epochs,
                      int batch, double learningRate, double checkpoint, boolean augment, double stopLoss,
                      Function<NetSpec, Object> network, String description, boolean validateOnTest) {
        this(name, section, bookAccuracy, data, view, epochs, batch, learningRate, checkpoint, augment, stopLoss,
                network, description, validateOnTest, BookModel.LAST);
    }

    /** An experiment validated on a held-out part of the training set, its book figure the last model's. */
    public Experiment(String name, String section, double bookAccuracy, String data, InputView view, int epochs,
                      int batch, double learningRate, double checkpoint, boolean augment, double stopLoss,
                      Function<NetSpec, Object> network, String description) {
        this(name, section, bookAccuracy, data, view, epochs, batch, learningRate, checkpoint, augment, stopLoss,
                network, description, false);
    }

    /** This experiment with the book's figure compared with {@code model}. */
    public Experiment comparedWith(BookModel model) {
        return new Experiment(name, section, bookAccuracy, data, view, epochs, batch, learningRate, checkpoint, augment,
                stopLoss, network, description, validateOnTest, model);
    }

    /** Whether the book trained it with its own Python framework (18.1-18.5; 18.6 used Keras). */
    public boolean usesBookFramework() {
        return section.matches("18\\.[1-5](\\..*)?");
    }

    /** Whether the network has convolution/pooling layers that {@code --layers custom} can replace. */
    public boolean isCnn() {
        return view == InputView.IMAGE;
    }
}
