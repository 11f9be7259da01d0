package ru.b24connector.cluster;

import java.sql.SQLException;

/** MariaDB's answer when it breaks a lock cycle by rolling one transaction back. */
public final class Deadlocks {

    private Deadlocks() {
    }

    /** True when {@code e} or a cause is MariaDB's deadlock (SQLSTATE 40001, error 1213): that transaction is gone. */
    public static boolean victim(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
