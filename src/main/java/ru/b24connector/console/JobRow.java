package ru.b24connector.console;

import ru.b24connector.jobs.Job;

/** A job as the console's lists show it (no payload; errors with secrets hidden). */
public record JobRow(long id, String type, String status, int attempts, int maxAttempts, String runAt,
                     String lastError, String waitingFor, String createdAt, String updatedAt) {

    static JobRow of(Job job, ConsolePages pages) {
        return new JobRow(job.id, job.type, job.status.name(), job.attempts, job.maxAttempts, pages.time(job.runAt),
                Redaction.text(job.lastError), job.waitingFor, pages.time(job.createdAt), pages.time(job.updatedAt));
    }
}
