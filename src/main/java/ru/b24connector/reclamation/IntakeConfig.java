package ru.b24connector.reclamation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Dealer intake over REST. */
@ConfigMapping(prefix = "intake")
public interface IntakeConfig {

    /** Accepted dealer tokens, comma-separated; each dealer system gets its own. Unset: intake refused. */
    Optional<List<String>> apiTokens();

    /** Managers the new deals are assigned to, round robin (portal user ids). Unset: the webhook's user. */
    Optional<List<Long>> assignees();

    /** Largest photo, decoded, in bytes. */
    @WithDefault("5242880")
    @Min(value = 1024, message = "must be at least 1024 bytes")
    int maxPhotoBytes();

    /** Hosts photo URLs may be fetched from (exact names); unset: photo URLs are refused. */
    Optional<List<String>> photoHosts();

    /** How long fetching one photo URL may take. */
    @WithDefault("10s")
    Duration photoFetchTimeout();

    /** Intakes processed together, sharing portal calls (bounded by 50 commands per batch call). */
    @WithDefault("12")
    @Min(value = 1, message = "must be at least 1") @Max(value = 16, message = "must be at most 16")
    int groupSize();

    /** Deal field that carries the dealer's claim id (the process file reads it). */
    @WithDefault("UF_CRM_B24C_DEALER_CLAIM_ID")
    String claimIdField();

    /** Deal field holding the decision, shown to the dealer in the status. */
    @WithDefault("UF_CRM_B24C_DECISION")
    String decisionField();

    /** How long a read of the deal's stage is reused for status requests. */
    @WithDefault("60s")
    Duration stageCacheFor();

    /** Deal fields a manager fills when entering a dealer's claim by hand. */
    Manual manual();

    interface Manual {

        /** Deal field with the dealer's INN. */
        @WithDefault("UF_CRM_B24C_DEALER_INN")
        String innField();

        /** Deal field with the dealer's company name. */
        @WithDefault("UF_CRM_B24C_DEALER_COMPANY")
        String companyField();

        /** Deal field with the dealer's contact person. */
        @WithDefault("UF_CRM_B24C_DEALER_CONTACT")
        String contactField();

        /** Deal field with the dealer's e-mail. */
        @WithDefault("UF_CRM_B24C_DEALER_EMAIL")
        String emailField();

        /** Deal field with the dealer's phone. */
        @WithDefault("UF_CRM_B24C_DEALER_PHONE")
        String phoneField();
}
}
