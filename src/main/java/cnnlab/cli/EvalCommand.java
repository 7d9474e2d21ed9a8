package cnnlab.cli;

import cnnlab.data.DataSources;
import cnnlab.data.ImageFolder;
import cnnlab.training.Evaluator;
import cnnlab.training.Json;
import cnnlab.training.SavedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnnlab eval <model.zip>}: accuracy and confusion matrix on the experiment's test set or a folder of PNGs. */
@Command(name = "eval", description = "Evaluate a saved model on its experiment's test set or on a folder of images.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "model zip written by 'cnnlab train'")
    Path model;

    @Option(names = "--images", description = "folder with one sub-folder per class name holding PNG files")
    Path images;

    @Option(names = "--json", description = "print {\"accuracy\": ..., \"examples\": ...} only")
    boolean json;

    @Option(names = "--data-dir", description = "data directory for real data sets (default: $CNNLAB_DATA or data/)")
    String dataDir;

    @Override
    public Integer call() {
        SavedModel m = SavedModel.load(model);
        DataSetIterator it;
        String what;
        if (images != null) {
            it = ImageFolder.read(images, m.meta().classNames(), m.meta().channels(), m.meta().height(),
                    m.meta().width()).images().iterator(256);
            what = images.toString();
        } else {
            it = DataSources.open(m.meta().data(), DataSources.dataDir(dataDir), m.meta().seed()).test(256);
            what = m.meta().data() + " test set";
        }
        it.setPreProcessor(m.pipeline());
        System.err.println("backend: " + cnnlab.training.Backend.describe()); // after every input was checked
        Evaluator.Result r = Evaluator.evaluate(m.net(), it, m.meta().classNames());
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("accuracy", r.accuracy());
            out.put("examples", r.examples());
            System.out.println(Json.write(out).replaceAll("\\s*\\n\\s*", " "));
        } else {
            System.out.printf("%s on %s: accuracy %.2f%% (%d examples), loss %.4f%n", m.meta().experiment(), what,
                    100 * r.accuracy(), r.examples(), r.loss());
            System.out.println(r.evaluation().confusionToString());
        }
        return 0;
    }
}
