package ru.b24connector.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.jobs.PermanentJobFailure;

/** Runs the engine's queued work: carrying out a stage's rules, moving a deal. */
@ApplicationScoped
class ProcessJobHandler implements JobHandler {

    @Inject
    ProcessService process;

    @Inject
    ObjectMapper json;

    @Override
    public String type() {
        return ProcessService.JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        ProcessService.Work work = json.readValue(job.payload, ProcessService.Work.class);
        switch (work.action()) {
            case "enter" -> process.enter(work.dealId(), work.transition());
            case "move" -> process.move(work.dealId(), work.transition(), work.arg(), work.reason());
            case "task" -> process.createDelayedTask(work.dealId(), work.transition(), work.arg());
            case "tasks-done" -> process.tasksDone(work.dealId(), work.transition());
            default -> throw new PermanentJobFailure("unknown process action " + work.action());
        }
    }
}
