package cnnlab;

/**
 * A problem the user can fix (bad argument, missing or corrupt file, unknown name). The CLI prints
 * its message as one line on stderr and exits with code 2, without a stack trace.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
