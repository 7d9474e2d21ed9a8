package cnnlab.models;

import cnnlab.UserError;
import cnnlab.data.InputView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.Double.NaN;

/** Every experiment {@code cnnlab train} knows, in book order. */
public final class Experiments {
    /** What {@code ./cnnlab} with no argument trains. */
    public static final String DEFAULT = "shape-color-cnn";

    private static final Map<String, Experiment> ALL = new LinkedHashMap<>();

    static {
        // Chapter 18.1-18.3: generated colour/shape images (book's checkpoint fraction: 0.1 of an epoch).
        add(new Experiment("color-dnn", "18.1.2", 0.816, "color", InputView.GREY_FLAT, 100, 16, 0.01, 0.1, false, NaN,
                ColorDnn::conf, "colour of a shape from its greyscale pixels, 3-layer DNN"));
        add(new Experiment("color-cnn", "18.1.3", 0.963, "color", InputView.IMAGE, 20, 16, 0.1, 0.1, false, NaN,
                ColorCnn::conf, "colour of a shape, CNN with a 1x1 first convolution"));
        add(new Experiment("shape-dnn", "18.2.2", 0.898, "shape", InputView.GREY_FLAT, 50, 16, 0.1, 0.1, false, NaN,
                ShapeDnn::conf, "circle/rectangle/triangle/diamond/line, 3-layer DNN"));
        // The book quotes shape-cnn's second test, after load_parameters (96.0%; 93.5% for the last model).
        add(new Experiment("shape-cnn", "18.2.3", 0.960, "shape", InputView.IMAGE, 50, 16, 0.1, 0.1, false, NaN,
                ShapeCnn::conf, "circle/rectangle/triangle/diamond/line, CNN").comparedWith(Experiment.BookModel.BEST));
        add(new Experiment("shape-color-dnn", "18.3.2", 0.901, "shape-color", InputView.GREY_FLAT, 50, 16, 0.01, 0.1,
                false, NaN, ShapeColorDnn::conf, "3 shapes x 3 colours from greyscale pixels, 3-layer DNN"));
        add(new Experiment("shape-color-cnn", "18.3.3", 0.970, "shape-color", InputView.IMAGE, 20, 16, 0.1, 0.1,
                false, NaN, ShapeColorCnn::conf, "3 shapes x 3 colours, CNN"));
        // Chapter 18.4-18.6: real data sets (checkpoints from the book's scripts; Keras validates once per epoch).
        add(new Experiment("mnist-dnn", "18.4.1", 0.9749, "mnist", InputView.GREY_FLAT, 40, 128, 0.2, 0.5, false, 0.01,
                MnistDnn::conf, "MNIST digits, the book's earlier 3-layer DNN (64 sigmoid, 16 tanh)"));
        add(new Experiment("mnist-cnn", "18.4", 0.9865, "mnist", InputView.IMAGE, 5, 128, 0.1, 0.05, false, NaN,
                MnistCnn::conf, "MNIST digits, CNN of table 18-5"));
        add(new Experiment("fashion-dnn", "18.5.2", NaN, "fashion-mnist", InputView.GREY_FLAT, 10, 128, 0.1, 0.1,
                false, NaN, FashionDnn::conf, "Fashion-MNIST, DNN with batch norm"));
        add(new Experiment("fashion-cnn", "18.5.3", 0.9112, "fashion-mnist", InputView.IMAGE, 10, 128, 0.01, 0.1,
                false, NaN, FashionCnn::conf, "Fashion-MNIST, one-convolution CNN"));
        add(new Experiment("fashion-cnn-bn", "18.5.3", 0.9112, "fashion-mnist", InputView.IMAGE, 10, 128, 0.01, 0.1,
                false, NaN, FashionCnn::scriptConf, "Fashion-MNIST CNN as in the book's script: BN after FC 128"));
        add(new Experiment("cifar10-cnn", "18.6", 0.7372, "cifar-10", InputView.IMAGE, 25, 32, 1e-4, 1.0, true, NaN,
                Cifar10Cnn::conf, "CIFAR-10, the book's Keras CNN with dropout, RMSprop, shift/flip augmentation", true));
        // Chapter 18.0: the classic networks on data sets that fit them (the book trains none; see ClassicExperiments).
        add(new Experiment("lenet5-mnist", "18.0", NaN, "mnist", InputView.IMAGE, 10, 64, 0.01, 0.1, false, NaN,
                ClassicExperiments::lenet5, "LeNet-5 (1998) on MNIST, tanh + average pooling"));
        add(new Experiment("resnet18-cifar10", "18.0", NaN, "cifar-10", InputView.IMAGE, 30, 128, 1e-3, 0.1, true,
                NaN, ClassicExperiments::resnet18, "ResNet-18 (2015), 3x3 stem, on CIFAR-10"));
        add(new Experiment("vgg16-cifar10", "18.0", NaN, "cifar-10", InputView.IMAGE, 30, 128, 1e-3, 0.1, true,
                NaN, ClassicExperiments::vgg16, "VGG-16 (2014) with batch norm, FC 512, on CIFAR-10"));
        add(new Experiment("googlenet-cifar10", "18.0", NaN, "cifar-10", InputView.IMAGE, 30, 32, 1e-3, 0.1, true,
                NaN, ClassicExperiments::googlenet, "GoogLeNet (2014) with BN and aux heads, on CIFAR-10"));
        add(new Experiment("densenet121-cifar10", "18.0", NaN, "cifar-10", InputView.IMAGE, 30, 32, 1e-3, 0.1,
                true, NaN, ClassicExperiments::densenet121, "DenseNet-121 (2017), 3x3 stem, on CIFAR-10"));
        // Beyond the book (issue 17): today's recipes on the same data sets (cnnlab.models.modern).
        add(new Experiment("mnist-modern", "beyond", NaN, "mnist", InputView.IMAGE,
                cnnlab.models.modern.MnistModern.MNIST_EPOCHS, 128, 0.1, 1.0, true, NaN,
                cnnlab.models.modern.MnistModern::conf, "MNIST, small BN CNN, one-cycle SGD, label smoothing, shifts"));
        add(new Experiment("fashion-modern", "beyond", NaN, "fashion-mnist", InputView.IMAGE,
                cnnlab.models.modern.MnistModern.FASHION_EPOCHS, 128, 0.1, 1.0, true,
                NaN, cnnlab.models.modern.MnistModern::conf, "Fashion-MNIST, the same modern CNN, with mirroring"));
        add(new Experiment("cifar10-fast", "beyond", NaN, "cifar-10", InputView.IMAGE, cnnlab.models.modern.CifarFast.EPOCHS,
                cnnlab.models.modern.CifarFast.BATCH, cnnlab.models.modern.CifarFast.learningRate(), 1.0, true, NaN,
                cnnlab.models.modern.CifarFast::conf, "CIFAR-10, airbench94 (Jordan 2024): whitening, EMA, TTA",
                true));
    }

    private Experiments() {
    }

    static void add(Experiment e) {
        if (ALL.putIfAbsent(e.name(), e) != null) {
            throw new IllegalStateException("duplicate experiment " + e.name());
        }
    }

    public static List<Experiment> all() {
        return Collections.unmodifiableList(new ArrayList<>(ALL.values()));
    }

    /** Whether an experiment of that name exists. */
    public static boolean exists(String name) {
        return ALL.containsKey(name);
    }

    /** The experiment of that name, or a {@link UserError} listing the known ones. */
    public static Experiment get(String name) {
        Experiment e = ALL.get(name);
        if (e == null) {
            throw new UserError("unknown experiment '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return e;
    }
}
