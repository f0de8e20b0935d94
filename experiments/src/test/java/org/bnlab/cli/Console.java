package org.bnlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command line in this JVM and keeps what it printed: the exit status, standard output and errors. */
record Console(int status, String out, String err) {

    static Console run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int status;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            status = Bnlab.execute(new PrintWriter(err, true), args);
        } finally {
            System.setOut(original);
        }
        return new Console(status, bytes.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
