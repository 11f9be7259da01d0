package ru.b24connector.process;

/** A process file that cannot be used: names the file, the line (0 when unknown) and the problem. */
public class ProcessFileException extends RuntimeException {

    private final String file;
    private final int line;
    private final String problem;

    public ProcessFileException(String file, int line, String problem) {
        super("process file " + file + (line > 0 ? ", line " + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
