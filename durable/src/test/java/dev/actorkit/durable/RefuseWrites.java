package dev.actorkit.durable;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * An H2 trigger that fails every write to the table it is put on while {@link #refusing} is set: a
 * store that refuses writes and still answers reads, for the tests of a refused write.
 */
public final class RefuseWrites implements Trigger {

  static volatile boolean refusing;

  @Override
  public void init(
      Connection connection,
      String schema,
      String trigger,
      String table,
      boolean before,
      int type) {}

  @Override
  public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
    if (refusing) {
      throw new SQLException("the test refuses writes");
    }
  }
}
