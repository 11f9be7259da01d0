package ru.b24connector.onec;

import java.math.BigDecimal;
import java.util.List;

/**
 * The records the 1C exchange applies, whichever way they came (push or pull): validated, GUIDs in lower case,
 * dates with the 1C zone's offset, numbers as numbers. Stored as JSON on the exchange log and the object row.
 */
public final class OneCRecords {

    private OneCRecords() {
    }

    /** What kind of 1C object a record is. */
    public enum Kind { COUNTERPARTY, RECLAMATION }

    /** A 1C record with its identity. */
    public sealed interface Record permits Counterparty, Reclamation {
        Kind kind();

        String ref();

        /** 1C's DataVersion; null when 1C sent none (then a hash of the record stands in). */
        String dataVersion();

        /** What a person reading the exchange log recognises it by. */
        String label();
    }

    /** A counterparty (Catalog_Контрагенты). INN checksum-valid; KPP empty for individuals. */
    public record Counterparty(String ref, String dataVersion, String name, String fullName, String legalForm,
                               String inn, String kpp, String contactName, String email, String phone,
                               boolean deletionMark) implements Record {
        @Override
        public Kind kind() {
            return Kind.COUNTERPARTY;
        }

        @Override
        public String label() {
            return name + " (ИНН " + inn + ")";
        }
    }

    /** The dealer's contact person named on a reclamation. Phone in E.164, e-mail in lower case. */
    public record Contact(String name, String phone, String email) {
    }

    /** A reclamation document with its goods lines. */
    public record Reclamation(String ref, String dataVersion, String number, String date, String status,
                              Counterparty counterparty, Contact contact, String description,
                              BigDecimal amountClaimed, String currency, List<Line> lines,
                              List<Attachment> attachments, boolean deletionMark) implements Record {
        @Override
        public Kind kind() {
            return Kind.RECLAMATION;
        }

        @Override
        public String label() {
            return number;
        }
    }

    /** A goods line of a reclamation. */
    public record Line(int lineNumber, BigDecimal quantity, List<String> serialNumbers, String productRef,
                       String productCode, String productArticle, String productName, String defect,
                       BigDecimal amount) {
    }

    /** A file 1C points to (a link on the deal's timeline; the service does not fetch it). */
    public record Attachment(String fileName, String mimeType, String url) {
    }
}
