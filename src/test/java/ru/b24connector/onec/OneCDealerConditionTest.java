package ru.b24connector.onec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which counterparties are dealers (1C:Enterprise 8.3.27, 17.4.5.2 $filter: {@code Parent_Key eq guid'…'} matches direct children). */
class OneCDealerConditionTest {

    private static OneCConfig config(Map<String, Object> values) {
        return (OneCConfig) Proxy.newProxyInstance(OneCConfig.class.getClassLoader(), new Class<?>[]{OneCConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), Optional.empty()));
    }

    @Test
    @DisplayName("Several folders are read, each by its key, together with ONEC_COUNTERPARTY_FILTER (УТ 11: ЮрФизЛицо)")
    void severalFoldersAndAFilter() {
        OneCConfig both = config(Map.of("counterpartyFolders", Optional.of(List.of("5B1C3E40-7D4E-11EE-B962-0242AC120002",
                " 6c2d4f51-7d4e-11ee-b962-0242ac120002")), "counterpartyFilter", Optional.of("ЮрФизЛицо eq 'ЮрЛицо'")));
        assertThat(OneCPull.dealerCondition(both)).contains("(Parent_Key eq guid'5b1c3e40-7d4e-11ee-b962-0242ac120002' or "
                + "Parent_Key eq guid'6c2d4f51-7d4e-11ee-b962-0242ac120002') and (ЮрФизЛицо eq 'ЮрЛицо')");
        assertThat(OneCPull.dealerCondition(config(Map.of()))).isEmpty();
    }
}
