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
 */
public record Experiment(String name, String section, double bookAccuracy, String data, InputView view,
                         int epochs, int batch, double learningRate, double checkpoint, boolean augment, double stopLoss,
                         Function<NetSpec, Object> network, String description) {

    /** Whether the network has convolution/pooling layers that {@code --layers custom} can replace. */
    public boolean isCnn() {
        return view == InputView.IMAGE;
    }
}
