package ru.b24connector.robots;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A robot as the automation designer shows it; {@code HandlerRegistrar} turns it into {@code bizproc.robot.add}.
 *
 * @param name             by language: {@code ru}, {@code en}
 * @param description      by language
 * @param properties       input properties by code, in display order
 * @param returnProperties output properties by code
 */
public record RobotDefinition(Map<String, String> name, Map<String, String> description,
                              LinkedHashMap<String, Property> properties,
                              LinkedHashMap<String, Property> returnProperties) {

    /**
     * One property. {@code type}: bool, date, datetime, double, int, select, string, text, user.
     * {@code options} only for select (value → title).
     */
    public record Property(Map<String, String> name, Map<String, String> description, String type,
                           boolean required, boolean multiple, String defaultValue, Map<String, String> options) {

        public static Property of(String ru, String en, String type, boolean required) {
            return new Property(Map.of("ru", ru, "en", en), Map.of(), type, required, false, null, Map.of());
        }

        public Property withDefault(String value) {
            return new Property(name, description, type, required, multiple, value, options);
        }

        public Property withOptions(Map<String, String> selectOptions) {
            return new Property(name, description, type, required, multiple, defaultValue, selectOptions);
        }

        public Property withDescription(String ru, String en) {
            return new Property(name, Map.of("ru", ru, "en", en), type, required, multiple, defaultValue, options);
        }
    }
}
