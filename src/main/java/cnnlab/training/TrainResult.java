package cnnlab.training;

import cnnlab.models.Experiment;
import cnnlab.models.InitChoice;
import cnnlab.models.LayerChoice;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a finished run reports, and how it compares with the book's number. {@link #toJson} is the
 * run's {@code result.json}; its field names and their order are a contract ({@code cnnlab results}
 * and the tests read them), so the components below are declared in that order.
 *
 * @param experiment the experiment's name ({@code experiment})
 * @param section its book section ({@code section})
 * @param bookAccuracy the test accuracy the book reports, NaN when it reports none ({@code book_accuracy}: null)
 * @param bookModel which of our two models the book's number is compared with ({@code book_model})
 * @param testAccuracyLast test accuracy of the last parameters ({@code test_accuracy_last})
 * @param testAccuracyBest test accuracy of the best-validation parameters ({@code test_accuracy_best})
 * @param bestValidationAccuracy the best validation check ({@code best_validation_accuracy})
 * @param testExamples images in the test set ({@code test_examples})
 * @param epochs epochs trained, the stopped one included ({@code epochs})
 * @param iterations mini-batches trained ({@code iterations})
 * @param stoppedEarly why training stopped before its last epoch, or null ({@code stopped_early})
 * @param batch mini-batch size ({@code batch})
 * @param learningRate learning rate ({@code learning_rate})
 * @param trainSeconds training time, resumed parts added up ({@code train_seconds}, 2 decimals)
 * @param backend ND4J backend name ({@code backend})
 * @param backendDetail ND4J backend, BLAS, threads, data type ({@code backend_detail})
 * @param seed the run's seed ({@code seed})
 * @param layers DL4J's or chapter 17's convolution and pooling layers ({@code layers})
 * @param init what "Xavier" and "MSRA" meant, null for networks outside the book's framework ({@code init})
 * @param parameters learnable parameters ({@code parameters})
 * @param trainExamples images trained on ({@code train_examples})
 * @param validatedOnTest whether the validation checks ran on the test set ({@code validation_set}: {@code test},
 *                        else {@code held-out})
 * @param trainLimit {@code --train-limit}, 0 for all ({@code train_limit})
 * @param resumed whether the run was continued from a checkpoint ({@code resumed})
 * @param spark how Spark trained it, or null on one machine ({@code spark}, left out when null)
 * @param recipe extra fields of a recipe beyond the book ({@link Recipe#finish}), appended as they are
 */
public record TrainResult(String experiment, String section, double bookAccuracy, Experiment.BookModel bookModel,
                          double testAccuracyLast, double testAccuracyBest, double bestValidationAccuracy,
                          long testExamples, int epochs, long iterations, String stoppedEarly, int batch,
                          double learningRate, double trainSeconds, String backend, String backendDetail, long seed,
                          LayerChoice layers, InitChoice init, long parameters, int trainExamples,
                          boolean validatedOnTest, int trainLimit, boolean resumed, Map<String, Object> spark,
                          Map<String, Object> recipe) {

    public TrainResult {
        recipe = Collections.unmodifiableMap(new LinkedHashMap<>(recipe)); // in order, null values kept
    }

    /** Whether the book reports a test accuracy for this experiment. */
    public boolean hasBookNumber() {
        return !Double.isNaN(bookAccuracy);
    }

    /** Training throughput ({@code images_per_second}, 1 decimal). */
    public double imagesPerSecond() {
        return iterations * (double) batch / trainSeconds;
    }

    /** {@code test} or {@code held-out}: where the validation checks ran ({@code validation_set}). */
    public String validationSet() {
        return validatedOnTest ? "test" : "held-out";
    }

    /** The contents of {@code result.json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", experiment);
        m.put("section", section);
        m.put("book_accuracy", hasBookNumber() ? bookAccuracy : null);
        m.put("book_model", hasBookNumber() ? bookModel.label() : null);
        m.put("test_accuracy_last", testAccuracyLast);
        m.put("test_accuracy_best", testAccuracyBest);
        m.put("best_validation_accuracy", bestValidationAccuracy);
        m.put("test_examples", testExamples);
        m.put("epochs", epochs);
        m.put("iterations", iterations);
        m.put("stopped_early", stoppedEarly);
        m.put("batch", batch);
        m.put("learning_rate", learningRate);
        m.put("train_seconds", round(trainSeconds, 2));
        m.put("images_per_second", round(imagesPerSecond(), 1));
        m.put("backend", backend);
        m.put("backend_detail", backendDetail);
        m.put("seed", seed);
        m.put("layers", layers.name().toLowerCase(Locale.ROOT));
        m.put("init", init == null ? null : init.name().toLowerCase(Locale.ROOT));
        m.put("parameters", parameters);
        m.put("train_examples", trainExamples);
        m.put("validation_set", validationSet());
        m.put("train_limit", trainLimit);
        m.put("resumed", resumed);
        if (spark != null) {
            m.put("spark", spark);
        }
        m.putAll(recipe);
        return m;
    }

    /**
     * Whether the book's number is compared with our best-validation model: the book reloaded its best
     * parameters ({@code book_model} {@code best}, 18.2.3) and the validation checks did not run on the test
     * set (a model chosen on the test set is no fair comparison). Otherwise the last model is compared.
     */
    public boolean comparesBest() {
        return hasBookNumber() && comparesBest(bookModel, validatedOnTest);
    }

    /** {@link #comparesBest()} of a {@code result.json} read back (for {@code cnnlab results}). */
    public static boolean comparesBest(Map<String, Object> json) {
        return "best".equals(json.get("book_model")) && !"test".equals(json.get("validation_set"));
    }

    private static boolean comparesBest(Experiment.BookModel bookModel, boolean validatedOnTest) {
        return bookModel == Experiment.BookModel.BEST && !validatedOnTest;
    }

    /**
     * One line comparing the run's test accuracy with the book's number, against the model the book tested
     * ({@link #comparesBest()}): e.g. {@code test accuracy: 96.10% (last), 96.40% (best validation); book:
     * 97.00%, against our last model -> below by 0.90 points}.
     */
    public String verdict() {
        return verdict(testAccuracyLast, testAccuracyBest, bookAccuracy, bookModel, validatedOnTest);
    }

    /** {@link #verdict()} from its numbers ({@code book} NaN: the book reports none). */
    static String verdict(double last, double best, double book, Experiment.BookModel bookModel,
                          boolean validatedOnTest) {
        String s = String.format("test accuracy: %.2f%% (last), %.2f%% (%s)", 100 * last, 100 * best,
                validatedOnTest ? "best check, chosen on the test set itself" : "best validation");
        if (!Double.isNaN(book)) {
            boolean useBest = comparesBest(bookModel, validatedOnTest);
            double ours = useBest ? best : last;
            s += String.format("; book: %.2f%%, against our %s model -> %s by %.2f points", 100 * book,
                    useBest ? "best-validation" : "last", ours >= book ? "above" : "below", 100 * Math.abs(ours - book));
        }
        return s;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
