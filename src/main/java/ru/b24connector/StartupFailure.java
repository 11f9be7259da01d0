package ru.b24connector;

import io.smallrye.config.ConfigValidationException;

import java.util.Locale;

/**
 * Turns a failed start into one line per problem that names the environment variable an administrator
 * sets, instead of a stack trace that names an internal property.
 */
final class StartupFailure {

    private StartupFailure() {
    }

    static void report(int exitCode, Throwable failure) {
        lines(failure).forEach(System.err::println);
        System.exit(exitCode == 0 && failure != null ? 1 : exitCode);
    }

    /** One "Configuration error: ..." line per configuration problem in the failure's causes. */
    static java.util.List<String> lines(Throwable failure) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigValidationException invalid) {
                for (int i = 0; i < invalid.getProblemCount(); i++) {
                    lines.add("Configuration error: " + envNamesIn(invalid.getProblem(i).getMessage()));
                }
                break;
            }
            if (t instanceof ConfigurationProblem problem) {
                lines.add("Configuration error: " + problem.getMessage());
                break;
            }
        }
        return lines;
    }

    /** {@code b24.rate.burst} → {@code B24_RATE_BURST}, the name in .env.example. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Rewrites SmallRye's "SRCFG00039: The config property b24.rate.burst ..." into env-var terms. */
    static String envNamesIn(String message) {
        var matcher = java.util.regex.Pattern.compile("(?:SRCFG\\d+: )?(?:The config property |property )?((?:b24|app|process|onec|intake|admin|escalation|embedded-db|quarkus)\\.[a-z0-9.\"-]+)")
                .matcher(message);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, envName(matcher.group(1)) + " (" + matcher.group(1) + ")");
        }
        matcher.appendTail(out);
        return out.toString().replace('\n', ' ')
                .replaceAll("(?:[a-z]+\\.)+[A-Za-z]*Exception: ", "")
                .replaceAll("SRCFG\\d+: ", "")
                .replace(" threw an Exception whilst being converted", " is invalid:")
                .replaceAll("\\s+", " ").trim();
    }
}
