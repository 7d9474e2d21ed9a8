package cnnlab.data;

import cnnlab.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every data set cnnlab knows, by name, and where real data sets live on disk. */
public final class DataSources {

    /** Static facts about a data set, known without reading it. */
    public record Info(String name, int channels, int height, int width, List<String> classNames, boolean generated) {
        public int classes() {
            return classNames.size();
        }
    }

    private static final Map<String, Info> INFO = new LinkedHashMap<>();

    static {
        for (ShapeTask t : ShapeTask.values()) {
            INFO.put(t.dataName(), new Info(t.dataName(), t.channels(), ShapeImages.SIZE, ShapeImages.SIZE,
                    t.classNames(), true));
        }
        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        register(new Info("mnist", 1, 28, 28, digits, false));
        register(new Info("fashion-mnist", 1, 28, 28, List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), false));
        register(new Info("cifar-10", 3, 32, 32, List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                "horse", "ship", "truck"), false));
    }

    private DataSources() {
    }

    static void register(Info info) {
        INFO.put(info.name(), info);
    }

    public static Info info(String name) {
        Info i = INFO.get(name);
        if (i == null) {
            throw new UserError("unknown data set or task '" + name + "'; known: " + String.join(", ", INFO.keySet()));
        }
        return i;
    }

    /**
     * The data directory: the {@code --data-dir} option when given, else the {@code CNNLAB_DATA}
     * environment variable, else {@code data/}.
     */
    public static Path dataDir(String option) {
        if (option != null && !option.isBlank()) {
            return Path.of(option);
        }
        String env = System.getenv("CNNLAB_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "data");
    }

    /**
     * Opens a data set. Generated sets are drawn with {@code seed}; real ones are read (and fetched
     * when missing) from {@code dataDir}.
     */
    public static DataSource open(String name, Path dataDir, long seed) {
        Info info = info(name);
        if (info.generated()) {
            return ShapeTask.forDataName(name).generate(seed);
        }
        return RealData.forDataName(name).open(dataDir, seed);
    }
}
