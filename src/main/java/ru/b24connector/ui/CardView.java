package ru.b24connector.ui;

import io.quarkus.qute.TemplateData;

import java.util.List;

/** What the reclamation card shows; every string is rendered as text (the template escapes it). */
@TemplateData
public record CardView(long dealId, String title, String company, String inn, String claimNumber, String channel,
                       String receivedAt, String stage, String timeInStage, String responsible, String claimText,
                       List<String> dealerQuestions, List<Item> items, List<Question> generalQuestions,
                       List<Task> tasks, List<Mail> mails, List<OneC> onec, List<Event> history,
                       List<Option> users, boolean canResend, boolean portalRead) {

    /**
     * The page's heading: {@code word} ("Рекламация") before the deal's title, unless the title starts with it
     * already (deals the service creates are titled «Рекламация CLM-…»).
     */
    public String heading(String word) {
        return title.regionMatches(true, 0, word, 0, word.length()) ? title : word + ": " + title;
    }

    /** Where the card's colleague search posts. */
    public String findAction() {
        return "/ui/card/" + dealId + "/find";
    }

    /** One claimed item with its photos and the questions asked about it. */
    @TemplateData
    public record Item(int index, int number, String product, String sku, String serial, String quantity,
                       String defect, List<String> photos, List<Question> questions) {
    }

    /** A question: who asked whom, when, and the answer or "pending" with the task's deadline. */
    @TemplateData
    public record Question(String question, String askedBy, String askUser, String askedAt, String answer,
                           boolean pending, String deadline, String item) {
    }

    /** A task the service created on the deal. */
    @TemplateData
    public record Task(String title, String responsible, String deadline, String status, int escalation,
                       boolean overdue, String source) {
    }

    /** A decision e-mail to the dealer. */
    @TemplateData
    public record Mail(String decision, String status, String time, String messageId, String recipient,
                       String subject, String preview) {
    }

    /** A 1C exchange entry of the deal. */
    @TemplateData
    public record OneC(String time, String direction, String status, String number, String error) {
    }

    /**
     * One line of the deal's timeline: when, what kind (stage, task, question, mail, onec, action, claim; also as a
     * word, so it reads without colour), who or what did it, what happened, and details (the reason, the stay).
     */
    @TemplateData
    public record Event(String time, String kind, String kindLabel, String who, String what, String detail) {
    }

    /** A user to pick (ask a colleague, hand over). */
    @TemplateData
    public record Option(long id, String name) {
        /** The id as form fields carry it. */
        public String key() {
            return String.valueOf(id);
        }
    }
}
