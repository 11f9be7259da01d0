package ru.b24connector.robots;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a colleague's answer to a question asked as a task. On the new task card (tasks module 25.700.0 and later,
 * {@code tasks/tasks-new.md}) comments are messages of the task's chat: {@code tasks.task.get} names the chat
 * ({@code chatId}) and {@code im.dialog.messages.get} reads it. A portal whose task has no chat keeps the old card,
 * whose comments {@code task.commentitem.getlist} lists. Only the colleague's own words count: a message by the
 * asked user (or the task's current responsible, when the task was delegated), never a system message, never
 * anybody else's (the service's own, the asker's).
 */
@ApplicationScoped
public class TaskAnswerReader {

    /** Chat pages (50 messages each) read back from the newest at most, looking for the colleague's answer. */
    static final int CHAT_PAGES = 20;

    @Inject
    PortalClient portal;

    /** The colleague's answer on task {@code taskId}: their latest message or comment, or "" when there is none. */
    public String answerOf(long taskId, long askUser) {
        // no select: CHAT_ID comes by default on the new card (tasks-task-get.md), and an older portal could refuse
        // a select naming a field it does not know (error 100, "select ... wrong values")
        JsonNode result = portal.call("tasks.task.get", ordered("taskId", taskId));
        JsonNode task = result.path("task");
        Set<Long> authors = new LinkedHashSet<>();
        authors.add(askUser);
        long responsible = task.path("responsibleId").asLong(0);
        if (responsible > 0) {
            authors.add(responsible);
        }
        long chatId = task.path("chatId").asLong(0);
        Optional<String> answer;
        if (chatId > 0) {
            try {
                answer = fromChat(taskId, chatId, authors);
            } catch (PortalException.Rejected e) {
                // the service's user may not be a member of the task's chat ("scope im" or access): say so, then
                // try the old comments, which some portals still answer
                Log.warnf("Task %d: its chat %d cannot be read (%s); trying the task's comments", taskId, chatId,
                        e.code());
                answer = fromComments(taskId, authors);
            }
        } else {
            answer = fromComments(taskId, authors);
        }
        if (answer.isEmpty()) {
            Log.infof("Task %d was completed without an answer by user(s) %s; the answer is empty", taskId, authors);
        }
        return answer.orElse("");
    }

    /** The newest message by one of {@code authors} in chat {@code chatId}, paging back with {@code LAST_ID}. */
    private Optional<String> fromChat(long taskId, long chatId, Set<Long> authors) {
        long lastId = 0;
        for (int page = 0; page < CHAT_PAGES; page++) {
            Map<String, Object> params = ordered("DIALOG_ID", "chat" + chatId, "LIMIT", 50);
            if (lastId > 0) {
                params.put("LAST_ID", lastId);
            }
            JsonNode messages = portal.call("im.dialog.messages.get", params).path("messages");
            Optional<String> answer = newestBy(messages, authors);
            if (answer.isPresent() || messages.isEmpty()) {
                return answer;
            }
            long oldest = Long.MAX_VALUE;
            for (JsonNode m : messages) {
                oldest = Math.min(oldest, m.path("id").asLong(Long.MAX_VALUE));
            }
            if (oldest == Long.MAX_VALUE || lastId > 0 && oldest >= lastId) {
                Log.errorf("Task %d: chat %d pages do not go back (LAST_ID=%d, oldest id %d); stopped reading it",
                        taskId, chatId, lastId, oldest);
                return Optional.empty();
            }
            lastId = oldest;
        }
        Log.warnf("Task %d: no answer by user(s) %s in the newest %d messages of chat %d", taskId, authors,
                CHAT_PAGES * 50, chatId);
        return Optional.empty();
    }

    /** Of one page of {@code im.dialog.messages.get}, the text of the newest message a person in {@code authors} wrote. */
    static Optional<String> newestBy(JsonNode messages, Set<Long> authors) {
        JsonNode best = null;
        for (JsonNode m : messages) {
            long author = m.path("author_id").asLong(0);
            // author 0 and params.CODE mark the chat's own notices (CHAT_JOIN, task changes)
            boolean system = author == 0 || m.path("params").has("CODE");
            String text = m.path("text").asText("").trim();
            if (!system && authors.contains(author) && !text.isEmpty()
                    && (best == null || m.path("id").asLong() > best.path("id").asLong())) {
                best = m;
            }
        }
        return Optional.ofNullable(best).map(m -> m.path("text").asText("").trim());
    }

    /**
     * The old card: the colleague's newest comment. The parameters go in the documented order (TASKID, ORDER,
     * FILTER): the method reads them by position and refuses them in another order.
     */
    private Optional<String> fromComments(long taskId, Set<Long> authors) {
        Map<String, Object> params = ordered("TASKID", taskId, "ORDER", Map.of("ID", "desc"),
                "FILTER", Map.of("AUTHOR_ID", List.copyOf(authors)));
        return newestComment(portal.call("task.commentitem.getlist", params), authors);
    }

    /** Of a {@code task.commentitem.getlist} result, the newest non-empty comment by one of {@code authors}. */
    static Optional<String> newestComment(JsonNode comments, Set<Long> authors) {
        JsonNode best = null;
        for (JsonNode c : PortalClient.itemsOf(comments)) {
            String text = c.path("POST_MESSAGE").asText("").trim();
            if (authors.contains(c.path("AUTHOR_ID").asLong(0)) && !text.isEmpty()
                    && (best == null || c.path("ID").asLong() > best.path("ID").asLong())) {
                best = c;
            }
        }
        return Optional.ofNullable(best).map(c -> c.path("POST_MESSAGE").asText("").trim());
    }

    /** Parameters in the order given (Map.of would shuffle them between runs). */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
    }
}
