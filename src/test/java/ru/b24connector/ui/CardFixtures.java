package ru.b24connector.ui;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One claim's whole story in the service's own tables, as the intake, the robots, the escalation, the mailer and
 * the 1C exchange would have left it: what the card and the board read.
 */
final class CardFixtures {

    static final String XSS_TEXT = "<script>alert(1)</script>";
    static final String XSS_NAME = "\"><img src=x onerror=alert(1)>";

    private static final AtomicLong DEALS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 10 + 500_000_000L);
    private static final AtomicLong TASKS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 10 + 700_000_000L);

    private CardFixtures() {
    }

    static long newDealId() {
        return DEALS.incrementAndGet();
    }

    /** Seeds a deal's story; {@code xss} puts the dealer's script payloads in the claim text and an item name. */
    static void story(long dealId, boolean xss) {
        Instant now = Instant.now();
        String request = """
                {"dealer":{"companyName":"ООО «Техноснаб»","inn":"7707083893","kpp":"770701001",
                 "contactName":"Иван Петров","email":"service@tehnosnab.ru","phone":"+79123456789"},
                 "dealerClaimId":"TS-%1$d","claimText":%2$s,
                 "items":[{"productName":"Редуктор GBX-24","sku":"GBX-24","quantity":1,"serialNumber":"GBX-24-0017731",
                   "defectDescription":"Течь из-под сальника","photos":[{"fileName":"leak.png","contentBase64":"%4$s"}]},
                  {"productName":%3$s,"sku":"MTR-7","quantity":2,"serialNumber":"MTR-7-555",
                   "defectDescription":"Не запускается","photos":[]}],
                 "questions":["Нужна ли экспертиза на месте?"]}""".formatted(dealId,
                quote(xss ? XSS_TEXT : "Течь масла после 3 месяцев эксплуатации."),
                quote(xss ? XSS_NAME : "Мотор MTR-7"), PNG);
        long task1 = TASKS.incrementAndGet();
        long task2 = TASKS.incrementAndGet();
        long task3 = TASKS.incrementAndGet();
        run(em -> {
            sql(em, "INSERT INTO reclamation (token_hash, dealer_claim_id, inn, request_json, status, claims, deal_id, "
                    + "created_at, updated_at) VALUES (?1, ?2, '7707083893', ?3, 'IN_CRM', 1, ?4, ?5, ?5)",
                    "f".repeat(64), "TS-" + dealId, request, dealId, ts(now.minus(Duration.ofDays(3))));
            sql(em, "INSERT INTO process_deal (deal_id, category_id, stage_id, transitions, stay, entered_at, updated_at) "
                    + "VALUES (?1, 3, 'C3:PREPARATION', 2, 2, ?2, ?2)", dealId, ts(now.minus(Duration.ofHours(50))));
            task(em, "ui-test:" + dealId + ":check", task1, dealId, 7, "Проверить комплектность", now.minus(Duration.ofHours(5)),
                    "OPEN", "process:check", 1, null);
            task(em, "ui-test:" + dealId + ":photos", task2, dealId, 7, "Запросить фото", now.minus(Duration.ofDays(2)),
                    "COMPLETED", "robot:create_task", 0, now.minus(Duration.ofDays(1)));
            task(em, "card:request_info:ui-test:" + dealId, task3, dealId, 8, "Вопрос по сделке #" + dealId,
                    now.plus(Duration.ofHours(20)), "OPEN", "card:request_info", 0, null);
            sql(em, "INSERT INTO robot_wait (inbox_id, task_id, deal_id, item_index, ask_user, asked_by, question_key, "
                    + "question, status, answer, created_at, updated_at) VALUES (NULL, ?1, ?2, 0, 8, 7, ?3, "
                    + "'Какой момент затяжки сальника?', 'ANSWERED', '25 Н·м по паспорту', ?4, ?4)",
                    TASKS.incrementAndGet(), dealId, "ui-test:answered:" + dealId, ts(now.minus(Duration.ofHours(30))));
            sql(em, "INSERT INTO robot_wait (inbox_id, task_id, deal_id, item_index, ask_user, asked_by, question_key, "
                    + "question, status, created_at, updated_at) VALUES (NULL, ?1, ?2, 1, 8, 7, ?3, "
                    + "'Есть ли фото шильдика?', 'WAITING', ?4, ?4)", task3, dealId, "ui-test:" + dealId,
                    ts(now.minus(Duration.ofHours(4))));
            sql(em, "INSERT INTO mail_outbox (dedup_key, kind, deal_id, decision, decision_comment, recipient, language, "
                    + "subject, body, message_id, status, attempts, sent_at, created_at, updated_at) VALUES (?1, 'decision', "
                    + "?2, 'APPROVED', 'Замена по гарантии', 'service@tehnosnab.ru', 'ru', 'Решение по претензии TS', "
                    + "'<p>Претензия одобрена: замена по гарантии.</p>', ?3, 'DONE', 1, ?4, ?4, ?4)",
                    "ui-test:mail:" + dealId, dealId, "<m" + dealId + "@b24-connector.test>", ts(now.minus(Duration.ofHours(2))));
            sql(em, "INSERT INTO onec_exchange (direction, kind, ref, number, status, deal_id, created_at, updated_at) "
                    + "VALUES ('WRITE', 'RECLAMATION', ?1, 'РК-000123', 'SENT', ?2, ?3, ?3)",
                    UUID.randomUUID().toString(), dealId, ts(now.minus(Duration.ofHours(1))));
        });
    }

    /** A claim accepted from a dealer that has not reached the CRM yet (the board's "stuck inside"). */
    static void waitingClaim(String claimId) {
        run(em -> sql(em, "INSERT INTO reclamation (token_hash, dealer_claim_id, inn, request_json, status, claims, "
                + "created_at, updated_at, last_error) VALUES (?1, ?2, '7707083893', ?3, 'ACCEPTED', 2, ?4, ?4, "
                + "'portal unavailable')", "e".repeat(64), claimId,
                "{\"dealer\":{\"companyName\":\"ООО «Запчасть»\",\"inn\":\"7707083893\",\"contactName\":\"А\","
                        + "\"email\":\"a@b.ru\",\"phone\":\"+79000000000\"},\"dealerClaimId\":\"" + claimId + "\","
                        + "\"claimText\":\"x\",\"items\":[{\"productName\":\"P\",\"quantity\":1}]}",
                ts(Instant.now().minus(Duration.ofHours(3)))));
    }

    private static void task(EntityManager em, String key, long taskId, long dealId, long responsible, String title,
                             Instant deadline, String status, String source, int level, Instant completed) {
        sql(em, "INSERT INTO tracked_task (dedup_key, tag, task_id, deal_id, responsible_id, title, deadline, status, "
                + "source, escalation_level, completed_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                + "?8, ?9, ?10, ?11, ?12, ?12)", key, "t" + taskId, taskId, dealId, responsible, title, ts(deadline),
                status, source, level, completed == null ? null : ts(completed), ts(Instant.now().minus(Duration.ofDays(2))));
    }

    private static void sql(EntityManager em, String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        q.executeUpdate();
    }

    private static void run(java.util.function.Consumer<EntityManager> work) {
        QuarkusTransaction.requiringNew().run(() -> work.accept(Arc.container().instance(EntityManager.class).get()));
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A 16×12 PNG (a grey tile) as a dealer's inline photo. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAAAFUlEQVR4nGOYMHMBSYhhVMOoBuwIAK3TVtBf4eHwAAAAAElFTkSuQmCC";
}
