package cnnlab.cli;

import cnnlab.training.TrainingUI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnnlab ui FILE}: serves recorded training statistics in DL4J's UI on 127.0.0.1 until stopped. */
@Command(name = "ui", description = "Serve a training-statistics file (train --stats FILE) in DL4J's UI on 127.0.0.1.")
final class UiCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "statistics file written by 'cnnlab train --stats FILE'")
    Path file;

    @Option(names = "--port", defaultValue = "9000", description = "port (default 9000)")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        TrainingUI.checkStatsFile(file, true, "statistics file");
        TrainingUI.checkPortFree(port, "--port");
        FileStatsStorage stats = TrainingUI.openStats(file);
        String url = TrainingUI.start(port);
        TrainingUI.attach(stats);
        System.out.println("training UI: " + url + "/train/overview (Ctrl-C to stop)");
        Thread.currentThread().join();
        return 0;
    }
}
