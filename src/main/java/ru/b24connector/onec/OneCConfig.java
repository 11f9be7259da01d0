package ru.b24connector.onec;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Exchange with 1C: the scheduled pull from its OData interface and the push endpoints 1C calls. */
@ConfigMapping(prefix = "onec")
public interface OneCConfig {

    /** Root of the standard OData interface, ending in {@code /odata/standard.odata/}. Unset: the pull is off. */
    Optional<URI> odataUrl();

    /** 1C user for the OData interface (HTTP Basic, sent as UTF-8: Cyrillic logins work). */
    Optional<String> user();

    /** Password of that user. */
    Optional<String> password();

    /** How often to pull: a duration such as {@code 15m} or {@code 1h}, or {@code off}. */
    @WithDefault("15m")
    @Pattern(regexp = "off|disabled|\\d+[smhd]|P.*", message = "must be a duration such as 15m or 1h, or off")
    String syncEvery();

    /**
     * Name of the exchange plan whose node the service reads its changes from ({@code SelectChanges} /
     * {@code NotifyChangesReceived}, 1C:Enterprise 8.3.27 17.4.13.3), e.g. {@code ОбменСB24Connector} for the set
     * {@code ExchangePlan_ОбменСB24Connector}. Set: every pull reads the node's changes, whatever the documents'
     * dates, and neither the date window nor the DataVersion scan runs. Unset: the date window and the scan.
     */
    Optional<String> exchangePlan();

    /** Code of the exchange plan's node that stands for the service ({@code Code} of the plan's element). */
    @WithDefault("B24")
    String exchangeNode();

    /**
     * How often, without an exchange plan, the documents still open are scanned for changed DataVersions
     * ({@code $select=Ref_Key,DataVersion}) and the changed ones read: a duration, or {@code off}.
     */
    @WithDefault("1h")
    @Pattern(regexp = "off|disabled|\\d+[smhd]|P.*", message = "must be a duration such as 1h, or off")
    String scanEvery();

    /**
     * OData {@code $filter} of the documents the scan still watches (besides not deleted and, by default, posted),
     * e.g. {@code Статус ne 'Закрыта'}. Unset: every posted document.
     */
    Optional<String> scanFilter();

    /** Token 1C must present on the push endpoints, as HTTP Basic password or Bearer token. Unset: pushes refused. */
    Optional<String> apiToken();

    /** Time zone of 1C's dates, which carry none. */
    @WithDefault("Europe/Moscow")
    ZoneId zone();

    /** Rows per OData page ({@code $top}). */
    @WithDefault("200")
    @Min(1)
    @Max(5000)
    int pageSize();

    /**
     * OData {@code $filter} that selects the counterparties that are dealers, e.g.
     * {@code Parent_Key eq guid'…'} (a folder) or {@code ЮридическоеФизическоеЛицо eq 'ЮридическоеЛицо'}. Set: the
     * pull reads the catalog with it and every counterparty it returns becomes a company. Unset: the catalog is not
     * scanned; only counterparties referenced by reclamation documents, or pushed by 1C, become companies.
     */
    Optional<String> counterpartyFilter();

    /**
     * Folders of the counterparty catalog whose elements are dealers, as Ref_Keys, comma-separated. {@code Parent_Key
     * eq guid'…'} matches a folder's direct children only, so list sub-folders too. With
     * {@code ONEC_COUNTERPARTY_FILTER} both must hold.
     */
    Optional<List<@Pattern(regexp = "\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*",
            message = "must be Ref_Keys (GUIDs), comma-separated") String>> counterpartyFolders();

    /**
     * The most of the portal's budget 1C work takes while dealer claims or events compete for it (0 to 1): of the
     * job workers, and of the room the time budgets leave when a group is sized.
     */
    @WithDefault("0.5")
    @DecimalMin(value = "0.05", message = "must be at least 0.05")
    @DecimalMax(value = "1", message = "must be at most 1")
    double portalShare();

    /** Most records one group applies together (they share portal calls); the budgets' room may allow fewer. */
    @WithDefault("100")
    @Min(1)
    @Max(1000)
    int groupSize();

    /**
     * How long the pull waits for the workers to apply what it read before it reads the next page; past it the run
     * stops and the next run resumes at the same row.
     */
    @WithDefault("10m")
    Duration pullBacklogWait();

    /** The first pull reads documents dated this far back. */
    @WithDefault("30d")
    Duration pullLookback();

    /** Later pulls re-read documents this far behind the newest date seen, for back-dated edits in 1C. */
    @WithDefault("2d")
    Duration pullOverlap();

    /**
     * Take posted documents only ({@code Posted eq true}): a draft does not become a deal. {@code false} for bases
     * whose reclamation documents are never posted.
     */
    @WithDefault("true")
    boolean postedOnly();

    /** Timeout of one OData request. */
    @WithDefault("30s")
    Duration timeout();

    /** Write the portal's decision back to the 1C document (PATCH). Needs {@code ONEC_ODATA_URL}. */
    @WithDefault("false")
    boolean writeBack();

    /** Counterparties catalog in the OData interface. */
    @WithDefault("Catalog_Контрагенты")
    String counterpartySet();

    /** Reclamation documents in the OData interface (configuration-specific; read {@code $metadata}). */
    @WithDefault("Document_РекламацияДилера")
    String reclamationSet();

    /** Products catalog, read for product names the document lines do not carry. */
    @WithDefault("Catalog_Номенклатура")
    String productSet();

    /** Deal field that shows the document's status in 1C. */
    @WithDefault("UF_CRM_B24C_ONEC_STATUS")
    String statusField();

    /**
     * 1C statuses that move the deal to a stage: {@code status=STAGE_ID} pairs, comma-separated, e.g.
     * {@code НаРассмотрении=C3:NEW,Решено=C3:WON}. Unset: the stage is left to the portal.
     */
    Optional<@Pattern(regexp = "[^=,]+=[^=,]+(,[^=,]+=[^=,]+)*", message = "must be status=STAGE_ID pairs, comma-separated") String> statusStages();

    /** Attribute names of the reclamation document in 1C. */
    Fields fields();

    /** Attribute names of the counterparty catalog in 1C (defaults: reference/1c-integration.md §7.1). */
    CounterpartyFields counterpartyFields();

    /** How the portal's decisions are written into 1C's decision attribute. */
    DecisionValues decisionValues();

    /** Attributes of the reclamation document (defaults follow the document in reference/1c-integration.md §7.2). */
    interface Fields {
        /** Reference to the counterparty. */
        @WithDefault("Контрагент_Key")
        String counterparty();

        /** Status of the document. */
        @WithDefault("Статус")
        String status();

        /** Text of the claim. */
        @WithDefault("ОписаниеДефекта")
        String description();

        /** Amount claimed. */
        @WithDefault("СуммаПретензии")
        String amount();

        /** Tabular section of goods. */
        @WithDefault("Товары")
        String lines();

        /** Product reference in a line. */
        @WithDefault("Номенклатура_Key")
        String lineProduct();

        /** Quantity in a line. */
        @WithDefault("Количество")
        String lineQuantity();

        /** Serial number in a line. */
        @WithDefault("СерийныйНомер")
        String lineSerial();

        /** Defect in a line. */
        @WithDefault("Дефект")
        String lineDefect();

        /** Amount of a line. */
        @WithDefault("Сумма")
        String lineAmount();

        /** Decision attribute written back. */
        @WithDefault("Решение")
        String decision();

        /** Decision comment attribute written back. */
        @WithDefault("КомментарийРешения")
        String decisionComment();

        /** Decision date attribute written back. */
        @WithDefault("ДатаРешения")
        String decisionDate();
    }

    /**
     * Attributes of the counterparty catalog. Configurations name them differently: УТ 11 calls the legal form
     * {@code ЮрФизЛицо} (values {@code ЮрЛицо}, {@code ФизЛицо}); check {@code $metadata}.
     */
    interface CounterpartyFields {
        /** Legal form (УТ 11: {@code ЮрФизЛицо}). */
        @WithDefault("ЮридическоеФизическоеЛицо")
        String legalForm();

        /** Full name. */
        @WithDefault("НаименованиеПолное")
        String fullName();

        /** INN. */
        @WithDefault("ИНН")
        String inn();

        /** KPP. */
        @WithDefault("КПП")
        String kpp();

        /** Tabular section of contact information. */
        @WithDefault("КонтактнаяИнформация")
        String contactInformation();

        /** Its kind of contact ({@code Телефон}, {@code АдресЭлектроннойПочты}). */
        @WithDefault("Тип")
        String contactType();

        /** Its value as shown. */
        @WithDefault("Представление")
        String contactPresentation();
    }

    /** Values of 1C's decision attribute (usually an enumeration's value names). */
    interface DecisionValues {
        /** For {@code approved}. */
        @WithDefault("Удовлетворена")
        String approved();

        /** For {@code rejected}. */
        @WithDefault("Отклонена")
        String rejected();

        /** For {@code partial}. */
        @WithDefault("УдовлетворенаЧастично")
        String partial();
    }
}
