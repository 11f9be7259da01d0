package ru.b24connector.robots;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.MDC;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.InboxMessage;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.PermanentJobFailure;

/**
 * Runs a stored robot call. Bad property values are reported to the robot log at once and change nothing; other
 * failures are retried, and reported to the robot log when the job is dead-lettered, never dropped in silence.
 */
@ApplicationScoped
public class RobotJob implements JobHandler {

    @Inject
    RobotService robots;

    @Inject
    Inbox inbox;

    @Override
    public String type() {
        return RobotService.JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        RobotCall call = load(job);
        MDC.put("robot", call.code());
        try {
            Robot robot = robots.robot(call.code())
                    .orElseThrow(() -> new PermanentJobFailure("robot " + call.code() + " no longer exists"));
            RobotResult result;
            try {
                result = robot.run(call);
            } catch (RobotInputException e) {
                robots.reportFailure(call, "invalid input: " + e.getMessage());
                return;
            }
            if (!result.isPending()) {
                robots.answer(call, result);
            }
        } finally {
            MDC.remove("robot");
        }
    }

    @Override
    public void onDead(Job job, Exception cause) {
        robots.reportFailure(load(job), "failed after " + job.attempts + " attempt(s): " + cause.getMessage());
    }

    private RobotCall load(Job job) {
        InboxMessage message = inbox.find(job.inboxId)
                .orElseThrow(() -> new PermanentJobFailure("inbox row " + job.inboxId + " is gone"));
        return robots.load(message);
    }
}
