package cnnlab.models;

import cnnlab.UserError;
import cnnlab.data.InputView;
import cnnlab.models.modern.CifarFast;
import cnnlab.models.modern.MnistModern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every experiment {@code cnnlab train} knows, in book order. */
public final class Experiments {
    /** What {@code ./cnnlab} with no argument trains. */
    public static final String DEFAULT = "shape-color-cnn";

    /**
     * The seed of data, shuffling and initialisation unless {@code --seed} says otherwise; {@code cnnlab summary}
     * and {@code cnnlab bench nets} build with it too.
     */
    public static final long SEED = 42;

    private static final Map<String, Experiment> ALL = new LinkedHashMap<>();

    static {
        // Chapter 18.1-18.3: generated colour/shape images (book's checkpoint fraction: 0.1 of an epoch).
        add(Experiment.named("color-dnn").section("18.1.2").bookAccuracy(0.816)
                .data("color", InputView.GREY_FLAT).epochs(100).batch(16).learningRate(0.01).checkpoint(0.1)
                .chain(ColorDnn::conf).description("colour of a shape from its greyscale pixels, 3-layer DNN"));
        add(Experiment.named("color-cnn").section("18.1.3").bookAccuracy(0.963)
                .data("color", InputView.IMAGE).epochs(20).batch(16).learningRate(0.1).checkpoint(0.1)
                .chain(ColorCnn::conf).description("colour of a shape, CNN with a 1x1 first convolution"));
        add(Experiment.named("shape-dnn").section("18.2.2").bookAccuracy(0.898)
                .data("shape", InputView.GREY_FLAT).epochs(50).batch(16).learningRate(0.1).checkpoint(0.1)
                .chain(ShapeDnn::conf).description("circle/rectangle/triangle/diamond/line, 3-layer DNN"));
        // The book quotes shape-cnn's second test, after load_parameters (96.0%; 93.5% for the last model).
        add(Experiment.named("shape-cnn").section("18.2.3").bookAccuracy(0.960).bookModel(Experiment.BookModel.BEST)
                .data("shape", InputView.IMAGE).epochs(50).batch(16).learningRate(0.1).checkpoint(0.1)
                .chain(ShapeCnn::conf).description("circle/rectangle/triangle/diamond/line, CNN"));
        add(Experiment.named("shape-color-dnn").section("18.3.2").bookAccuracy(0.901)
                .data("shape-color", InputView.GREY_FLAT).epochs(50).batch(16).learningRate(0.01).checkpoint(0.1)
                .chain(ShapeColorDnn::conf).description("3 shapes x 3 colours from greyscale pixels, 3-layer DNN"));
        add(Experiment.named("shape-color-cnn").section("18.3.3").bookAccuracy(0.970)
                .data("shape-color", InputView.IMAGE).epochs(20).batch(16).learningRate(0.1).checkpoint(0.1)
                .chain(ShapeColorCnn::conf).description("3 shapes x 3 colours, CNN"));
        // Chapter 18.4-18.6: real data sets (checkpoints from the book's scripts; Keras validates once per epoch).
        add(Experiment.named("mnist-dnn").section("18.4.1").bookAccuracy(0.9749)
                .data("mnist", InputView.GREY_FLAT).epochs(40).batch(128).learningRate(0.2).checkpoint(0.5)
                .stopLoss(0.01)
                .chain(MnistDnn::conf).description("MNIST digits, the book's earlier 3-layer DNN (64 sigmoid, 16 tanh)"));
        add(Experiment.named("mnist-cnn").section("18.4").bookAccuracy(0.9865)
                .data("mnist", InputView.IMAGE).epochs(5).batch(128).learningRate(0.1).checkpoint(0.05)
                .chain(MnistCnn::conf).description("MNIST digits, CNN of table 18-5"));
        add(Experiment.named("fashion-dnn").section("18.5.2")
                .data("fashion-mnist", InputView.GREY_FLAT).epochs(10).batch(128).learningRate(0.1).checkpoint(0.1)
                .chain(FashionDnn::conf).description("Fashion-MNIST, DNN with batch norm"));
        add(Experiment.named("fashion-cnn").section("18.5.3").bookAccuracy(0.9112)
                .data("fashion-mnist", InputView.IMAGE).epochs(10).batch(128).learningRate(0.01).checkpoint(0.1)
                .chain(FashionCnn::conf).description("Fashion-MNIST, one-convolution CNN"));
        add(Experiment.named("fashion-cnn-bn").section("18.5.3").bookAccuracy(0.9112)
                .data("fashion-mnist", InputView.IMAGE).epochs(10).batch(128).learningRate(0.01).checkpoint(0.1)
                .chain(FashionCnn::scriptConf).description("Fashion-MNIST CNN as in the book's script: BN after FC 128"));
        add(Experiment.named("cifar10-cnn").section("18.6").bookAccuracy(0.7372)
                .data("cifar-10", InputView.IMAGE).epochs(25).batch(32).learningRate(1e-4).checkpoint(1.0)
                .augment().validateOnTest()
                .chain(Cifar10Cnn::conf)
                .description("CIFAR-10, the book's Keras CNN with dropout, RMSprop, shift/flip augmentation"));
        // Chapter 18.0: the classic networks on data sets that fit them (the book trains none; see ClassicExperiments).
        add(Experiment.named("lenet5-mnist").section("18.0")
                .data("mnist", InputView.IMAGE).epochs(10).batch(64).learningRate(0.01).checkpoint(0.1)
                .network(ClassicExperiments::lenet5).description("LeNet-5 (1998) on MNIST, tanh + average pooling"));
        add(Experiment.named("resnet18-cifar10").section("18.0")
                .data("cifar-10", InputView.IMAGE).epochs(30).batch(128).learningRate(1e-3).checkpoint(0.1).augment()
                .network(ClassicExperiments::resnet18).description("ResNet-18 (2015), 3x3 stem, on CIFAR-10"));
        add(Experiment.named("vgg16-cifar10").section("18.0")
                .data("cifar-10", InputView.IMAGE).epochs(30).batch(128).learningRate(1e-3).checkpoint(0.1).augment()
                .network(ClassicExperiments::vgg16).description("VGG-16 (2014) with batch norm, FC 512, on CIFAR-10"));
        add(Experiment.named("googlenet-cifar10").section("18.0")
                .data("cifar-10", InputView.IMAGE).epochs(30).batch(32).learningRate(1e-3).checkpoint(0.1).augment()
                .network(ClassicExperiments::googlenet)
                .description("GoogLeNet (2014) with BN and aux heads, on CIFAR-10"));
        add(Experiment.named("densenet121-cifar10").section("18.0")
                .data("cifar-10", InputView.IMAGE).epochs(30).batch(32).learningRate(1e-3).checkpoint(0.1).augment()
                .network(ClassicExperiments::densenet121).description("DenseNet-121 (2017), 3x3 stem, on CIFAR-10"));
        // Beyond the book: today's recipes on the same data sets (cnnlab.models.modern).
        add(Experiment.named("mnist-modern").section("beyond")
                .data("mnist", InputView.IMAGE).epochs(MnistModern.MNIST_EPOCHS).batch(128).learningRate(0.1).checkpoint(1.0).augment()
                .chain(MnistModern::conf)
                .description("MNIST, small BN CNN, one-cycle SGD, label smoothing, shifts"));
        add(Experiment.named("fashion-modern").section("beyond")
                .data("fashion-mnist", InputView.IMAGE).epochs(MnistModern.FASHION_EPOCHS).batch(128).learningRate(0.1).checkpoint(1.0).augment()
                .chain(MnistModern::conf)
                .description("Fashion-MNIST, the same modern CNN, with mirroring"));
        add(Experiment.named("cifar10-fast").section("beyond")
                .data("cifar-10", InputView.IMAGE).epochs(CifarFast.EPOCHS).batch(CifarFast.BATCH)
                .learningRate(CifarFast.learningRate()).checkpoint(CifarFast.EPOCHS).augment().validateOnTest() // one check (25 s), at the end
                .chain(CifarFast::conf)
                .description("CIFAR-10, airbench94 (Jordan 2024): whitening, EMA, TTA"));
    }

    private Experiments() {
    }

    private static void add(Experiment.Builder declaration) {
        Experiment e = declaration.build();
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
